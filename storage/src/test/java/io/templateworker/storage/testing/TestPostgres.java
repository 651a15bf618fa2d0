package io.templateworker.storage.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.templateworker.storage.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped by a shutdown hook, and a new
 * empty database per {@link #freshDatabase()} call, already migrated to the current schema.
 *
 * <p>Use it from any module's tests (depend on {@code storage} with {@code <type>test-jar</type>}):
 * <pre>{@code
 * DataSource db = TestPostgres.freshDatabase();   // isolated from every other caller
 * }</pre>
 * The schema is migrated once into a template database; each fresh database is a {@code CREATE DATABASE
 * ... TEMPLATE} copy of it, which takes milliseconds. The server runs with fsync off: it is for tests only.
 */
public final class TestPostgres {

    private static final String TEMPLATE = "tw_test_template";

    private static EmbeddedPostgres server;
    private static java.nio.file.Path dataDirectory;
    private static int counter;
    private static final List<HikariDataSource> POOLS = new ArrayList<>();

    private TestPostgres() {
    }

    /**
     * A new database holding the current schema and no rows, as a small connection pool. The pool is closed
     * when the JVM exits; a test may close it earlier ({@code ((AutoCloseable) ds).close()}).
     */
    public static synchronized DataSource freshDatabase() {
        String name = createDatabase();
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + name);
        config.setJdbcUrl(server.getJdbcUrl("postgres", name));
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        HikariDataSource pool = new HikariDataSource(config);
        POOLS.add(pool);
        return pool;
    }

    /**
     * A new migrated database like {@link #freshDatabase()}, returned as a JDBC URL with its credentials
     * (for tests that configure a whole service with {@code database.url}).
     */
    public static synchronized String freshDatabaseUrl() {
        String name = createDatabase();
        return server.getJdbcUrl("postgres", name);
    }

    /** The shared server's port, for tests that need to talk to it directly. */
    public static synchronized int port() {
        ensureStarted();
        return server.getPort();
    }

    private static String createDatabase() {
        ensureStarted();
        String name = "tw_test_" + (++counter);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name + " template " + TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    private static void ensureStarted() {
        if (server != null) {
            return;
        }
        try {
            dataDirectory = java.nio.file.Files.createTempDirectory("tw-test-pg");
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    // Deleted by stop() in the background: a run's databases are thousands of files, and unlinking
                    // them inside the shutdown hook took over 30 s on a loaded machine (surefire then kills the JVM).
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(TestPostgres::stop));
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test template database: " + e.getMessage(), e);
        }
        // An unpooled data source: its connections close right away, and CREATE DATABASE ... TEMPLATE needs
        // the template to have no open connections.
        Database.migrate(server.getDatabase("postgres", TEMPLATE), "the test template database");
    }

    private static synchronized void stop() {
        for (HikariDataSource pool : POOLS) {
            pool.close();
        }
        POOLS.clear();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("stopping the test PostgreSQL failed: " + e);
            }
            server = null;
            try {
                new ProcessBuilder("rm", "-rf", dataDirectory.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start(); // outlives this JVM
            } catch (IOException e) {
                System.err.println("could not remove the test PostgreSQL's files in " + dataDirectory + ": " + e);
            }
        }
    }
}
