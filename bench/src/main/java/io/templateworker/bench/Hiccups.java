package io.templateworker.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late this process gets to run at all: a platform thread asks to sleep 1 ms, over and over, and
 * records by how much each wake-up overshot (GC pauses, CPU taken by other processes, a frozen machine). A
 * latency figure cannot be better than these stalls, so benchmarks print them beside their own percentiles.
 * Overshoots are kept in 0.1 ms buckets up to 10 s (the last bucket collects longer ones); {@link #reset()}
 * starts a new phase.
 */
public final class Hiccups implements AutoCloseable {
    private static final long INTERVAL_NANOS = 1_000_000L;
    private static final long BUCKET_NANOS = 100_000L;
    private static final int BUCKETS = 100_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private volatile long maxNanos;
    private volatile boolean running = true;
    private final Thread thread;

    public Hiccups() {
        thread = Thread.ofPlatform().daemon().name("bench-hiccups").start(this::run);
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(INTERVAL_NANOS);
            long overshoot = Math.max(0, System.nanoTime() - before - INTERVAL_NANOS);
            counts.incrementAndGet((int) Math.min(BUCKETS - 1, overshoot / BUCKET_NANOS));
            if (overshoot > maxNanos) {
                maxNanos = overshoot;
            }
        }
    }

    /** Forgets what was recorded so far. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        maxNanos = 0;
    }

    /** Prints {@code prefix.stall.p99} and {@code prefix.stall.max} in ms. */
    public void report(Results results, String prefix) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        long seen = 0;
        int p99 = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.ceil(total * 0.99)) {
                p99 = i;
                break;
            }
        }
        results.report(prefix + ".stall.p99", (p99 + 1) * BUCKET_NANOS / 1e6, "ms");
        results.report(prefix + ".stall.max", maxNanos / 1e6, "ms");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
