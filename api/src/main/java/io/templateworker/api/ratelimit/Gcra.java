package io.templateworker.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The generic cell rate algorithm over many keys: each key keeps one "theoretical arrival time". A request is
 * admitted when it would not push that time more than {@code period - interval} into the future. Keys idle for
 * longer than the longest period are forgotten (a forgotten key is a full bucket, which it would be anyway).
 */
final class Gcra {

    private final Limit limit;
    private final LongSupplier nanoClock;
    private final Cache<String, AtomicLong> arrivals;

    Gcra(Limit limit, LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.arrivals = Caffeine.newBuilder().expireAfterAccess(limit.period().plus(Duration.ofSeconds(1)))
                .maximumSize(1_000_000).build();
    }

    Limit limit() {
        return limit;
    }

    /** Admits one request for {@code key} and returns 0, or returns how many nanoseconds to wait. */
    long acquire(String key) {
        AtomicLong tat = arrivals.get(key, k -> new AtomicLong(Long.MIN_VALUE));
        long interval = limit.emissionIntervalNanos();
        long tolerance = limit.period().toNanos() - interval;
        while (true) {
            long now = nanoClock.getAsLong();
            long current = tat.get();
            long start = current == Long.MIN_VALUE || current - now < 0 ? now : current;
            long wait = start - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (tat.compareAndSet(current, start + interval)) {
                return 0;
            }
        }
    }

    /** How long {@code key} must wait before its next request, without using one (0 = may go now). */
    long peek(String key) {
        AtomicLong tat = arrivals.getIfPresent(key);
        if (tat == null) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long wait = tat.get() - now - (limit.period().toNanos() - limit.emissionIntervalNanos());
        return Math.max(0, wait);
    }
}
