package io.templateworker.discord.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.discord.DiscordException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's bookkeeping on a fake clock (no HTTP, no waiting): discovery, sharing, refusing long waits, cleanup. */
class RateLimiterTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RateLimiter limiter = new RateLimiter(50, now::get);
    static final long FAR = Long.MAX_VALUE / 4;

    static RateLimitHeaders bucket(String name, int limit, int remaining, double resetAfterSeconds) {
        return new RateLimitHeaders(name, limit, remaining, (long) (resetAfterSeconds * 1e9), false, null);
    }

    void answer(String route, String resource, RateLimitHeaders h) throws InterruptedException {
        RateLimiter.Lease lease = limiter.acquire(route, resource, true, FAR);
        lease.update(200, h, -1);
        lease.release();
    }

    @Test
    void routes_naming_the_same_bucket_share_one_queue_per_resource() throws InterruptedException {
        answer("PUT /r/{channel_id}/a", "c1", bucket("H", 5, 4, 1));
        answer("GET /r/{channel_id}/b", "c1", bucket("H", 5, 3, 1));
        RateLimiter.Lease a = limiter.acquire("PUT /r/{channel_id}/a", "c1", true, FAR);
        assertThat(a.bucketId()).isEqualTo("H|c1");
        a.release();
        RateLimiter.Lease other = limiter.acquire("GET /r/{channel_id}/b", "c2", true, FAR);
        assertThat(other.bucketId()).isEqualTo("H|c2");
        other.release();
        assertThat(limiter.bucketOf("GET /r/{channel_id}/b")).isEqualTo("H");
    }

    @Test
    void a_spent_bucket_refuses_a_wait_longer_than_the_deadline_without_sending() throws InterruptedException {
        answer("POST /m/{channel_id}", "c1", bucket("M", 1, 0, 30));
        assertThatThrownBy(() -> limiter.acquire("POST /m/{channel_id}", "c1", true, now.get() + TimeUnit.SECONDS.toNanos(5)))
                .isInstanceOfSatisfying(DiscordException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DiscordException.Kind.RATE_LIMITED);
                    assertThat(e.getMessage()).contains("limited for another 30.0 s");
                });
        // Once the window has passed the bucket is usable again.
        now.addAndGet(TimeUnit.SECONDS.toNanos(31));
        limiter.acquire("POST /m/{channel_id}", "c1", true, FAR).release();
    }

    @Test
    void a_route_answered_without_bucket_headers_is_unlimited() throws InterruptedException {
        answer("GET /gateway", "", new RateLimitHeaders(null, -1, -1, -1, false, null));
        RateLimiter.Lease lease = limiter.acquire("GET /gateway", "", true, FAR);
        assertThat(lease.bucketId()).isNull();
        lease.release();
    }

    @Test
    void a_global_429_holds_every_route_until_retry_after() throws InterruptedException {
        RateLimiter.Lease lease = limiter.acquire("GET /x", "", false, FAR);
        lease.update(429, new RateLimitHeaders(null, -1, -1, -1, true, "global"), TimeUnit.SECONDS.toNanos(20));
        lease.release();
        assertThatThrownBy(() -> limiter.acquire("GET /y", "", false, now.get() + TimeUnit.SECONDS.toNanos(1)))
                .isInstanceOf(DiscordException.class).hasMessageContaining("global limit");
        // Interaction routes are not bound to the global limit.
        limiter.acquire("POST /interactions/{interaction_id}/{interaction_token}/callback", "i1", true, now.get()).release();
    }

    @Test
    void idle_queues_are_dropped_after_five_minutes() throws InterruptedException {
        for (int c = 0; c < 100; c++) {
            answer("POST /m/{channel_id}", "c" + c, bucket("M", 5, 4, 1));
        }
        assertThat(limiter.bucketCount()).isEqualTo(100);
        now.addAndGet(RateLimiter.IDLE_NANOS * 2 + 1);
        answer("POST /m/{channel_id}", "c0", bucket("M", 5, 4, 1));
        assertThat(limiter.bucketCount()).isEqualTo(1);
    }
}
