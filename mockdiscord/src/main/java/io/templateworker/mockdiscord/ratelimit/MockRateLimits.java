package io.templateworker.mockdiscord.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Rate limits as Discord applies them. Each route names a bucket; routes with the same bucket name share one limit
 * (Discord's shared buckets, told apart only by {@code X-RateLimit-Bucket}). A bucket is counted per caller and per
 * top-level resource (channel, guild, webhook). Windows are fixed: the first request opens one, it resets after the
 * bucket's window. A global limit counts every request of a caller except interaction and webhook-token routes.
 * Tests can force 429s on a route ({@link #force}).
 */
public final class MockRateLimits {

    /** A limit of {@code limit} requests per {@code window}; {@code limit} 0 means unlimited. */
    public record Limit(int limit, Duration window) {
    }

    /**
     * Forced 429s: the next {@code count} requests matching {@code method} (null = any) and {@code route} (a route
     * template such as {@code /channels/{channel_id}/messages}, or {@code *}) are answered 429.
     *
     * @param scope {@code user}, {@code shared} or {@code global}, as Discord's {@code X-RateLimit-Scope}
     */
    public record Forced(String method, String route, int count, double retryAfterSeconds, String scope) {
    }

    /** What a check decided: pass (with headers) or 429. */
    public record Decision(boolean limited, String scope, double retryAfterSeconds, Map<String, String> headers) {
    }

    private final LongSupplier nanoClock;
    private final LongSupplier epochMillis;
    private final Map<String, Limit> buckets = new TreeMap<>();
    private final Map<String, List<String>> routesOfBucket = new TreeMap<>();
    private Limit defaultLimit = new Limit(50, Duration.ofSeconds(1));
    private Limit global = new Limit(50, Duration.ofSeconds(1));
    private final Map<String, Window> windows = new HashMap<>();
    private final List<Forced> forced = new ArrayList<>();
    private final Map<String, Long> stats = new LinkedHashMap<>();

    private static final class Window {
        long resetAtNanos;
        int used;
    }

    public MockRateLimits(LongSupplier nanoClock, LongSupplier epochMillis) {
        this.nanoClock = nanoClock;
        this.epochMillis = epochMillis;
        resetStats();
        // Discord's known per-route limits for the busiest routes; everything else gets the default.
        buckets.put("messages.create", new Limit(5, Duration.ofSeconds(5)));
        buckets.put("messages.delete", new Limit(5, Duration.ofSeconds(1)));
        buckets.put("reactions", new Limit(1, Duration.ofMillis(250)));
    }

    /** Records which route uses which bucket (for {@link #describe}). */
    public synchronized void registerRoute(String method, String route, String bucket) {
        routesOfBucket.computeIfAbsent(bucket, b -> new ArrayList<>()).add(method + " " + route);
    }

    public synchronized void setLimit(String bucket, Limit limit) {
        buckets.put(bucket, limit);
        windows.keySet().removeIf(k -> k.startsWith(bucket + "|"));
    }

    public synchronized void setDefault(Limit limit) {
        defaultLimit = limit;
        windows.clear();
    }

    public synchronized void setGlobal(Limit limit) {
        global = limit;
        windows.keySet().removeIf(k -> k.startsWith("global|"));
    }

    /** Makes every bucket and the global limit unlimited (tests that are not about rate limits). */
    public synchronized void disable() {
        buckets.replaceAll((k, v) -> new Limit(0, v.window()));
        defaultLimit = new Limit(0, defaultLimit.window());
        global = new Limit(0, global.window());
        windows.clear();
    }

    public synchronized Limit limitOf(String bucket) {
        return buckets.getOrDefault(bucket, defaultLimit);
    }

    public synchronized Limit global() {
        return global;
    }

    public synchronized Limit defaultLimit() {
        return defaultLimit;
    }

    public synchronized void force(Forced f) {
        forced.add(f);
    }

    public synchronized List<Forced> forced() {
        return List.copyOf(forced);
    }

    public synchronized void clearForced() {
        forced.clear();
    }

    /** Counters: requests checked, 429s by scope ({@code user}, {@code shared}, {@code global}) and forced ones. */
    public synchronized Map<String, Long> stats() {
        return new LinkedHashMap<>(stats);
    }

    /** Zeroes the counters and forgets every open window. */
    public synchronized void resetStats() {
        stats.clear();
        for (String k : List.of("requests", "limited_user", "limited_shared", "limited_global", "forced")) {
            stats.put(k, 0L);
        }
        windows.clear();
    }

    /** Every bucket with its limit, hash and routes. */
    public synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("global", limitJson(global));
        out.put("default", limitJson(defaultLimit));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : routesOfBucket.entrySet()) {
            Map<String, Object> b = limitJson(limitOf(e.getKey()));
            b.put("name", e.getKey());
            b.put("hash", hash(e.getKey()));
            b.put("routes", e.getValue());
            list.add(b);
        }
        out.put("buckets", list);
        List<Map<String, Object>> f = new ArrayList<>();
        for (Forced x : forced) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", x.method());
            m.put("route", x.route());
            m.put("count", x.count());
            m.put("retry_after", x.retryAfterSeconds());
            m.put("scope", x.scope());
            f.add(m);
        }
        out.put("forced", f);
        return out;
    }

    private static Map<String, Object> limitJson(Limit l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit", l.limit());
        m.put("window_ms", l.window().toMillis());
        return m;
    }

    /**
     * Checks one request and counts it when it passes.
     *
     * @param caller       who is calling (the Authorization header; Discord counts per bot or user)
     * @param major        the top-level resource of the path (channel, guild or webhook id), or "" for none
     * @param globalExempt interaction and webhook-token routes do not count toward the global limit
     */
    public synchronized Decision check(String method, String route, String bucket, String major, String caller,
                                       boolean globalExempt) {
        stats.merge("requests", 1L, Long::sum);
        long now = nanoClock.getAsLong();
        Limit limit = limitOf(bucket);
        String bucketKey = bucket + "|" + caller + "|" + major;
        Forced f = takeForced(method, route);
        if (f != null) {
            stats.merge("forced", 1L, Long::sum);
            return limited(f.scope(), f.retryAfterSeconds(), limit, bucket, window(bucketKey, limit, now), now);
        }
        if (!globalExempt && global.limit() > 0) {
            Window g = window("global|" + caller, global, now);
            if (g.used >= global.limit()) {
                stats.merge("limited_global", 1L, Long::sum);
                return limited("global", secondsUntil(g.resetAtNanos, now), limit, bucket, null, now);
            }
            g.used++;
        }
        if (limit.limit() <= 0) {
            return new Decision(false, null, 0, Map.of());
        }
        Window w = window(bucketKey, limit, now);
        if (w.used >= limit.limit()) {
            stats.merge("limited_user", 1L, Long::sum);
            if (!globalExempt && global.limit() > 0) {
                windows.get("global|" + caller).used--; // a refused request does not count toward the global limit
            }
            return limited("user", secondsUntil(w.resetAtNanos, now), limit, bucket, w, now);
        }
        w.used++;
        return new Decision(false, null, 0, headers(limit, bucket, w, now));
    }

    private Forced takeForced(String method, String route) {
        for (Iterator<Forced> it = forced.iterator(); it.hasNext(); ) {
            Forced f = it.next();
            boolean methodMatches = f.method() == null || f.method().equalsIgnoreCase(method);
            boolean routeMatches = f.route() == null || f.route().equals("*") || f.route().equals(route);
            if (methodMatches && routeMatches) {
                it.remove();
                if (f.count() > 1) {
                    forced.add(new Forced(f.method(), f.route(), f.count() - 1, f.retryAfterSeconds(), f.scope()));
                }
                return f;
            }
        }
        return null;
    }

    private Window window(String key, Limit limit, long now) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        if (w.resetAtNanos == 0 || now >= w.resetAtNanos) {
            w.used = 0;
            w.resetAtNanos = now + limit.window().toNanos();
        }
        return w;
    }

    private Decision limited(String scope, double retryAfter, Limit limit, String bucket, Window w, long now) {
        if (scope.equals("shared")) {
            stats.merge("limited_shared", 1L, Long::sum);
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (w != null && limit.limit() > 0) {
            h.putAll(headers(limit, bucket, w, now));
        }
        h.put("Retry-After", Long.toString((long) Math.ceil(retryAfter)));
        h.put("X-RateLimit-Scope", scope);
        if (scope.equals("global")) {
            h.put("X-RateLimit-Global", "true");
        }
        return new Decision(true, scope, retryAfter, h);
    }

    private Map<String, String> headers(Limit limit, String bucket, Window w, long now) {
        Map<String, String> h = new LinkedHashMap<>();
        double resetAfter = secondsUntil(w.resetAtNanos, now);
        h.put("X-RateLimit-Limit", Integer.toString(limit.limit()));
        h.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, limit.limit() - w.used)));
        double resetEpoch = (epochMillis.getAsLong() + (long) Math.ceil(resetAfter * 1000)) / 1000.0;
        h.put("X-RateLimit-Reset", String.format(java.util.Locale.ROOT, "%.3f", resetEpoch));
        h.put("X-RateLimit-Reset-After", String.format(java.util.Locale.ROOT, "%.3f", resetAfter));
        h.put("X-RateLimit-Bucket", hash(bucket));
        return h;
    }

    /** Seconds until {@code at}, rounded up to the millisecond so a client waiting that long is never early. */
    private static double secondsUntil(long atNanos, long now) {
        long millis = Math.max(0, (atNanos - now + 999_999) / 1_000_000);
        return millis / 1000.0;
    }

    /** The opaque bucket id Discord would send: a stable hash of the bucket's name. */
    public static String hash(String bucket) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bucket.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
