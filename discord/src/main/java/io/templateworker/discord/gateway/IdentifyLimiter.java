package io.templateworker.discord.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Discord's identify pacing: shards share {@code max_concurrency} buckets ({@code shard_id % max_concurrency}), each
 * allowing one identify per window. {@link #reserve} hands out the next free slot of a shard's bucket; shards asking
 * in id order therefore start bucket by bucket, as Discord asks.
 */
final class IdentifyLimiter {

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private long[] nextFree = new long[1];
    private int maxConcurrency = 1;

    IdentifyLimiter(Duration window, LongSupplier nanoClock) {
        // A little margin: Discord's window is measured on its side, after our identify crossed the network.
        this.windowNanos = window.toNanos() + (window.isZero() ? 0 : Duration.ofMillis(100).toNanos());
        this.nanoClock = nanoClock;
    }

    synchronized void maxConcurrency(int n) {
        if (n < 1) {
            n = 1;
        }
        if (n != maxConcurrency) {
            maxConcurrency = n;
            nextFree = new long[n];
            java.util.Arrays.fill(nextFree, Long.MIN_VALUE);
        }
    }

    synchronized int maxConcurrency() {
        return maxConcurrency;
    }

    /** Reserves the shard's next identify slot; returns how long to wait for it (0 = now). */
    synchronized long reserve(int shardId) {
        int bucket = shardId % maxConcurrency;
        long now = nanoClock.getAsLong();
        long at = nextFree[bucket] == Long.MIN_VALUE ? now : Math.max(now, nextFree[bucket]);
        nextFree[bucket] = at + windowNanos;
        return at - now;
    }
}
