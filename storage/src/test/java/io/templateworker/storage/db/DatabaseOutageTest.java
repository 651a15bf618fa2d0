package io.templateworker.storage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.QuietLogs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database going away under a running writer, with real PostgreSQL servers: the embedded postmaster
 * killed (the service restarts it) and an external server restarted (the service reconnects). Writes fail fast
 * with an "unavailable" error while it is down, every acknowledged write is there afterwards, and writing works
 * again without any help.
 */
class DatabaseOutageTest {

    static final TenantId T = TenantId.guild(5_000_000_000L << 22);
    static final List<String> SCOPES = List.of("outage");
    static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void killed_embedded_postmaster_is_restarted_and_keeps_every_acknowledged_write() throws Exception {
        try (Database db = Database.open(DatabaseOptions.embedded(dir.resolve("pg"), 4));
             QuietLogs quiet = QuietLogs.of("com.zaxxer.hikari", "io.templateworker.storage.db")) {
            db.migrate();
            assertThat(setting(db, "fsync")).as("production durability").isEqualTo("on");
            assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
            PostgresKvStore kv = new PostgresKvStore(db.dataSource(), InstantSource.system(), ExpiryListener.NONE);
            try (Writer writer = new Writer(kv)) {
                await("writes before the kill", () -> writer.acknowledged.size() >= 100);
                long pid = db.embeddedPid();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                await("the outage is noticed", () -> !db.isAvailable() || db.restarts() > 0);
                int before = writer.acknowledged.size();
                await("the server is restarted and writes work again",
                        () -> db.restarts() == 1 && db.isAvailable() && writer.acknowledged.size() > before + 100);
                assertThat(db.embeddedPid()).isNotEqualTo(pid);
                writer.stop();
                assertThat(writer.failures).as("writes during the outage fail with a clear error").isNotEmpty()
                        .allSatisfy(e -> assertThat(e).isInstanceOf(StoreException.class)
                                .satisfies(se -> assertThat(((StoreException) se).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE))
                                .hasMessageContaining("unavailable"));
                assertThat(writer.slowestFailureNanos.get())
                        .as("a failed write waits at most the pool's connection timeout, never a hang")
                        .isLessThan(Duration.ofMillis(Database.CONNECTION_TIMEOUT_MS + 2_000).toNanos());
                assertThat(keysIn(db)).as("every acknowledged write survived the crash").containsAll(writer.acknowledged);
            }
            assertThat(db.lastOutageNanos()).as("back within 30 s").isBetween(0L, RECOVERY.toNanos());
        }
    }

    @Test
    void external_server_restart_fails_requests_fast_and_the_pool_reconnects() throws Exception {
        Path data = dir.resolve("external");
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
        int port = server.getPort();
        try (QuietLogs quiet = QuietLogs.of("com.zaxxer.hikari", "io.templateworker.storage.db", "io.zonky");
             Database db = Database.open(DatabaseOptions.external(
                     "postgres://postgres@localhost:" + port + "/postgres", 4))) {
            db.migrate();
            PostgresKvStore kv = new PostgresKvStore(db.dataSource(), InstantSource.system(), ExpiryListener.NONE);
            kv.set(T, SCOPES, "before", KhronosValue.Bool.TRUE);

            server.close(); // a clean stop, like a server restart or failover
            await("the outage is noticed", () -> !db.isAvailable());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> kv.set(T, SCOPES, "during", KhronosValue.Bool.TRUE))
                    .isInstanceOf(StoreException.class).hasMessageContaining("unavailable")
                    .hasMessageContaining("retry in a few seconds");
            assertThat(System.nanoTime() - t0).as("fails at once while known down").isLessThan(Duration.ofMillis(200).toNanos());

            server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                    .setRegisterShutdownHook(false).start();
            await("the service uses the restarted server", () -> {
                try {
                    kv.set(T, SCOPES, "after", KhronosValue.Bool.TRUE);
                    return true;
                } catch (StoreException e) {
                    return false;
                }
            });
            assertThat(kv.get(T, SCOPES, "before")).isNotNull();
            assertThat(db.isAvailable()).isTrue();
            assertThat(db.restarts()).as("URL mode never starts a server itself").isZero();
        } finally {
            server.close();
        }
    }

    private static String setting(Database db, String name) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Set<String> keysIn(Database db) throws Exception {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select key from tenant_kv")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + RECOVERY + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Writes new keys one after another, noting which the store acknowledged and how the others failed. */
    static final class Writer implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong slowestFailureNanos = new java.util.concurrent.atomic.AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger next = new AtomicInteger();
        private final Thread thread;

        Writer(PostgresKvStore kv) {
            thread = Thread.ofPlatform().name("outage-writer").start(() -> {
                while (running.get()) {
                    String key = "k" + next.incrementAndGet();
                    long t0 = System.nanoTime();
                    try {
                        kv.set(T, SCOPES, key, new KhronosValue.Int(next.get()));
                        acknowledged.add(key);
                    } catch (RuntimeException e) {
                        slowestFailureNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        failures.add(e);
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
