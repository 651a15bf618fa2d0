package io.templateworker.discord.rest;

import java.net.http.HttpHeaders;

/**
 * Discord's rate-limit headers of one answer.
 *
 * @param bucket           {@code X-RateLimit-Bucket}, or null when the route is not limited per bucket
 * @param limit            {@code X-RateLimit-Limit}, -1 when absent
 * @param remaining        {@code X-RateLimit-Remaining}, -1 when absent
 * @param resetAfterNanos  {@code X-RateLimit-Reset-After} (or, on a 429, {@code retry_after}), -1 when absent
 * @param global           {@code X-RateLimit-Global} (a 429 of the global limit)
 * @param scope            {@code X-RateLimit-Scope} on a 429: {@code user}, {@code global} or {@code shared}; null otherwise
 */
public record RateLimitHeaders(String bucket, int limit, int remaining, long resetAfterNanos, boolean global, String scope) {

    /** From a header lookup (name → first value, or null; names in any case). */
    public static RateLimitHeaders of(java.util.function.UnaryOperator<String> h) {
        return new RateLimitHeaders(h.apply("x-ratelimit-bucket"), integer(h.apply("x-ratelimit-limit")),
                integer(h.apply("x-ratelimit-remaining")), seconds(h.apply("x-ratelimit-reset-after")),
                "true".equalsIgnoreCase(h.apply("x-ratelimit-global")), h.apply("x-ratelimit-scope"));
    }

    public static RateLimitHeaders of(HttpHeaders h) {
        return new RateLimitHeaders(h.firstValue("x-ratelimit-bucket").orElse(null),
                integer(h.firstValue("x-ratelimit-limit").orElse(null)),
                integer(h.firstValue("x-ratelimit-remaining").orElse(null)),
                seconds(h.firstValue("x-ratelimit-reset-after").orElse(null)),
                "true".equalsIgnoreCase(h.firstValue("x-ratelimit-global").orElse(null)),
                h.firstValue("x-ratelimit-scope").orElse(null));
    }

    static int integer(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Seconds with decimals (Discord sends millisecond precision) to nanoseconds, rounded up; -1 when absent. */
    static long seconds(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(v.trim()) * 1e9);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
