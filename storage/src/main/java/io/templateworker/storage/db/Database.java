package io.templateworker.storage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * data lives in database {@value #EMBEDDED_DATABASE}; it runs with fsync and synchronous commit on.
 *
 * <p>While the service runs, a {@link DatabaseMonitor} watches the database: when it goes away,
 * {@link #dataSource()} fails at once with a {@link DatabaseUnavailableException} saying so, the embedded
 * server is restarted (same port, same data), and once queries work again the pool drops its dead
 * connections and serves new ones.
 */
public final class Database implements AutoCloseable {

    /** The database the service uses inside the embedded server. */
    public static final String EMBEDDED_DATABASE = "template_worker";
    /** Flyway's location of the versioned SQL migrations (V1__schema.sql, ...). */
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /**
     * How long a request waits for a pooled connection. Short, so that a database that just went away (and
     * is not yet known to be down) costs a caller seconds, not a hang; the monitor closes the gate sooner.
     */
    static final int CONNECTION_TIMEOUT_MS = 3_000;

    private final EmbeddedServer embedded;
    private final HikariDataSource pool;
    private final DatabaseMonitor monitor;
    private final GatedDataSource gated;
    private final String description;

    private Database(EmbeddedServer embedded, HikariDataSource pool, DatabaseMonitor monitor, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.monitor = monitor;
        this.gated = new GatedDataSource(pool, monitor);
        this.description = description;
        monitor.start(pool);
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
        String description = "PostgreSQL at " + shown;
        return new Database(null, pool, new DatabaseMonitor(url.jdbcUrl(), url.user(), url.password(), description, null),
                description);
    }

    private static Database openEmbedded(Path directory, int maxConnections) {
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(directory);
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("could not start the embedded PostgreSQL in " + directory + ": " + rootMessage(e)
                    + ". Check that the directory is writable and not used by another running template-worker"
                    + " (it holds a lock file); delete the directory to start from an empty database.", e);
        }
        try {
            createDatabaseIfMissing(server.zonky());
            String jdbcUrl = server.jdbcUrl(EMBEDDED_DATABASE);
            HikariDataSource pool = openPool(jdbcUrl, "postgres", null,
                    maxConnections, "the embedded PostgreSQL in " + directory, "see the log above for the server's output");
            String description = "embedded PostgreSQL in " + directory + " on port " + server.port();
            return new Database(server, pool, new DatabaseMonitor(jdbcUrl, "postgres", null, description, server), description);
        } catch (RuntimeException | SQLException e) {
            server.close();
            if (e instanceof DatabaseException de) {
                throw de;
            }
            throw new DatabaseException("could not prepare database '" + EMBEDDED_DATABASE + "' in the embedded PostgreSQL in "
                    + directory + ": " + rootMessage(e), e);
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
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        try {
            // HikariCP opens one connection here, so a wrong URL or a server that is down fails now, not later.
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseException("could not connect to " + what + ": " + rootMessage(e) + "; " + advice + ".", e);
        }
    }

    /**
     * The pooled connections. Valid until {@link #close()}. While the database is down, {@code getConnection}
     * throws {@link DatabaseUnavailableException} at once.
     */
    public DataSource dataSource() {
        return gated;
    }

    /** Whether the database answered the monitor's last check (false during an outage or a restart). */
    public boolean isAvailable() {
        return monitor.isUp();
    }

    /** Outages seen since open (each ends when queries work again). */
    public long outages() {
        return monitor.outages();
    }

    /** How many times the embedded server was restarted after its process died (0 in URL mode). */
    public int restarts() {
        return embedded == null ? 0 : embedded.restarts();
    }

    /** How long the last outage lasted, in nanoseconds; -1 before any. */
    public long lastOutageNanos() {
        return monitor.lastOutageNanos();
    }

    /** The embedded server's postmaster process id, -1 in URL mode (for tests and diagnostics). */
    public long embeddedPid() {
        return embedded == null ? -1 : embedded.pid();
    }

    /** The embedded server's port on 127.0.0.1, or 0 for an external database. */
    public int embeddedPort() {
        return embedded == null ? 0 : embedded.port();
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
        return migrate(gated, description);
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

    /** Stops watching, closes the pool, then stops the embedded server (if any) and waits for it to exit. */
    @Override
    public void close() {
        monitor.close();
        pool.close();
        if (embedded != null) {
            embedded.close();
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
