package io.templateworker.bench.discord;

import io.templateworker.discord.rest.InvalidRequestGuard;
import io.templateworker.discord.rest.RateLimitHeaders;
import io.templateworker.discord.rest.RateLimiter;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One request's pass through the limiter, per case. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LimiterJmh {
    static final String ROUTE = "POST /channels/{channel_id}/messages";
    RateLimiter limiter;
    InvalidRequestGuard guard;
    HttpHeaders headers;
    HttpHeaders none;
    long farFuture;

    @Setup
    public void setup() throws InterruptedException {
        // A global limit high enough never to wait, and a bucket that never runs out: the limiter's bookkeeping alone.
        limiter = new RateLimiter(1_000_000, System::nanoTime);
        guard = new InvalidRequestGuard(5000, System::nanoTime);
        headers = HttpHeaders.of(Map.of("x-ratelimit-bucket", List.of("abcd1234"), "x-ratelimit-limit", List.of("1000000000"),
                "x-ratelimit-remaining", List.of("999999999"), "x-ratelimit-reset-after", List.of("60.000")), (a, b) -> true);
        none = HttpHeaders.of(Map.of(), (a, b) -> true);
        farFuture = System.nanoTime() + TimeUnit.DAYS.toNanos(1);
        RateLimiter.Lease first = limiter.acquire(ROUTE, "c1", false, farFuture);
        first.update(200, RateLimitHeaders.of(headers), -1);
        first.release();
        RateLimiter.Lease open = limiter.acquire("GET /gateway", "", false, farFuture);
        open.update(200, RateLimitHeaders.of(none), -1);
        open.release();
    }

    /** A route whose bucket is known: queue, bucket check, global window, header parse and update, release. */
    @Benchmark
    public Object knownBucket() throws InterruptedException {
        RateLimiter.Lease lease = limiter.acquire(ROUTE, "c1", false, farFuture);
        lease.update(200, RateLimitHeaders.of(headers), -1);
        lease.release();
        return lease;
    }

    /** A route without buckets (global window only). */
    @Benchmark
    public Object unlimitedRoute() throws InterruptedException {
        RateLimiter.Lease lease = limiter.acquire("GET /gateway", "", false, farFuture);
        lease.update(200, RateLimitHeaders.of(none), -1);
        lease.release();
        return lease;
    }

    /** The invalid-request guard's check, made before every request. */
    @Benchmark
    public boolean guardCheck() {
        return guard.admits();
    }
}
