package io.templateworker.storage.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.db.DatabaseOptions;
import io.templateworker.storage.sql.Sql;
import io.templateworker.storage.testing.QuietLogs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL's postmaster killed while the engine fires a stream of keys (real server, production
 * durability): the service restarts it, and every key is delivered exactly once — claims that failed are
 * retried (and may take over the engine's own lease), deletes that failed are retried without a second delivery.
 */
class KeyExpiryOutageTest {

    static final int KEYS = 3_000;
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void postmaster_killed_mid_expiry_loses_and_doubles_nothing() throws Exception {
        try (Database db = Database.open(DatabaseOptions.embedded(dir.resolve("pg"), 4));
             QuietLogs quiet = QuietLogs.of("com.zaxxer.hikari", "io.templateworker.storage.db",
                     "io.templateworker.storage.expiry")) {
            db.migrate();
            Instant start = Instant.now().plusSeconds(1);
            insert(db, start);
            Deliveries deliveries = new Deliveries();
            // A lease far longer than the test: a key delivered twice here was doubled by the outage, not by a
            // lease running out.
            ExpiryConfig config = ExpiryConfig.defaults(0, 1)
                    .withScanning(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(200))
                    .withLease(Duration.ofMinutes(10), Duration.ofSeconds(5))
                    .withClaimAhead(Duration.ofMillis(100));
            KeyExpiryEngine engine = new KeyExpiryEngine(db.dataSource(), deliveries, ExpiryFailureHandler.LOG_ONLY, config,
                    InstantSource.system());
            engine.start();
            try {
                Poll.until("a third delivered", WAIT, () -> deliveries.distinct.size() >= KEYS / 3);
                ProcessHandle.of(db.embeddedPid()).orElseThrow().destroyForcibly();
                Poll.until("every key delivered", WAIT, () -> deliveries.distinct.size() == KEYS);
                Poll.until("every row deleted", WAIT, () -> rows(db) == 0);
            } finally {
                engine.close();
            }
            assertThat(db.restarts()).as("the postmaster was restarted").isEqualTo(1);
            assertThat(deliveries.doubled.get()).as("keys delivered twice").isZero();
            assertThat(engine.stats().delivered()).isEqualTo(KEYS);
        }
    }

    /** KEYS keys over 100 tenants, due over four seconds from {@code start}. */
    private static void insert(Database db, Instant start) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into tenant_kv (id, owner_id, owner_type, key, value, scopes, expires_at)"
                        + " values (?, ?, 'guild', ?, '{\"Boolean\":true}', '{outage}', ?)")) {
            for (int i = 0; i < KEYS; i++) {
                ps.setString(1, "outage-" + i);
                ps.setString(2, TenantId.guild((7_000L + i % 100) << 22).idString());
                ps.setString(3, "k" + i);
                Sql.setInstant(ps, 4, start.plusMillis(i * 4_000L / KEYS));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long rows(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from tenant_kv")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception unavailable) {
            return -1; // still restarting
        }
    }

    /** Counts distinct deliveries (by delivery id) and repeated ones. */
    static final class Deliveries implements KeyEventDispatcher {
        final ConcurrentHashMap<String, Boolean> distinct = new ConcurrentHashMap<>();
        final AtomicInteger doubled = new AtomicInteger();

        @Override
        public CompletionStage<Void> dispatch(KeyEvent event) {
            if (distinct.putIfAbsent(event.deliveryId(), Boolean.TRUE) != null) {
                doubled.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
