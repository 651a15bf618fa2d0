package io.templateworker.discord.rest;

import io.templateworker.runtime.discord.DiscordException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Discord's rate limits, as the headers teach them.
 *
 * <ul>
 *   <li>A route ({@code METHOD /template}) belongs to a bucket named by {@code X-RateLimit-Bucket}; routes answering
 *       with the same name share it. A bucket is counted per top-level resource (channel, guild, webhook), so the
 *       queue key is {@code bucket|resource}.</li>
 *   <li>Requests of one bucket go one at a time, in arrival order (a fair lock), and each waits while the last answer
 *       said {@code remaining = 0} and its {@code reset-after} has not passed: no request is ever sent that the
 *       bucket's headers forbid. A route whose bucket is not known yet also goes one at a time until its first
 *       answer names the bucket; a route answered without bucket headers is unlimited (global limit only).</li>
 *   <li>The global limit: at most {@code perSecond} requests in any sliding second (plus a small margin for network
 *       jitter), interaction and webhook-token routes exempt; a global 429 pauses every request for
 *       {@code retry_after}.</li>
 * </ul>
 */
public final class RateLimiter {

    /** Slack added to the global window so that jitter in arrival times cannot squeeze N+1 requests into Discord's second. */
    static final long GLOBAL_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A bucket queue idle this long after its reset is dropped (one exists per channel or guild ever used). */
    static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final LongSupplier nanoClock;
    private final Map<String, String> bucketOfRoute = new ConcurrentHashMap<>();
    private final Map<String, Boolean> unlimitedRoutes = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Global global;
    private final java.util.concurrent.atomic.AtomicLong nextSweep = new java.util.concurrent.atomic.AtomicLong();

    public RateLimiter(int globalPerSecond, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.global = new Global(globalPerSecond);
        this.nextSweep.set(nanoClock.getAsLong() + IDLE_NANOS);
    }

    /** One queue: the state the last answer of its bucket gave. Guarded by {@link #lock}. */
    static final class Bucket {
        final String id;
        final ReentrantLock lock = new ReentrantLock(true);
        int limit = 1;
        int remaining = 1;
        long resetAt = Long.MIN_VALUE / 2; // nanoTime may be negative: "long ago", not 0
        /** Set when the bucket's route turned out to belong to a named bucket (or to none): waiters look again. */
        volatile boolean retired;

        Bucket(String id) {
            this.id = id;
        }
    }

    /** What a request holds while it is in flight; give it back with {@link #release}. */
    public final class Lease {
        private final String route;
        private final String resource;
        private final Bucket bucket;

        Lease(String route, String resource, Bucket bucket) {
            this.route = route;
            this.resource = resource;
            this.bucket = bucket;
        }

        /** The bucket queue this request went through, null for an unlimited route. */
        public String bucketId() {
            return bucket == null ? null : bucket.id;
        }

        /**
         * Learns from an answer: the route's bucket, what remains of it and when it resets; a 429 empties the bucket
         * (or pauses everything, for the global limit) for {@code retry_after}.
         *
         * @param retryAfterNanos the 429 body's {@code retry_after}, -1 when none
         */
        public void update(int status, RateLimitHeaders h, long retryAfterNanos) {
            long now = nanoClock.getAsLong();
            if (status == 429 && (h.global() || "global".equals(h.scope()))) {
                global.pause(now + Math.max(retryAfterNanos, 0));
                return;
            }
            Bucket target = bucket;
            if (h.bucket() != null) {
                bucketOfRoute.put(route, h.bucket());
                unlimitedRoutes.remove(route);
                String id = h.bucket() + "|" + resource;
                if (bucket == null || !bucket.id.equals(id)) {
                    target = buckets.computeIfAbsent(id, Bucket::new);
                    retireIfProvisional(bucket);
                }
            } else if (status != 429 && h.limit() < 0) {
                unlimitedRoutes.put(route, Boolean.TRUE);
                bucketOfRoute.remove(route);
                retireIfProvisional(bucket);
                return;
            }
            if (target == null) {
                return;
            }
            // The target may be another queue than the one held (a bucket just discovered); its fields are only
            // written under its own lock or here from the one request that found it, so take its lock briefly.
            boolean own = target == bucket;
            if (!own) {
                target.lock.lock();
            }
            try {
                if (h.limit() >= 0) {
                    target.limit = h.limit();
                }
                if (h.remaining() >= 0) {
                    target.remaining = h.remaining();
                }
                if (h.resetAfterNanos() >= 0) {
                    target.resetAt = now + h.resetAfterNanos();
                }
                if (status == 429) {
                    target.remaining = 0;
                    target.resetAt = Math.max(target.resetAt, now + Math.max(retryAfterNanos, 0));
                }
            } finally {
                if (!own) {
                    target.lock.unlock();
                }
            }
        }

