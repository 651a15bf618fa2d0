package io.templateworker.storage.expiry;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Consecutive failures of one kind of database work on one engine thread (claims, loads, deletes): the delay
 * before the next try (50 ms doubling to 1 s, so work resumes within a second of the database coming back)
 * and a log that says when the trouble starts, every 30 s while it lasts, and when it ends — not once per
 * attempt. Confined to one thread.
 */
final class FailureStreak {

    private static final long FIRST_DELAY_NANOS = Duration.ofMillis(50).toNanos();
    private static final long MAX_DELAY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final Logger log;
    private final String prefix;
    private int failures;
    private long firstNanos;
    private long lastLogNanos;

    FailureStreak(Logger log, String prefix) {
        this.log = log;
        this.prefix = prefix;
    }

    /** Records a failure of {@code what}; returns how long to wait before trying again. */
    Duration failed(String what, Throwable error) {
        long now = System.nanoTime();
        failures++;
        if (failures == 1) {
            firstNanos = now;
            lastLogNanos = now;
            log.warn("{}{} failed, retrying until it works: {}", prefix, what, error.getMessage());
        } else if (now - lastLogNanos >= LOG_EVERY_NANOS) {
            lastLogNanos = now;
            log.warn("{}{} still failing ({} attempts over {} s): {}", prefix, what, failures,
                    (now - firstNanos) / 1_000_000_000L, error.getMessage());
        }
        return Duration.ofNanos(Math.min(MAX_DELAY_NANOS, FIRST_DELAY_NANOS << Math.min(failures - 1, 5)));
    }

    /** Records a success; logs the end of a failure streak. */
    void succeeded(String what) {
        if (failures > 0) {
            log.info("{}{} work again after {} failed attempts over {} ms", prefix, what, failures,
                    (System.nanoTime() - firstNanos) / 1_000_000);
            failures = 0;
        }
    }

    boolean failing() {
        return failures > 0;
    }
}
