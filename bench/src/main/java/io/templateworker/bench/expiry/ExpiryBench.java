package io.templateworker.bench.expiry;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.sql.Sql;
import io.templateworker.storage.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Three measurements of {@link KeyExpiryEngine} on an embedded PostgreSQL (test settings: fsync off):
 *
 * <ol>
 *   <li><b>Overdue at start</b>: 10k keys already overdue, then the engine starts; time from
 *       {@code start()} returning (ready) to the last delivery and to the last row deleted.</li>
 *   <li><b>Steady rate</b> for each N in {@code --rates}: a producer writes N keys per second, each due 3 s
 *       after it is written, in batches every 10 ms, and tells the engine as the KV store would; runs for
 *       {@code --seconds}, then waits for the stragglers. Prints lateness (delivery time minus due time)
 *       p50/p99/p99.9/max, and lost (written, never delivered) and doubled (delivered twice) counts.</li>
 *   <li><b>Drain</b>: {@code --drain} keys due at once; deliveries per second until every row is deleted, the
 *       sustained rate one PostgreSQL supports.</li>
 * </ol>
 *
 * <p>Args: {@code [--seconds S]} per rate (default 60), {@code [--rates 1000,10000]} ({@code none} skips
 * the steady-rate runs), {@code [--claim-ahead-ms MS]} (default: the engine's), {@code [--drain K]}
 * (default 100000), {@code [--overdue K]} (default 10000).
 */
public final class ExpiryBench implements Bench {

    private static final List<String> SCOPES = List.of("bench");
    private static final int TENANTS = 1000;

    /** Overrides {@link ExpiryConfig#claimAhead()} when set. */
    private Duration claimAhead;

    public static void main(String[] args) throws Exception {
        new ExpiryBench().run(args, new Results(System.out));
        System.exit(0);
    }

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 60;
        int[] rates = {1000, 10000};
        int drain = 100_000;
        int overdue = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rates" -> {
                    String list = args[++i];
                    rates = "none".equals(list) ? new int[0] : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
                }
                case "--drain" -> drain = Integer.parseInt(args[++i]);
                case "--overdue" -> overdue = Integer.parseInt(args[++i]);
                case "--claim-ahead-ms" -> claimAhead = Duration.ofMillis(Long.parseLong(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "' (expected --seconds S, --rates N,M, --drain K, --overdue K or --claim-ahead-ms MS)");
            }
        }
        overdueAtStart(results, overdue);
        for (int rate : rates) {
            steadyRate(results, rate, seconds);
        }
        drain(results, drain);
    }

    // ---------------------------------------------------------------- overdue at start

    private void overdueAtStart(Results results, int count) throws Exception {
        DataSource db = TestPostgres.freshDatabase();
        Instant past = Instant.now().minusSeconds(60);
        insert(db, 0, count, i -> past.plusMillis(i % 50_000));
        Counter counter = new Counter(count);
        KeyExpiryEngine engine = new KeyExpiryEngine(db, counter, ExpiryFailureHandler.LOG_ONLY, config(), InstantSource.system());
        engine.start();
        long ready = System.nanoTime();
        counter.awaitAll(Duration.ofSeconds(60));
        long fired = counter.lastDelivery.get() - ready;
        awaitRows(db, 0, Duration.ofSeconds(60));
        long deleted = System.nanoTime() - ready;
        engine.close();
        results.report("expiry.overdue.count", count, "keys");
        results.report("expiry.overdue.ready_to_all_fired", fired / 1e6, "ms");
        results.report("expiry.overdue.ready_to_all_deleted", deleted / 1e6, "ms");
        results.report("expiry.overdue.doubled", counter.doubled.get(), "keys");
    }

    // ---------------------------------------------------------------- steady rate

    private void steadyRate(Results results, int rate, int seconds) throws Exception {
        DataSource db = TestPostgres.freshDatabase();
        long total = (long) rate * seconds;
        Lateness lateness = new Lateness((int) Math.min(total, Integer.MAX_VALUE - 8));
        KeyExpiryEngine engine = new KeyExpiryEngine(db, lateness, ExpiryFailureHandler.LOG_ONLY, config(), InstantSource.system());
        engine.start();

        long leadNanos = Duration.ofSeconds(3).toNanos();
        long tickNanos = Duration.ofMillis(10).toNanos();
        int perTick = Math.max(1, rate / 100);
        long startNanos = System.nanoTime();
        Instant startInstant = Instant.now();
        long written = 0;
        long tick = 0;
        while (written < total) {
            long tickStart = startNanos + tick * tickNanos;
            long wait = tickStart - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int n = (int) Math.min(perTick, total - written);
            final long base = written;
            final long tickOffset = tick * tickNanos;
            // keys of this tick are due spread over the tick, 3 s from now
            insertAndNotify(db, engine, base, n, i -> startInstant.plusNanos(leadNanos + tickOffset + (i - base) * tickNanos / n));
            written += n;
            tick++;
        }
        double producedRate = written / ((System.nanoTime() - startNanos) / 1e9);
        lateness.awaitAll(written, Duration.ofSeconds(30));
        Thread.sleep(1000); // let a few rescans pass: a doubled delivery would show up here
        engine.close();

        long delivered = lateness.distinct.size();
        long[] sorted = lateness.sorted();
        String p = "expiry.rate" + rate;
        results.report(p + ".written", written, "keys");
        results.report(p + ".write_rate", producedRate, "keys/s");
        results.report(p + ".lateness.p50", percentile(sorted, 0.50) / 1e6, "ms");
        results.report(p + ".lateness.p99", percentile(sorted, 0.99) / 1e6, "ms");
        results.report(p + ".lateness.p999", percentile(sorted, 0.999) / 1e6, "ms");
        results.report(p + ".lateness.max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, "ms");
        results.report(p + ".early", lateness.early.get(), "keys");
        results.report(p + ".lost", written - delivered, "keys");
        results.report(p + ".doubled", lateness.doubled.get(), "keys");
        results.report(p + ".rows_left", rows(db), "rows");
    }

    // ---------------------------------------------------------------- drain throughput

    private void drain(Results results, int count) throws Exception {
        DataSource db = TestPostgres.freshDatabase();
        Instant due = Instant.now().minusSeconds(1);
        insert(db, 0, count, i -> due);
        Counter counter = new Counter(count);
        KeyExpiryEngine engine = new KeyExpiryEngine(db, counter, ExpiryFailureHandler.LOG_ONLY, config(), InstantSource.system());
        engine.start();
        long ready = System.nanoTime();
        counter.awaitAll(Duration.ofSeconds(300));
        awaitRows(db, 0, Duration.ofSeconds(300));
        double secs = (System.nanoTime() - ready) / 1e9;
        engine.close();
        results.report("expiry.drain.keys", count, "keys");
        results.report("expiry.drain.throughput", count / secs, "expiries/s");
        results.report("expiry.drain.doubled", counter.doubled.get(), "keys");
    }

    // ---------------------------------------------------------------- helpers

    private ExpiryConfig config() {
        ExpiryConfig defaults = ExpiryConfig.defaults(0, 1);
        return claimAhead == null ? defaults : defaults.withClaimAhead(claimAhead);
    }

    private interface DueAt {
        Instant of(long index);
    }

    private static TenantId tenant(long index) {
        return TenantId.guild((1_000L + index % TENANTS) << 22);
    }

    private static String id(long index) {
        return "bench-" + index;
    }

    /** Inserts keys [from, from + n) in batches of 1000, as another process would (no engine notification). */
    private static void insert(DataSource db, long from, int n, DueAt due) throws SQLException {
        for (long start = from; start < from + n; start += 1000) {
            int size = (int) Math.min(1000, from + n - start);
            insertBatch(db, start, size, due);
        }
    }

    private static void insertAndNotify(DataSource db, KeyExpiryEngine engine, long from, int n, DueAt due) throws SQLException {
        insertBatch(db, from, n, due);
        for (long i = from; i < from + n; i++) {
            engine.expiryChanged(tenant(i), id(i), "k" + i, SCOPES, Sql.toMicros(due.of(i)));
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

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Counts distinct deliveries and notes the time of the last one. */
    private static final class Counter implements KeyEventDispatcher {
        final ConcurrentHashMap<String, Boolean> distinct = new ConcurrentHashMap<>();
        final AtomicLong doubled = new AtomicLong();
        final AtomicLong lastDelivery = new AtomicLong();
        final int expected;
        static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

        Counter(int expected) {
            this.expected = expected;
        }

        @Override
        public CompletionStage<Void> dispatch(KeyEvent event) {
            if (distinct.putIfAbsent(event.deliveryId(), Boolean.TRUE) != null) {
                doubled.incrementAndGet();
            }
            lastDelivery.set(System.nanoTime());
            return DONE;
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (distinct.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + distinct.size() + " of " + expected + " delivered within " + timeout);
                }
                Thread.sleep(1);
            }
        }
    }

    /** Records lateness (now - due) of each delivery. */
    private static final class Lateness implements KeyEventDispatcher {
        final ConcurrentHashMap<String, Boolean> distinct = new ConcurrentHashMap<>();
        final AtomicLong doubled = new AtomicLong();
        final AtomicLong early = new AtomicLong();
        final long[] samples;
        final AtomicLong count = new AtomicLong();
        static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

        Lateness(int capacity) {
            samples = new long[capacity];
        }

        @Override
        public CompletionStage<Void> dispatch(KeyEvent event) {
            Instant now = Instant.now();
            long late = Duration.between(event.dueAt(), now).toNanos();
            if (late < 0) {
                early.incrementAndGet();
            }
            if (distinct.putIfAbsent(event.deliveryId(), Boolean.TRUE) != null) {
                doubled.incrementAndGet();
            }
            long i = count.getAndIncrement();
            if (i < samples.length) {
                samples[(int) i] = late;
            }
            return DONE;
        }

        void awaitAll(long expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (distinct.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }

        long[] sorted() {
            int n = (int) Math.min(count.get(), samples.length);
            long[] copy = Arrays.copyOf(samples, n);
            Arrays.sort(copy);
            return copy;
        }
    }
}
