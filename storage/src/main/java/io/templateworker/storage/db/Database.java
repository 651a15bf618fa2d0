package io.templateworker.storage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's PostgreSQL database: an embedded server (local mode) or an external one, behind a HikariCP
 * pool. Open it with {@link #open}, apply the schema with {@link #migrate()}, hand {@link #dataSource()} to
 * the repositories, and {@link #close()} it last: that closes the pool, then stops the embedded server.
 *
 * <p>The embedded server keeps its files in the given directory across restarts (it is initialised only
 * when the directory holds no cluster yet) and listens on a free loopback port chosen at each start. Its
 * data lives in database {@value #EMBEDDED_DATABASE}.
 */
public final class Database implements AutoCloseable {

    /** The database the service uses inside the embedded server. */
    public static final String EMBEDDED_DATABASE = "template_worker";
    /** Flyway's location of the versioned SQL migrations (V1__schema.sql, ...). */
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** The lock file zonky holds in the data directory while its server runs. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String description;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
    }

    /**
     * Starts the embedded server if asked to, then opens the pool and checks that a connection works.
     *
     * @throws DatabaseException with a message that says which database failed and what to check
     */
    public static Database open(DatabaseOptions options) {
        if (options.isEmbedded()) {
            return openEmbedded(options.embeddedDirectory(), options.maxConnections());
        }
        PostgresUrl url;
        try {
            url = PostgresUrl.parse(options.url());
        } catch (IllegalArgumentException e) {
            throw new DatabaseException("invalid database URL: " + e.getMessage(), e);
        }
        String shown = PostgresUrl.redact(options.url());
        HikariDataSource pool = openPool(url.jdbcUrl(), url.user(), url.password(), options.maxConnections(),
                "PostgreSQL at " + shown, "check that the server is running and that the URL, user and password are right");
        return new Database(null, pool, "PostgreSQL at " + shown);
    }

    private static Database openEmbedded(Path directory, int maxConnections) {
        EmbeddedPostgres server;
        try {
            Files.createDirectories(directory);
            stopStaleServer(directory);
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // zonky's defaults are for tests (fsync off); this cluster holds real data.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    // We stop the server ourselves in close(), after the pool; zonky's hook would race with ours.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("could not start the embedded PostgreSQL in " + directory + ": " + rootMessage(e)
                    + ". Check that the directory is writable and not used by another running template-worker"
                    + " (it holds a lock file); delete the directory to start from an empty database.", e);
        }
        try {
            createDatabaseIfMissing(server);
            HikariDataSource pool = openPool(server.getJdbcUrl("postgres", EMBEDDED_DATABASE), "postgres", null,
                    maxConnections, "the embedded PostgreSQL in " + directory, "see the log above for the server's output");
            return new Database(server, pool, "embedded PostgreSQL in " + directory + " on port " + server.getPort());
        } catch (RuntimeException | SQLException e) {
            closeQuietly(server);
            if (e instanceof DatabaseException de) {
                throw de;
            }
            throw new DatabaseException("could not prepare database '" + EMBEDDED_DATABASE + "' in the embedded PostgreSQL in "
                    + directory + ": " + rootMessage(e), e);
        }
    }

    /**
     * Stops a PostgreSQL that a previous, killed process left running on this data directory; otherwise the
     * new server cannot start. Only done while holding the directory's lock file (the one zonky uses), so a
     * server that belongs to a live process is never touched.
     */
    private static void stopStaleServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel lockChannel = FileChannel.open(directory.resolve(ZONKY_LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = tryLock(lockChannel)) {
            if (lock == null) {
                return; // in use by a live process: let the start fail with zonky's lock error
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid;
            try {
                pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
            } catch (NumberFormatException e) {
                return;
            }
            Optional<ProcessHandle> stale = ProcessHandle.of(pid);
            if (stale.isEmpty() || !stale.get().info().command().orElse("").endsWith("postgres")) {
                return; // pid file left behind by a crash; PostgreSQL itself recovers from that
            }
            LOG.warn("stopping PostgreSQL (pid {}) left running in {} by a previous run that did not stop cleanly", pid, directory);
            ProcessHandle handle = stale.get();
            handle.destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients died with the old process
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("PostgreSQL (pid {}) did not stop within 30 s; killing it", pid);
                handle.destroyForcibly();
                handle.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the stale PostgreSQL in " + directory, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not stop the stale PostgreSQL in " + directory + ": " + e, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM already runs a server on the directory
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres server) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, EMBEDDED_DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database " + EMBEDDED_DATABASE);
            }
            LOG.info("created database {} in the embedded PostgreSQL", EMBEDDED_DATABASE);
        }
    }

    private static HikariDataSource openPool(String jdbcUrl, String user, String password, int maxConnections,
                                             String what, String advice) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tw-db");
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(Math.min(2, maxConnections));
        config.setConnectionTimeout(10_000);
        try {
            // HikariCP opens one connection here, so a wrong URL or a server that is down fails now, not later.
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseException("could not connect to " + what + ": " + rootMessage(e) + "; " + advice + ".", e);
        }
    }

    /** The pooled connections. Valid until {@link #close()}. */
    public DataSource dataSource() {
        return pool;
    }

    /** Whether this is the embedded server (local mode). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** "embedded PostgreSQL in ./data/postgres on port N" or "PostgreSQL at URL" (password hidden). */
    public String description() {
        return description;
    }

    /**
     * Applies the pending migrations. Running it again with nothing pending is a no-op.
     *
     * @return how many migrations were applied (0 when the schema was current)
     * @throws DatabaseException if a migration fails; the schema is then left at the last good version
     */
    public int migrate() {
        return migrate(pool, description);
    }

    /** Applies pending migrations to any data source; used by {@link #migrate()} and by test fixtures. */
    public static int migrate(DataSource dataSource, String what) {
        try {
            int applied = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .loggers("slf4j")
                    .load()
                    .migrate()
                    .migrationsExecuted;
            if (applied > 0) {
                LOG.info("applied {} migration(s) to {}", applied, what);
            }
            return applied;
        } catch (FlywayException e) {
            throw new DatabaseException("migrating the schema of " + what + " failed: " + rootMessage(e)
                    + ". The database is left at the last migration that succeeded; fix the cause and start again.", e);
        }
    }

    /** Closes the pool, then stops the embedded server (if any) and waits for it to exit. */
    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
