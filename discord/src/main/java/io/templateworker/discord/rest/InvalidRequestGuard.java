package io.templateworker.discord.rest;

import java.util.function.LongSupplier;

/**
 * Counts invalid answers (401, 403, and 429s other than {@code shared} ones) over a sliding 10 minutes, in one-second
 * slots, so requests can be refused locally well before Discord's limit of 10,000 (past which Cloudflare bans the IP
 * for a while).
 */
public final class InvalidRequestGuard {

    static final int WINDOW_SECONDS = 600;

    private final int limit;
    private final LongSupplier nanoClock;
    private final int[] slots = new int[WINDOW_SECONDS];
    private final long[] slotSecond = new long[WINDOW_SECONDS];
    private int total;
    private long expiredAt = Long.MIN_VALUE;

    /** @param limit invalid answers within 10 minutes after which {@link #admits()} says no */
    public InvalidRequestGuard(int limit, LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
    }

    public synchronized void record() {
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        int i = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        expire(second);
        if (slotSecond[i] != second) {
            slotSecond[i] = second;
            slots[i] = 0;
        }
        slots[i]++;
        total++;
    }

    /** True while fewer than the limit of invalid answers fall within the last 10 minutes. */
    public synchronized boolean admits() {
        expire(nanoClock.getAsLong() / 1_000_000_000L);
        return total < limit;
    }

    /** Invalid answers within the last 10 minutes. */
    public synchronized int count() {
        expire(nanoClock.getAsLong() / 1_000_000_000L);
        return total;
    }

    public int limit() {
        return limit;
    }

    /** Seconds until the oldest counted answer leaves the window (when requests may resume). */
    public synchronized long secondsUntilRelief() {
        long now = nanoClock.getAsLong() / 1_000_000_000L;
        expire(now);
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (slots[i] > 0) {
                oldest = Math.min(oldest, slotSecond[i]);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(1, oldest + WINDOW_SECONDS - now);
    }

    private void expire(long nowSecond) {
        if (nowSecond == expiredAt) {
            return; // slots only age out when the second changes
        }
        expiredAt = nowSecond;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (slots[i] > 0 && slotSecond[i] <= nowSecond - WINDOW_SECONDS) {
                total -= slots[i];
                slots[i] = 0;
            }
        }
    }
}
