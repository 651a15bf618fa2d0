package io.templateworker.bench.kv;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.db.DatabaseOptions;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Tenant KV through {@link PostgresKvStore} on an embedded PostgreSQL with production durability ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on, as the service runs it; {@code --durability test}
 * uses the test server, which has them off): {@code set} (upsert of an existing or new key, a small map value)
 * and {@code get} (containment lookup of an existing key), each from several threads for a fixed time after a
 * warm-up of the same operation; prints ops/s over the time actually measured, and p50/p99 latency.
 *
 * <p>Args: {@code [--seconds S]} per operation (default 10), {@code [--threads N]} (default 4),
 * {@code [--tenants T]} (default 100), {@code [--keys K]} per tenant (default 100),
 * {@code [--durability production|test]}.
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
        boolean production = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--tenants" -> tenants = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--durability" -> production = switch (args[++i]) {
                    case "production" -> true;
                    case "test" -> false;
                    default -> throw new IllegalArgumentException("--durability is production or test, got " + args[i]);
                };
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "' (expected --seconds S, --threads N, --tenants T, --keys K or --durability production|test)");
            }
        }
        results.environment("kv.start");
        Path dir = Files.createTempDirectory("tw-kv-bench");
        Database database = production ? Database.open(DatabaseOptions.embedded(dir.resolve("pg"), threads + 2)) : null;
        try {
            if (database != null) {
                database.migrate();
            }
            run(results, production ? database.dataSource() : TestPostgres.freshDatabase(), seconds, threads, tenants, keys);
        } finally {
            if (database != null) {
                database.close();
            }
            try (var paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
        results.environment("kv.end");
    }

    private static void run(Results results, DataSource db, int seconds, int threads, int tenants, int keys) throws Exception {
        results.text("kv.postgres", settings(db));
        PostgresKvStore kv = new PostgresKvStore(db, InstantSource.system(), ExpiryListener.NONE);
        List<String> scopes = List.of("bench", "builtins.stings");
        for (int t = 1; t <= tenants; t++) {
            for (int k = 0; k < keys; k++) {
                kv.set(tenant(t), scopes, "key" + k, value(k));
            }
        }
        final int tenantCount = tenants;
        final int keyCount = keys;
        Op set = (store, rnd) ->
                store.set(tenant(1 + rnd.nextInt(tenantCount)), scopes, "key" + rnd.nextInt(keyCount * 2), value(rnd.nextInt(1000)));
        Op get = (store, rnd) -> {
            if (store.get(tenant(1 + rnd.nextInt(tenantCount)), List.of("bench"), "key" + rnd.nextInt(keyCount)) == null) {
                throw new IllegalStateException("benchmark key missing");
            }
        };
        // warm-up of each operation: JIT, connection pool, PostgreSQL's plan and buffer caches
        int warm = Math.max(2, seconds / 3);
        measure(kv, warm, threads, set);
        report(results, "kv.set", measure(kv, seconds, threads, set));
        measure(kv, warm, threads, get);
        report(results, "kv.get", measure(kv, seconds, threads, get));
        results.report("kv.threads", threads, "threads");
    }

    private static String settings(DataSource db) throws java.sql.SQLException {
        StringBuilder out = new StringBuilder();
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement s = c.createStatement()) {
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (java.sql.ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    out.append(out.isEmpty() ? "" : " ").append(name).append('=').append(rs.getString(1));
                }
            }
        }
        return out.toString();
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

    /** Latencies (sorted, nanoseconds) of the operations done, and the wall time they took. */
    private record Run(long[] sortedNanos, long wallNanos) {
    }

    /**
     * Runs {@code op} on {@code threads} threads for about {@code seconds}; the wall time is measured from the start
     * to the last thread finishing its last operation (which may end past the nominal end).
     */
    private static Run measure(PostgresKvStore kv, int seconds, int threads, Op op) throws InterruptedException {
        long begin = System.nanoTime();
        long end = begin + seconds * 1_000_000_000L;
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
        long wall = System.nanoTime() - begin;
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
        return new Run(all, wall);
    }

    private static void report(Results results, String name, Run run) {
        long[] sortedNanos = run.sortedNanos();
        results.report(name + ".throughput", sortedNanos.length / (run.wallNanos() / 1e9), "ops/s");
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