        /** A route's provisional queue ("?route|resource") ends once its bucket is known; named ones may be shared. */
        private void retireIfProvisional(Bucket b) {
            if (b != null && b.id.startsWith("?")) {
                b.retired = true;
                buckets.remove(b.id, b); // waiters holding it see "retired" and look again
            }
        }

        public void release() {
            if (bucket != null && bucket.lock.isHeldByCurrentThread()) {
                bucket.lock.unlock();
            }
        }
    }

    /**
     * Waits until a request of {@code route} on {@code resource} may be sent, and takes its bucket's place.
     *
     * @param route        {@code METHOD /route/{template}}
     * @param resource     the top-level resource the bucket is counted per ("" when none)
     * @param globalExempt interaction and webhook-token routes do not count toward the global limit
     * @param deadline     nanoClock time after which waiting fails with {@link DiscordException.Kind#RATE_LIMITED}
     */
    public Lease acquire(String route, String resource, boolean globalExempt, long deadline) throws InterruptedException {
        sweepIfDue();
        while (true) {
            Bucket b = null;
            if (!unlimitedRoutes.containsKey(route)) {
                String name = bucketOfRoute.get(route);
                String id = (name != null ? name : "?" + route) + "|" + resource;
                b = buckets.computeIfAbsent(id, Bucket::new);
                if (!b.lock.tryLock(Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS)) {
                    throw waitTooLong("bucket " + route, deadline - nanoClock.getAsLong());
                }
                if (b.retired) {
                    b.lock.unlock();
                    continue;
                }
            }
            try {
                if (b != null) {
                    awaitBucket(b, route, deadline);
                }
                if (!globalExempt) {
                    global.acquire(deadline);
                }
            } catch (InterruptedException | RuntimeException e) {
                if (b != null) {
                    b.lock.unlock();
                }
                throw e;
            }
            return new Lease(route, resource, b);
        }
    }

    private void awaitBucket(Bucket b, String route, long deadline) throws InterruptedException {
        long now = nanoClock.getAsLong();
        if (b.remaining > 0) {
            b.remaining--; // counted now, so a failed send cannot make the next request overrun the bucket
            return;
        }
        if (now < b.resetAt) {
            if (b.resetAt > deadline) {
                throw waitTooLong(route, b.resetAt - now);
            }
            TimeUnit.NANOSECONDS.sleep(b.resetAt - now);
        }
        // A new window: the limit is back (the answer to this request will say exactly what is left).
        b.remaining = Math.max(0, b.limit - 1);
    }

    private static DiscordException waitTooLong(String what, long nanos) {
        return DiscordException.of(DiscordException.Kind.RATE_LIMITED, "Discord rate limit: " + what + " is limited for another "
                + String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, nanos) / 1e9) + " s, longer than this call may wait;"
                + " try again later or send fewer requests", null);
    }

    /** Drops queues nobody waits on whose window ended long ago; a thread that still holds one sees it retired. */
    private void sweepIfDue() {
        long now = nanoClock.getAsLong();
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + IDLE_NANOS)) {
            return;
        }
        for (Bucket b : buckets.values()) {
            if (now - b.resetAt > IDLE_NANOS && b.lock.tryLock()) {
                try {
                    if (!b.lock.hasQueuedThreads()) {
                        b.retired = true;
                        buckets.remove(b.id, b);
                    }
                } finally {
                    b.lock.unlock();
                }
            }
        }
    }

    /** The bucket name Discord gave a route, or null while unknown. */
    public String bucketOf(String route) {
        return bucketOfRoute.get(route);
    }

    /** How many bucket queues exist (for tests and metrics). */
    public int bucketCount() {
        return buckets.size();
    }

    /** The global limit: a sliding window over the send times of the last {@code perSecond} requests. */
    private final class Global {
        private final long[] sent;
        private int next;
        private long pausedUntil = Long.MIN_VALUE / 2;

        Global(int perSecond) {
            this.sent = new long[Math.max(1, perSecond)];
            java.util.Arrays.fill(sent, Long.MIN_VALUE / 2);
        }

        void acquire(long deadline) throws InterruptedException {
            while (true) {
                long wait;
                synchronized (this) {
                    long now = nanoClock.getAsLong();
                    wait = Math.max(pausedUntil - now, sent[next] + 1_000_000_000L + GLOBAL_MARGIN_NANOS - now);
                    if (wait <= 0) {
                        sent[next] = now;
                        next = (next + 1) % sent.length;
                        return;
                    }
                    if (now + wait > deadline) {
                        throw waitTooLong("the global limit", wait);
                    }
                }
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }

        synchronized void pause(long until) {
            pausedUntil = Math.max(pausedUntil, until);
        }
    }
}
