package io.templateworker.bench.kv;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Tenant KV through {@link PostgresKvStore} on an embedded PostgreSQL (test settings: fsync off):
 * {@code set} (upsert of an existing or new key, a small map value) and {@code get} (containment lookup of an
 * existing key), each from several threads for a fixed time; prints ops/s and p50/p99 latency.
 *
 * <p>Args: {@code [--seconds S]} per operation (default 10), {@code [--threads N]} (default 4),
 * {@code [--tenants T]} (default 100), {@code [--keys K]} per tenant (default 100).
 */
public final class KvBench implements Bench {

    public static void main(String[] args) throws Exception {
        new KvBench().run(args, new Results(System.out));
        System.exit(0);
    }

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 10;
        int threads = 4;
        int tenants = 100;
        int keys = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--tenants" -> tenants = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "' (expected --seconds S, --threads N, --tenants T or --keys K)");
            }
        }
        DataSource db = TestPostgres.freshDatabase();
        PostgresKvStore kv = new PostgresKvStore(db, InstantSource.system(), ExpiryListener.NONE);
        List<String> scopes = List.of("bench", "builtins.stings");
        for (int t = 1; t <= tenants; t++) {
            for (int k = 0; k < keys; k++) {
                kv.set(tenant(t), scopes, "key" + k, value(k));
            }
        }
        final int tenantCount = tenants;
        final int keyCount = keys;
        // warm-up: JIT and connection pool
        measure(kv, 2, threads, (store, rnd) -> store.get(tenant(1 + rnd.nextInt(tenantCount)), scopes, "key" + rnd.nextInt(keyCount)));

        long[] set = measure(kv, seconds, threads, (store, rnd) ->
                store.set(tenant(1 + rnd.nextInt(tenantCount)), scopes, "key" + rnd.nextInt(keyCount * 2), value(rnd.nextInt(1000))));
        report(results, "kv.set", set, seconds);
        long[] get = measure(kv, seconds, threads, (store, rnd) -> {
            if (store.get(tenant(1 + rnd.nextInt(tenantCount)), List.of("bench"), "key" + rnd.nextInt(keyCount)) == null) {
                throw new IllegalStateException("benchmark key missing");
            }
        });
        report(results, "kv.get", get, seconds);
        results.report("kv.threads", threads, "threads");
    }

    private static TenantId tenant(int i) {
        return TenantId.guild(1_000_000_000_000L + i);
    }

    private static KhronosValue value(int n) {
        return KhronosValue.textMap("count", new KhronosValue.Int(n), "reason", new KhronosValue.Text("benchmark value " + n),
                "active", KhronosValue.Bool.TRUE);
    }

    private interface Op {
        void run(PostgresKvStore kv, ThreadLocalRandom random);
    }

    /** Runs {@code op} on {@code threads} threads for {@code seconds}; returns all latencies in nanoseconds. */
    private static long[] measure(PostgresKvStore kv, int seconds, int threads, Op op) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        int[] counts = new int[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[2_000_000];
            perThread.add(samples);
            final int index = t;
            workers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int n = 0;
                while (n < samples.length) {
                    long start = System.nanoTime();
                    if (start >= end) {
                        break;
                    }
                    op.run(kv, random);
                    samples[n++] = System.nanoTime() - start;
                }
                counts[index] = n;
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return all;
    }

    private static void report(Results results, String name, long[] sortedNanos, int seconds) {
        results.report(name + ".throughput", sortedNanos.length / (double) seconds, "ops/s");
        results.report(name + ".p50", percentile(sortedNanos, 0.50) / 1e6, "ms");
        results.report(name + ".p99", percentile(sortedNanos, 0.99) / 1e6, "ms");
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
