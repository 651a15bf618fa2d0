package io.templateworker.storage.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.QuietLogs;
import io.templateworker.storage.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyExpiryEngineTest {

    static final TenantId T = TenantId.guild(4_000_000_000L << 22);
    static final Duration WAIT = Duration.ofSeconds(10);

    DataSource db;
    /** The engines' and the store's clock: tests stop it while they write, so load cannot reorder their steps. */
    final PausableClock clock = new PausableClock();
    final List<KeyExpiryEngine> engines = new ArrayList<>();
    final List<KeyExpiryEngine> listeners = new ArrayList<>();
    PostgresKvStore kv;

    /** Short intervals so the suite needs well under a second of waiting per test. */
    static ExpiryConfig config(int workerId, int workers) {
        return ExpiryConfig.defaults(workerId, workers)
                .withClaimAhead(Duration.ofMillis(100)) // before the short lease, which must outlast it
                .withScanning(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofMillis(200))
                .withLease(Duration.ofSeconds(2), Duration.ofSeconds(1))
                .withRetries(3, Duration.ofMillis(50), Duration.ofMillis(200));
    }

    @BeforeEach
    void setUp() {
        db = TestPostgres.freshDatabase();
        kv = new PostgresKvStore(db, clock, (tenant, id, key, scopes, at) -> {
            for (KeyExpiryEngine e : listeners) {
                e.expiryChanged(tenant, id, key, scopes, at);
            }
        });
    }

    @AfterEach
    void tearDown() {
        for (KeyExpiryEngine e : engines) {
            e.close();
        }
    }

    KeyExpiryEngine engine(ExpiryConfig config, KeyEventDispatcher dispatcher, ExpiryFailureHandler onFailure) {
        KeyExpiryEngine e = new KeyExpiryEngine(db, dispatcher, onFailure, config, clock);
        engines.add(e);
        listeners.add(e);
        e.start();
        return e;
    }

    /** Records every event and completes it (or fails it while {@code failuresLeft} > 0). */
    static final class Recorder implements KeyEventDispatcher {
        final ConcurrentLinkedQueue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public CompletionStage<Void> dispatch(KeyEvent event) {
            events.add(event);
            if (failuresLeft.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("template error (test)"));
            }
            return CompletableFuture.completedFuture(null);
        }

        List<KeyEvent> of(KeyEvent.Kind kind) {
            List<KeyEvent> out = new ArrayList<>();
            for (KeyEvent e : events) {
                if (e.kind() == kind) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    static KhronosValue v(String s) {
        return new KhronosValue.Text(s);
    }

    Instant in(long millis) {
        return clock.instant().plusMillis(millis);
    }

    /** Waits until {@code e} completed {@code n} more searches for overdue keys: "nothing more fires" checks. */
    static void awaitRescans(KeyExpiryEngine e, int n) {
        long target = e.stats().rescans() + n;
        Poll.until(n + " more rescans", WAIT, () -> e.stats().rescans() >= target);
    }

    /** Inserts a row directly (as another process would), possibly already overdue. */
    void insertRaw(TenantId tenant, String id, String key, Instant expiresAt, boolean resume) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into tenant_kv (id, owner_id, owner_type, key, value, scopes, expires_at, resume)"
                        + " values (?, ?, ?, ?, '\"Null\"', '{s}', ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, tenant.idString());
            ps.setString(3, tenant.type().sqlName());
            ps.setString(4, key);
            ps.setObject(5, expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            ps.setBoolean(6, resume);
            ps.executeUpdate();
        }
    }

    /** Sets a key of {@code tenant} in scope "s" due {@code millis} from now, with time stopped while it is written. */
    SetResult setFrozen(TenantId tenant, String key, KhronosValue value, long millis) {
        clock.pause();
        try {
            return kv.set(tenant, List.of("s"), key, value, in(millis), false);
        } finally {
            clock.resume();
        }
    }

    int rowCount() throws SQLException {
        try (Connection c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("select count(*) from tenant_kv")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---------------------------------------------------------------- basic firing

    @Test
    void fires_once_with_scoped_data_then_deletes_the_row() throws Exception {
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        clock.pause();
        Instant due = in(300);
        SetResult set = kv.set(T, List.of("remind", "builtins"), "r1", v("x"), due, false);
        clock.resume();

        Poll.until("the key is delivered and deleted", WAIT, () -> e.stats().delivered() == 1);
        assertThat(kv.getById(T, set.id())).isNull();
        KeyEvent ev = r.events.peek();
        assertThat(ev.kind()).isEqualTo(KeyEvent.Kind.EXPIRY);
        assertThat(ev.kind().eventName()).isEqualTo("KeyExpiry");
        assertThat(ev.tenant()).isEqualTo(T);
        assertThat(ev.scopes()).containsExactly("builtins", "remind");
        assertThat(ev.dueAt()).isEqualTo(due.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(ev.deliveryId()).isEqualTo(set.id() + ":" + io.templateworker.storage.sql.Sql.epochMicros(ev.dueAt()));
        assertThat(ev.attempt()).isEqualTo(1);
        assertThat(((KhronosValue.MapValue) ev.data()).get("key")).isEqualTo(v("r1"));
        assertThat(ev.dueAt()).isBeforeOrEqualTo(clock.instant());
        awaitRescans(e, 2); // a full rescan after the delivery finds nothing to fire again
        assertThat(r.events).hasSize(1);
    }

    @Test
    void overdue_keys_found_at_start_fire_right_away_in_bounded_batches() throws Exception {
        for (int i = 0; i < 1200; i++) {
            insertRaw(T, "overdue" + i, "k" + i, Instant.now().minusSeconds(30 + i), false);
        }
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        Poll.until("all overdue keys delivered", WAIT, () -> e.stats().delivered() == 1200);
        Poll.until("all rows deleted", WAIT, () -> {
            try {
                return rowCount() == 0;
            } catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(r.events).hasSize(1200);
        assertThat(r.events.stream().map(KeyEvent::id).distinct().count()).isEqualTo(1200);
    }

    @Test
    void a_key_written_by_another_process_is_found_by_the_rescan() throws Exception {
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        insertRaw(T, "elsewhere", "k", in(300), false); // no listener call
        Poll.until("delivered", WAIT, () -> e.stats().delivered() == 1);
        assertThat(r.events.peek().id()).isEqualTo("elsewhere");
    }

    @Test
    void fires_after_a_restart_on_the_same_database() {
        Recorder first = new Recorder();
        KeyExpiryEngine e1 = engine(config(0, 1), first, ExpiryFailureHandler.LOG_ONLY);
        clock.frozen(() -> { // the first engine stops before the key is due, however slow the machine
            kv.set(T, List.of("s"), "k", v("x"), in(600), false);
            e1.close();
            listeners.remove(e1);
        });

        Recorder second = new Recorder();
        KeyExpiryEngine e2 = engine(config(0, 1), second, ExpiryFailureHandler.LOG_ONLY);
        Poll.until("delivered by the new engine", WAIT, () -> e2.stats().delivered() == 1);
        assertThat(first.events).isEmpty();
        assertThat(second.events).hasSize(1);
    }

    // ---------------------------------------------------------------- exactly once under races

    @Test
    void two_engines_racing_on_the_same_keys_deliver_each_exactly_once() throws Exception {
        ConcurrentLinkedQueue<KeyEvent> all = new ConcurrentLinkedQueue<>();
        KeyEventDispatcher shared = event -> {
            all.add(event);
            return CompletableFuture.completedFuture(null);
        };
        for (int i = 0; i < 300; i++) {
            insertRaw(T, "old" + i, "old" + i, Instant.now().minusSeconds(5), false);
        }
        KeyExpiryEngine a = engine(config(0, 1), shared, ExpiryFailureHandler.LOG_ONLY);
        KeyExpiryEngine b = engine(config(0, 1), shared, ExpiryFailureHandler.LOG_ONLY);
        clock.frozen(() -> {
            for (int i = 0; i < 300; i++) {
                kv.set(T, List.of("s"), "new" + i, v("x"), in(300), false); // both engines hear every write
            }
        });
        Poll.until("600 deliveries", WAIT, () -> a.stats().delivered() + b.stats().delivered() >= 600);
        awaitRescans(a, 2);
        awaitRescans(b, 2);
        Map<String, Integer> perDelivery = new HashMap<>();
        for (KeyEvent ev : all) {
            perDelivery.merge(ev.deliveryId(), 1, Integer::sum);
        }
        assertThat(perDelivery).hasSize(600);
        assertThat(perDelivery.values()).containsOnly(1);
        assertThat(rowCount()).isZero();
    }

    @Test
    void a_crash_mid_dispatch_leads_to_one_more_delivery_after_the_lease() {
        ExpiryConfig shortLease = config(0, 1).withLease(Duration.ofMillis(700), Duration.ofMillis(300));
        ConcurrentLinkedQueue<KeyEvent> hung = new ConcurrentLinkedQueue<>();
        KeyExpiryEngine crashed = engine(shortLease, event -> {
            hung.add(event);
            return new CompletableFuture<>(); // never completes: the "process" dies mid-dispatch
        }, ExpiryFailureHandler.LOG_ONLY);
        clock.frozen(() -> kv.set(T, List.of("s"), "k", v("x"), in(300), false));
        Poll.until("first delivery started", WAIT, () -> hung.size() == 1);
        crashed.close(); // simulates the crash: no outcome is ever recorded
        listeners.remove(crashed);

        Recorder r = new Recorder();
        KeyExpiryEngine recovered = engine(shortLease, r, ExpiryFailureHandler.LOG_ONLY);
        Poll.until("redelivered after the lease ran out", WAIT, () -> recovered.stats().delivered() == 1);
        KeyEvent first = hung.peek();
        KeyEvent again = r.events.peek();
        assertThat(again.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(r.events).hasSize(1);
    }

    // ---------------------------------------------------------------- failures

    @Test
    void a_failed_dispatch_is_retried_with_backoff_and_attempts_are_counted() {
        try (QuietLogs quiet = QuietLogs.of(KeyExpiryEngine.class.getName())) { // failures logged on purpose
            Recorder r = new Recorder();
            r.failuresLeft.set(2);
            KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
            SetResult set = setFrozen(T, "k", v("x"), 300);
            Poll.until("delivered on the third attempt", WAIT, () -> e.stats().delivered() == 1);
            assertThat(r.events).extracting(KeyEvent::attempt).containsExactly(1, 2, 3);
            assertThat(r.events).extracting(KeyEvent::deliveryId).containsOnly(r.events.peek().deliveryId());
            assertThat(e.stats().failedAttempts()).isEqualTo(2);
            assertThat(kv.getById(T, set.id())).isNull();
        }
    }

    @Test
    void a_dispatch_that_never_completes_times_out_and_is_retried() {
        try (QuietLogs quiet = QuietLogs.of(KeyExpiryEngine.class.getName())) { // failures logged on purpose
            ExpiryConfig quickTimeout = config(0, 1).withLease(Duration.ofSeconds(2), Duration.ofMillis(200));
            AtomicInteger calls = new AtomicInteger();
            KeyExpiryEngine e = engine(quickTimeout, event -> calls.incrementAndGet() == 1
                    ? new CompletableFuture<>() : CompletableFuture.completedFuture(null), ExpiryFailureHandler.LOG_ONLY);
            setFrozen(T, "k", v("x"), 300);
            Poll.until("delivered on retry", WAIT, () -> e.stats().delivered() == 1);
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void after_max_attempts_the_key_is_parked_and_reported_not_dropped() {
        try (QuietLogs quiet = QuietLogs.of(KeyExpiryEngine.class.getName())) { // failures logged on purpose
            Recorder r = new Recorder();
            r.failuresLeft.set(Integer.MAX_VALUE);
            ConcurrentLinkedQueue<KeyEvent> reported = new ConcurrentLinkedQueue<>();
            KeyExpiryEngine e = engine(config(0, 1), r, (event, error) -> reported.add(event));
            SetResult set = setFrozen(T, "k", v("kept"), 300);
            Poll.until("reported as given up", WAIT, () -> reported.size() == 1);
            assertThat(r.events).hasSize(3);
            assertThat(reported.peek().attempt()).isEqualTo(3);
            awaitRescans(e, 2);
            assertThat(r.events).hasSize(3); // parked: not fired again
            KvRecord kept = kv.getById(T, set.id());
            assertThat(kept.value()).isEqualTo(v("kept"));

            // Setting the expiry again re-arms it with a fresh attempt counter.
            r.failuresLeft.set(0);
            clock.frozen(() -> kv.setExpiryById(T, set.id(), in(300)));
            Poll.until("delivered after re-arming", WAIT, () -> e.stats().delivered() == 1);
            assertThat(r.events).hasSize(4);
            assertThat(r.events.stream().skip(3).findFirst().orElseThrow().attempt()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- moved and cancelled

    @Test
    void a_moved_expiry_fires_once_at_the_new_time() {
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        clock.pause();
        kv.set(T, List.of("s"), "k", v("x"), in(300), false);
        Instant later = in(800).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        kv.setExpiry(T, List.of("s"), "k", later);
        clock.resume();
        Poll.until("delivered", WAIT, () -> e.stats().delivered() == 1);
        assertThat(r.events).hasSize(1);
        assertThat(r.events.peek().dueAt()).isEqualTo(later);
        assertThat(clock.instant()).isAfterOrEqualTo(later);
    }

    @Test
    void a_cancelled_expiry_does_not_fire_and_the_key_stays() {
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        clock.pause();
        SetResult cancelled = kv.set(T, List.of("s"), "cancelled", v("x"), in(300), false);
        kv.setExpiry(T, List.of("s"), "cancelled", null);
        SetResult deleted = kv.set(T, List.of("s"), "deleted", v("x"), in(300), false);
        kv.deleteById(T, deleted.id());
        // A witness key due after the cancelled ones: once it fired, they would have fired too.
        kv.set(T, List.of("s"), "witness", v("x"), in(600), false);
        clock.resume();
        Poll.until("witness delivered", WAIT, () -> e.stats().delivered() == 1);
        assertThat(r.events).extracting(KeyEvent::key).containsExactly("witness");
        assertThat(kv.getById(T, cancelled.id())).isNotNull();
    }

    @Test
    void a_key_moved_while_its_dispatch_runs_is_not_deleted_and_fires_again_later() {
        CompletableFuture<Void> firstDispatch = new CompletableFuture<>();
        ConcurrentLinkedQueue<KeyEvent> seen = new ConcurrentLinkedQueue<>();
        KeyExpiryEngine e = engine(config(0, 1), event -> {
            seen.add(event);
            return seen.size() == 1 ? firstDispatch : CompletableFuture.completedFuture(null);
        }, ExpiryFailureHandler.LOG_ONLY);
        SetResult set = setFrozen(T, "k", v("x"), 300);
        Poll.until("first dispatch running", WAIT, () -> seen.size() == 1);
        clock.pause();
        Instant moved = in(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        kv.setExpiryById(T, set.id(), moved);
        firstDispatch.complete(null);
        clock.resume();
        Poll.until("second delivery at the new time", WAIT, () -> seen.size() == 2 && e.stats().delivered() == 2);
        List<KeyEvent> events = new ArrayList<>(seen);
        assertThat(events.get(1).dueAt()).isEqualTo(moved);
        assertThat(events.get(1).deliveryId()).isNotEqualTo(events.get(0).deliveryId());
        Poll.until("row deleted after the second delivery", WAIT, () -> kv.getById(T, set.id()) == null);
    }

    // ---------------------------------------------------------------- claims ahead of time

    @Test
    void a_value_update_while_the_key_is_claimed_does_not_stop_it_from_firing() {
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1).withLease(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .withClaimAhead(Duration.ofSeconds(1)), r, ExpiryFailureHandler.LOG_ONLY);
        clock.pause(); // claimed at once (due within half the claim-ahead), but not due while the clock stands
        Instant due = in(300);
        SetResult set = kv.set(T, List.of("s"), "k", v("old"), due, false);
        Poll.until("claimed ahead of time", WAIT, () -> e.stats().claimed() == 1);
        kv.set(T, List.of("s"), "k", v("new"), due, false); // same expiry, new value
        clock.resume();
        Poll.until("delivered", WAIT, () -> e.stats().delivered() == 1);
        assertThat(r.events).hasSize(1);
        assertThat(kv.getById(T, set.id())).isNull();
    }

    @Test
    void closing_gives_back_claims_so_the_next_engine_fires_on_time_not_after_the_lease() {
        ExpiryConfig longLease = config(0, 1).withClaimAhead(Duration.ofMillis(500))
                .withLease(Duration.ofMinutes(10), Duration.ofSeconds(1));
        Recorder first = new Recorder();
        KeyExpiryEngine e1 = engine(longLease, first, ExpiryFailureHandler.LOG_ONLY);
        clock.pause(); // claimed at once (due within half the claim-ahead), closed before it is due
        kv.set(T, List.of("s"), "k", v("x"), in(200), false);
        Poll.until("claimed by the first engine", WAIT, () -> e1.stats().claimed() == 1);
        e1.close();
        listeners.remove(e1);
        clock.resume();

        Recorder second = new Recorder();
        KeyExpiryEngine e2 = engine(longLease, second, ExpiryFailureHandler.LOG_ONLY);
        Poll.until("delivered by the second engine well before the 10 min lease", WAIT, () -> e2.stats().delivered() == 1);
        assertThat(first.events).isEmpty();
        assertThat(second.events.peek().attempt()).isEqualTo(1);
    }

    @Test
    void a_window_larger_than_the_memory_cap_is_loaded_in_parts() throws Exception {
        ExpiryConfig small = new ExpiryConfig(0, 1, Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofMillis(200),
                4, 2, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ofMillis(50),
                Duration.ofMillis(200));
        for (int i = 0; i < 10; i++) {
            insertRaw(T, "part" + i, "k" + i, in(300 + 50L * i), false);
        }
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(small, r, ExpiryFailureHandler.LOG_ONLY);
        assertThat(e.stats().inMemory()).isLessThanOrEqualTo(4);
        Poll.until("all ten delivered", WAIT, () -> e.stats().delivered() == 10);
        assertThat(r.events).extracting(KeyEvent::id).doesNotHaveDuplicates().hasSize(10);
    }

    // ---------------------------------------------------------------- partitions and resume keys

    @Test
    void an_engine_fires_only_the_keys_of_its_workers_tenants() throws Exception {
        int workers = 2;
        TenantId mine = TenantId.guild(2L << 22);    // (id >> 22) % 2 == 0
        TenantId theirs = TenantId.guild(3L << 22);  // == 1
        insertRaw(mine, "mine", "k", Instant.now().minusSeconds(1), false);
        insertRaw(theirs, "theirs", "k", Instant.now().minusSeconds(1), false);
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, workers), r, ExpiryFailureHandler.LOG_ONLY);
        clock.frozen(() -> {
            kv.set(theirs, List.of("s"), "heard", v("x"), in(300), false); // the listener ignores it too
            kv.set(mine, List.of("s"), "witness", v("x"), in(500), false);
        });
        Poll.until("mine delivered", WAIT, () -> e.stats().delivered() == 2);
        assertThat(r.events).extracting(KeyEvent::tenant).containsOnly(mine);
    }

    @Test
    void resume_keys_emit_key_resume_on_start_and_on_request() throws Exception {
        TenantId other = TenantId.guild(5L << 22);
        insertRaw(T, "r1", "loop", null, true);
        insertRaw(T, "plain", "p", null, false);
        insertRaw(other, "r2", "loop", null, true);
        Recorder r = new Recorder();
        KeyExpiryEngine e = engine(config(0, 1), r, ExpiryFailureHandler.LOG_ONLY);
        assertThat(r.of(KeyEvent.Kind.RESUME)).extracting(KeyEvent::id).containsExactlyInAnyOrder("r1", "r2");
        assertThat(r.of(KeyEvent.Kind.RESUME).get(0).kind().eventName()).isEqualTo("KeyResume");

        e.resumeTenant(T);
        assertThat(r.of(KeyEvent.Kind.RESUME)).extracting(KeyEvent::id).containsExactlyInAnyOrder("r1", "r2", "r1");
        assertThat(rowCount()).isEqualTo(3); // resume keys are not consumed
    }
}
