package io.templateworker.bench.expiry;

import io.templateworker.bench.Bench;
import io.templateworker.bench.BenchStores;
import io.templateworker.bench.Hiccups;
import io.templateworker.bench.Results;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.db.DatabaseOptions;
import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.sql.Sql;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.expiry.KeyEventRouter;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * {@link KeyExpiryEngine} as the service runs it: one engine per worker (production {@link ExpiryConfig}),
 * every expiry delivered as a {@code KeyExpiry} event through a {@link ThreadPool} to a Luau template
 * ({@code return 1}), on an embedded PostgreSQL with production durability ({@code fsync},
 * {@code synchronous_commit}, {@code full_page_writes} on; {@code --durability test} uses the test server,
 * which has them off). A key counts as delivered when its template returned. Three measurements:
 *
 * <ol>
 *   <li><b>Overdue at start</b>: {@code --overdue} keys already overdue; time from just before {@code start()}
 *       (which loads them) to the last delivery and to the last row deleted.</li>
 *   <li><b>Steady rate</b> for each N in {@code --rates}: a producer writes N keys per second for
 *       {@code --seconds}, in batches every 10 ms, each due 2 s to {@code --max-lead-seconds} after it is
 *       written, and tells the engines as the KV store would. At 10 000/s more keys are pending than the engines
 *       hold in memory ({@code --max-in-memory}, 50 000 each; production 200 000), so windows are loaded in parts
 *       as they slide. Prints lateness (delivery minus due time) p50/p99/p99.9/max, lost and doubled keys.</li>
 *   <li><b>Drain</b>: {@code --drain} keys (more than the cap) due at once; deliveries per second until every
 *       row is deleted.</li>
 * </ol>
 *
 * <p>Args: {@code [--seconds S]} (60), {@code [--rates 1000,10000]} ({@code none} skips), {@code [--drain K]}
 * (250 000), {@code [--overdue K]} (10 000), {@code [--workers N]} (2), {@code [--max-lead-seconds L]} (30),
 * {@code [--max-in-memory N]} per engine (50 000),
 * {@code [--claim-ahead-ms MS]} (the engine's default), {@code [--durability production|test]}.
 */
public final class ExpiryBench implements Bench {

    private static final List<String> SCOPES = List.of("bench");
    private static final int TENANTS = 1000;
    private static final Duration MIN_LEAD = Duration.ofSeconds(2);

    private Duration claimAhead;
    /** The embedded server's postmaster, whose backends' CPU is reported (-1: the test server, not measured). */
    private long postmasterPid = -1;
    private final Hiccups hiccups = new Hiccups();
    private int maxInMemory = 50_000;
    private int workers = 2;
    private Duration maxLead = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new ExpiryBench().run(args, new Results(System.out));
        System.exit(0);
    }

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 60;
        int[] rates = {1000, 10000};
        int drain = 250_000;
        int overdue = 10_000;
        boolean production = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rates" -> {
                    String list = args[++i];
                    rates = "none".equals(list) ? new int[0] : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
                }
                case "--drain" -> drain = Integer.parseInt(args[++i]);
                case "--overdue" -> overdue = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--max-lead-seconds" -> maxLead = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--claim-ahead-ms" -> claimAhead = Duration.ofMillis(Long.parseLong(args[++i]));
                case "--max-in-memory" -> maxInMemory = Integer.parseInt(args[++i]);
                case "--durability" -> production = switch (args[++i]) {
                    case "production" -> true;
                    case "test" -> false;
                    default -> throw new IllegalArgumentException("--durability is production or test, got " + args[i]);
                };
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --seconds S,"
                        + " --rates N,M, --drain K, --overdue K, --workers N, --max-lead-seconds L, --claim-ahead-ms MS,"
                        + " --max-in-memory N or --durability production|test)");
            }
        }
        results.environment("expiry.start");
        Path dir = Files.createTempDirectory("tw-expiry-bench");
        Database database = production ? Database.open(DatabaseOptions.embedded(dir.resolve("pg"), 4 * workers + 4)) : null;
        DataSource db = production ? database.dataSource() : TestPostgres.freshDatabase();
        if (production) {
            database.migrate();
            postmasterPid = database.embeddedPid();
        }
        results.text("expiry.postgres", settings(db));
        results.report("expiry.engines", workers, "engines");
        results.report("expiry.in_memory_cap_per_engine", maxInMemory, "keys");
        results.report("expiry.claim_ahead", config(0).claimAhead().toMillis(), "ms");
        ThreadPool pool = new ThreadPool(workers, WorkerConfig.DEFAULTS, BenchStores.subscribedTo("KeyExpiry", 1, null),
                LuauIsolateFactory.withDefaultLimits(), ErrorReporter.LOG, KhronosValue.Null.INSTANCE).start();
        try {
            warmUp(db, pool);
            overdueAtStart(results, db, pool, overdue);
            for (int rate : rates) {
                steadyRate(results, db, pool, rate, seconds);
            }
            drain(results, db, pool, drain);
        } finally {
            hiccups.close();
            pool.kill();
            if (database != null) {
                database.close();
            }
            deleteRecursively(dir);
        }
        results.environment("expiry.end");
    }

    // ---------------------------------------------------------------- phases

    /** Builds every tenant's VM and lets the JIT see the path once, so the first phase is not a cold start. */
    private void warmUp(DataSource db, ThreadPool pool) throws Exception {
        truncate(db);
        Instant past = Instant.now().minusSeconds(1);
        insert(db, 0, 5 * TENANTS, i -> past);
        Deliveries d = new Deliveries(pool, 5 * TENANTS);
        try (Engines engines = new Engines(db, d)) {
            engines.start();
            d.awaitAll(5L * TENANTS, Duration.ofSeconds(120));
        }
    }

    private void overdueAtStart(Results results, DataSource db, ThreadPool pool, int count) throws Exception {
        truncate(db);
        Instant past = Instant.now().minusSeconds(60);
        insert(db, 0, count, i -> past.plusMillis(i % 50_000));
        Deliveries d = new Deliveries(pool, count);
        long begin = System.nanoTime();
        try (Engines engines = new Engines(db, d)) {
            engines.start(); // loads the overdue keys: inside the timed span
            long started = System.nanoTime();
            d.awaitAll(count, Duration.ofSeconds(120));
            long fired = d.lastDeliveryNanos.get() - begin;
            awaitRows(db, 0, Duration.ofSeconds(120));
            long deleted = System.nanoTime() - begin;
            results.report("expiry.overdue.count", count, "keys");
            results.report("expiry.overdue.start_call", (started - begin) / 1e6, "ms");
            results.report("expiry.overdue.start_to_all_delivered", fired / 1e6, "ms");
            results.report("expiry.overdue.start_to_all_deleted", deleted / 1e6, "ms");
            results.report("expiry.overdue.doubled", d.doubled.get(), "keys");
        }
    }

    private void steadyRate(Results results, DataSource db, ThreadPool pool, int rate, int seconds) throws Exception {
        truncate(db);
        long total = (long) rate * seconds;
        Deliveries d = new Deliveries(pool, (int) Math.min(total, Integer.MAX_VALUE - 8));
        try (Engines engines = new Engines(db, d)) {
            engines.start();
            long tickNanos = Duration.ofMillis(10).toNanos();
            int perTick = Math.max(1, rate / 100);
            long spread = maxLead.minus(MIN_LEAD).toNanos();
            long startNanos = System.nanoTime();
            hiccups.reset();
            long jvmCpu0 = jvmCpuNanos();
            long pgCpu0 = postgresCpuNanos();
            long written = 0;
            long tick = 0;
            int maxInMemory = 0;
            while (written < total) {
                long wait = startNanos + tick * tickNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = (int) Math.min(perTick, total - written);
                final long base = written;
                final Instant writtenAt = Instant.now(); // not the schedule: a producer behind it must not write overdue keys
                // due MIN_LEAD..maxLead after writing, spread by a fixed permutation (no two neighbours close)
                insertAndNotify(db, engines, base, n, i -> writtenAt.plusNanos(MIN_LEAD.toNanos()
                        + (i * 7_919L % 10_007L) * spread / 10_007L));
                written += n;
                tick++;
                if (tick % 100 == 0) {
                    maxInMemory = Math.max(maxInMemory, engines.inMemory());
                }
            }
            double producedRate = written / ((System.nanoTime() - startNanos) / 1e9);
            d.awaitAll(written, maxLead.plusSeconds(60));
            double wall = (System.nanoTime() - startNanos) / 1e9;
            double jvmCpu = (jvmCpuNanos() - jvmCpu0) / 1e9;
            double pgCpu = (postgresCpuNanos() - pgCpu0) / 1e9;
            engines.awaitRescans(2); // a full search for overdue keys after the last delivery: no second delivery
            long[] sorted = d.sortedLateness();
            String p = "expiry.rate" + rate;
            results.report(p + ".written", written, "keys");
            results.report(p + ".write_rate", producedRate, "keys/s");
            results.report(p + ".in_memory_max", maxInMemory, "keys");
            results.report(p + ".lateness.p50", percentile(sorted, 0.50) / 1e6, "ms");
            results.report(p + ".lateness.p99", percentile(sorted, 0.99) / 1e6, "ms");
            results.report(p + ".lateness.p999", percentile(sorted, 0.999) / 1e6, "ms");
            results.report(p + ".lateness.max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, "ms");
            long[] handoff = d.sortedHandoffLateness();
            results.report(p + ".handoff_lateness.p50", percentile(handoff, 0.50) / 1e6, "ms");
            results.report(p + ".handoff_lateness.p99", percentile(handoff, 0.99) / 1e6, "ms");
            long[] afterHandoff = d.sortedAfterHandoff();
            results.report(p + ".after_handoff.p50", percentile(afterHandoff, 0.50) / 1e6, "ms");
            results.report(p + ".after_handoff.p99", percentile(afterHandoff, 0.99) / 1e6, "ms");
            results.report(p + ".claimed_after_due", engines.claimedLate(), "keys");
            hiccups.report(results, p);
            results.report(p + ".early", d.early.get(), "keys");
            results.report(p + ".lost", written - d.distinct.size(), "keys");
            results.report(p + ".doubled", d.doubled.get(), "keys");
            results.report(p + ".failed_dispatches", d.failed.get(), "keys");
            // CPU per key survives a loaded machine better than wall-clock figures: the bench's JVM (producer,
            // engines, worker pool and Luau) and the PostgreSQL server, from the first write to the last delivery.
            results.report(p + ".cpu_per_1000_keys.jvm", jvmCpu * 1000 / written * 1000, "ms");
            if (postmasterPid > 0) {
                results.report(p + ".cpu_per_1000_keys.postgres", pgCpu * 1000 / written * 1000, "ms");
            }
            results.report(p + ".cpu_cores_used", (jvmCpu + pgCpu) / wall, "cores");
        }
        awaitRows(db, 0, Duration.ofSeconds(60));
    }

    private void drain(Results results, DataSource db, ThreadPool pool, int count) throws Exception {
        truncate(db);
        Instant due = Instant.now().minusSeconds(1);
        insert(db, 0, count, i -> due);
        Deliveries d = new Deliveries(pool, count);
        long jvmCpu0 = jvmCpuNanos();
        long pgCpu0 = postgresCpuNanos();
        long begin = System.nanoTime();
        try (Engines engines = new Engines(db, d)) {
            engines.start();
            d.awaitAll(count, Duration.ofSeconds(600));
            awaitRows(db, 0, Duration.ofSeconds(600));
            double secs = (System.nanoTime() - begin) / 1e9;
            results.report("expiry.drain.keys", count, "keys");
            results.report("expiry.drain.throughput", count / secs, "expiries/s");
            results.report("expiry.drain.doubled", d.doubled.get(), "keys");
            // Per key, so that a loaded machine's figure can still be compared with a quiet one's.
            results.report("expiry.drain.cpu_per_1000_keys.jvm", (jvmCpuNanos() - jvmCpu0) / 1e6 / count * 1000, "ms");
            if (postmasterPid > 0) {
                results.report("expiry.drain.cpu_per_1000_keys.postgres", (postgresCpuNanos() - pgCpu0) / 1e6 / count * 1000, "ms");
            }
        }
    }

    // ---------------------------------------------------------------- engines and deliveries

    /** Production defaults, with the bench's in-memory cap (and claim-ahead, if given). */
    private ExpiryConfig config(int workerId) {
        ExpiryConfig d = ExpiryConfig.defaults(workerId, workers);
        return new ExpiryConfig(workerId, workers, d.window(), d.slideInterval(), d.rescanInterval(), maxInMemory,
                d.batchSize(), claimAhead == null ? d.claimAhead() : claimAhead, d.lease(), d.dispatchTimeout(),
                d.maxAttempts(), d.initialBackoff(), d.maxBackoff());
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One engine per worker, as ThreadPoolMode runs them. */
    private final class Engines implements AutoCloseable {
        final List<KeyExpiryEngine> all = new ArrayList<>();

        Engines(DataSource db, KeyEventDispatcher dispatcher) {
            for (int i = 0; i < workers; i++) {
                all.add(new KeyExpiryEngine(db, dispatcher, ExpiryFailureHandler.LOG_ONLY, config(i), InstantSource.system()));
            }
        }

        void start() {
            for (KeyExpiryEngine e : all) {
                e.start();
            }
        }

        void expiryChanged(TenantId tenant, String id, String key, Instant expiresAt) {
            all.get(tenant.workerOf(workers)).expiryChanged(tenant, id, key, SCOPES, expiresAt);
        }

        int inMemory() {
            int n = 0;
            for (KeyExpiryEngine e : all) {
                n += e.stats().inMemory();
            }
            return n;
        }

        long claimedLate() {
            long n = 0;
            for (KeyExpiryEngine e : all) {
                n += e.stats().claimedLate();
            }
            return n;
        }

        void awaitRescans(int n) throws InterruptedException {
            for (KeyExpiryEngine e : all) {
                long target = e.stats().rescans() + n;
                while (e.stats().rescans() < target) {
                    Thread.sleep(20);
                }
            }
        }

        @Override
        public void close() {
            for (KeyExpiryEngine e : all) {
                e.close();
            }
        }
    }

    /**
     * Sends each event through the worker pool (a {@link KeyEventRouter}, as the service does) and records, when
     * the template has run, how late that was; counts distinct and repeated deliveries.
     */
    private static final class Deliveries implements KeyEventDispatcher {
        final KeyEventRouter router;
        final ConcurrentHashMap<String, Boolean> distinct = new ConcurrentHashMap<>();
        final AtomicLong doubled = new AtomicLong();
        final AtomicLong early = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong lastDeliveryNanos = new AtomicLong();
        final long[] lateness;
        final AtomicLong count = new AtomicLong();
        /** Hand-off to the template's return, per key: the worker pool's queue and the run. */
        final long[] afterHandoff;
        /** Due time to the engine's hand-off to the worker pool (on the engine's timer thread). */
        final long[] handoffLateness;
        final AtomicLong handoffs = new AtomicLong();

        Deliveries(ThreadPool pool, int capacity) {
            this.router = new KeyEventRouter(pool);
            this.lateness = new long[capacity];
            this.handoffLateness = new long[capacity];
            this.afterHandoff = new long[capacity];
        }

        @Override
        public CompletionStage<Void> dispatch(KeyEvent event) {
            long handoff = Duration.between(event.dueAt(), Instant.now()).toNanos();
            long slot = handoffs.getAndIncrement();
            if (slot < handoffLateness.length) {
                handoffLateness[(int) slot] = handoff;
            }
            return router.dispatch(event).whenComplete((v, error) -> {
                if (error != null) {
                    failed.incrementAndGet(); // the engine retries it
                    return;
                }
                long late = Duration.between(event.dueAt(), Instant.now()).toNanos();
                lastDeliveryNanos.set(System.nanoTime());
                if (late < 0) {
                    early.incrementAndGet();
                }
                if (distinct.putIfAbsent(event.deliveryId(), Boolean.TRUE) != null) {
                    doubled.incrementAndGet();
                }
                long i = count.getAndIncrement();
                if (i < lateness.length) {
                    lateness[(int) i] = late;
                    afterHandoff[(int) i] = late - handoff;
                }
            });
        }

        void awaitAll(long expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (distinct.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + distinct.size() + " of " + expected + " delivered within " + timeout);
                }
                Thread.sleep(2);
            }
        }

        long[] sortedLateness() {
            return sorted(lateness, count.get());
        }

        long[] sortedAfterHandoff() {
            return sorted(afterHandoff, count.get());
        }

        long[] sortedHandoffLateness() {
            return sorted(handoffLateness, handoffs.get());
        }

        private static long[] sorted(long[] values, long count) {
            long[] copy = Arrays.copyOf(values, (int) Math.min(count, values.length));
            Arrays.sort(copy);
            return copy;
        }
    }

    // ---------------------------------------------------------------- rows

    private interface DueAt {
        Instant of(long index);
    }

    private static TenantId tenant(long index) {
        return TenantId.guild((1_000L + index % TENANTS) << 22);
    }

    private static String id(long index) {
        return "bench-" + index;
    }

    private static String settings(DataSource db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    out.append(out.isEmpty() ? "" : " ").append(name).append('=').append(rs.getString(1));
                }
            }
        }
        return out.toString();
    }

    private static void truncate(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate tenant_kv");
        }
    }

    /** Inserts keys [from, from + n) in batches of 1000, as another process would (no engine notification). */
    private static void insert(DataSource db, long from, int n, DueAt due) throws SQLException {
        for (long start = from; start < from + n; start += 1000) {
            int size = (int) Math.min(1000, from + n - start);
            insertBatch(db, start, size, due);
        }
    }

    private static void insertAndNotify(DataSource db, Engines engines, long from, int n, DueAt due) throws SQLException {
        insertBatch(db, from, n, due);
        for (long i = from; i < from + n; i++) {
            engines.expiryChanged(tenant(i), id(i), "k" + i, Sql.toMicros(due.of(i)));
        }
    }

    private static void insertBatch(DataSource db, long from, int n, DueAt due) throws SQLException {
        String[] ids = new String[n];
        String[] owners = new String[n];
        String[] keys = new String[n];
        Long[] micros = new Long[n];
        for (int j = 0; j < n; j++) {
            long i = from + j;
            ids[j] = id(i);
            owners[j] = tenant(i).idString();
            keys[j] = "k" + i;
            micros[j] = Sql.epochMicros(Sql.toMicros(due.of(i)));
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into tenant_kv (id, owner_id, owner_type, key, value, scopes, expires_at)"
                        + " select d.id, d.owner, 'guild', d.key, '{\"Boolean\":true}', '{bench}',"
                        + " timestamptz 'epoch' + d.us * interval '1 microsecond'"
                        + " from unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) as d(id, owner, key, us)")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", owners));
            ps.setArray(3, c.createArrayOf("text", keys));
            ps.setArray(4, c.createArrayOf("bigint", micros));
            ps.executeUpdate();
        }
    }

    private static long rows(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from tenant_kv")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitRows(DataSource db, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (rows(db) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("rows did not reach " + expected + " within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU of the postmaster and its live backends (the pool keeps its connections, so none exited meanwhile). */
    private long postgresCpuNanos() {
        if (postmasterPid <= 0) {
            return 0;
        }
        return ProcessHandle.of(postmasterPid).map(pm -> java.util.stream.Stream.concat(java.util.stream.Stream.of(pm),
                        pm.descendants())
                .mapToLong(ph -> ph.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum()).orElse(0L);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
