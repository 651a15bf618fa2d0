package io.templateworker.api.ratelimit;

import java.time.Duration;

/**
 * A GCRA limit: a burst of {@code burst} requests, refilled over {@code period}.
 *
 * @param name the bucket name shown in 429 messages
 */
public record Limit(String name, int burst, Duration period) {

    public Limit {
        if (burst < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("limit " + name + " needs burst >= 1 and a positive period");
        }
    }

    /** Nanoseconds between two requests at the sustained rate. */
    long emissionIntervalNanos() {
        return period.toNanos() / burst;
    }

    @Override
    public String toString() {
        return name + " (" + burst + " per " + human(period) + ")";
    }

    private static String human(Duration d) {
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() == 1 ? "minute" : d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() == 1 ? "second" : d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
