package io.templateworker.api.ratelimit;

import io.templateworker.api.ApiException;
import io.templateworker.api.auth.Caller;
import io.templateworker.runtime.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The public API's request limits. Every rate-limited route charges the caller's {@link #GLOBAL} bucket; a few
 * routes charge a named bucket too ({@link #check(Caller, Limit)}). Callers are keyed by user id when they have a
 * session, else by client address. Failed token checks are limited per address ({@link #FAILED_AUTH}) so a
 * client cannot make the server hash and look up tokens without bound.
 */
public final class ApiRateLimiter {

    /** HEAD's per-user limit on every API call. */
    public static final Limit GLOBAL = new Limit("global", 10, Duration.ofSeconds(1));
    /** HEAD's limit on refreshing the guild list from Discord ({@code /users/@me/guilds?refresh=true}). */
    public static final Limit GUILD_LIST_REFRESH = new Limit("guild list refresh", 3, Duration.ofSeconds(5));
    /** HEAD's limit on guild information ({@code /users/@me/guilds/{guild_id}}). */
    public static final Limit GUILD_INFO = new Limit("guild info", 2, Duration.ofSeconds(5));
    /** Requests with a bad token, per client address. */
    public static final Limit FAILED_AUTH = new Limit("failed authentication", 10, Duration.ofSeconds(1));

    private final LongSupplier nanoClock;
    private final Limit global;
    private final Map<Limit, Gcra> buckets = new ConcurrentHashMap<>();
    /** Checked on every request with a token: kept at hand rather than looked up by its (record) key each time. */
    private final Gcra failedAuth;

    /** HEAD's limits on the system clock. */
    public static ApiRateLimiter defaults() {
        return new ApiRateLimiter(GLOBAL, System::nanoTime);
    }

    /** No limits at all (tests of other behaviour, tools). */
    public static ApiRateLimiter unlimited() {
        return new ApiRateLimiter(null, System::nanoTime);
    }

    /**
     * @param global    the limit every rate-limited request is charged, or null for no limits
     * @param nanoClock monotonic nanoseconds (tests pass a fake)
     */
    public ApiRateLimiter(Limit global, LongSupplier nanoClock) {
        this.global = global;
        this.nanoClock = nanoClock;
        this.failedAuth = gcra(FAILED_AUTH);
    }

    public boolean enabled() {
        return global != null;
    }

    /** Charges the caller's global bucket; 429 when it is empty. Root callers are never limited. */
    public void checkGlobal(Caller caller) {
        if (global != null) {
            check(caller, global);
        }
    }

    /** Charges the caller's bucket of {@code limit}; 429 when it is empty. Root callers are never limited. */
    public void check(Caller caller, Limit limit) {
        if (global == null || caller.root()) {
            return;
        }
        String key = caller.userId() != null ? "u:" + caller.userId() : "ip:" + caller.ip();
        long wait = gcra(limit).acquire(key);
        if (wait > 0) {
            WorkerMetrics.RATE_LIMIT_HITS.inc("api");
            throw ApiException.rateLimited("Too many requests: limit " + limit + " reached", wait / 1_000_000);
        }
    }

    /** 429 when {@code ip} sent too many bad tokens recently; checked before looking a token up. */
    public void refuseIfFailingAuth(String ip) {
        if (global == null) {
            return;
        }
        long wait = failedAuth.peek(ip);
        if (wait > 0) {
            WorkerMetrics.RATE_LIMIT_HITS.inc("api");
            throw ApiException.rateLimited("Too many requests with an invalid token from this address", wait / 1_000_000);
        }
    }

    /** Records a bad token from {@code ip}. */
    public void recordFailedAuth(String ip) {
        if (global != null) {
            failedAuth.acquire(ip);
        }
    }

    /** Every limit in use, for the docs. */
    public static List<Limit> documented() {
        return List.of(GLOBAL, GUILD_LIST_REFRESH, GUILD_INFO, FAILED_AUTH);
    }

    private Gcra gcra(Limit limit) {
        return buckets.computeIfAbsent(limit, l -> new Gcra(l, nanoClock));
    }
}
