package io.templateworker.storage.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the database while the service runs. Every {@link #PROBE_INTERVAL} (and at once when a caller's
 * connection fails) it runs {@code select 1} on a connection of its own; for the embedded server it also
 * checks every {@link #TICK} that the postmaster process is alive. When the database is down it
 *
 * <ul>
 *   <li>closes the gate: {@link GatedDataSource} fails every request at once with the reason (callers turn
 *       that into a 503 or a Luau error) instead of letting each wait for the pool's timeout;</li>
 *   <li>restarts the embedded server when its postmaster died (PostgreSQL replays its log, so committed data
 *       is kept), with backoff if that fails;</li>
 *   <li>probes every {@link #TICK} until a query succeeds, then discards the pool's broken connections and
 *       opens the gate.</li>
 * </ul>
 *
 * A server restarted from outside (URL mode) is handled the same way, minus the restart.
 */
final class DatabaseMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
    static final Duration TICK = Duration.ofMillis(100);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(10);

    private final String jdbcUrl;
    private final Properties probeProperties;
    private final String description;
    private final EmbeddedServer embedded;
    private volatile HikariDataSource pool;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean suspected;

    /** Null while the database is up. */
    private volatile String downCause;
    private volatile long downSinceNanos;
    private final AtomicLong outages = new AtomicLong();
    private volatile long lastOutageNanos = -1;
    private Connection probe;
    private long nextProbeNanos;
    private long nextRestartNanos;
    private int failedRestarts;

    DatabaseMonitor(String jdbcUrl, String user, String password, String description, EmbeddedServer embedded) {
        this.jdbcUrl = jdbcUrl;
        this.description = description;
        this.embedded = embedded;
        this.probeProperties = new Properties();
        if (user != null) {
            probeProperties.setProperty("user", user);
        }
        if (password != null) {
            probeProperties.setProperty("password", password);
        }
        probeProperties.setProperty("connectTimeout", "2");
        probeProperties.setProperty("socketTimeout", "3");
        probeProperties.setProperty("ApplicationName", "template-worker db monitor");
        this.thread = Thread.ofPlatform().daemon().name("db-monitor").unstarted(this::loop);
    }

    /** Starts watching; {@code pool}'s broken connections are evicted after each outage. */
    void start(HikariDataSource pool) {
        this.pool = pool;
        thread.start();
    }

    /**
     * The message for callers while the database is down, or null while it is up, e.g. "embedded PostgreSQL in
     * ./data/postgres is unavailable (the server process exited; restarting it) for 1.2 s; retry in a few seconds".
     */
    String downReason() {
        String cause = downCause;
        if (cause == null) {
            return null;
        }
        double seconds = (System.nanoTime() - downSinceNanos) / 1e9;
        return String.format(java.util.Locale.ROOT, "%s is unavailable (%s) for %.1f s; retry in a few seconds",
                description, cause, seconds);
    }

    boolean isUp() {
        return downCause == null;
    }

    long outages() {
        return outages.get();
    }

    /** How long the last outage lasted, from detection to the gate opening again; -1 before any. */
    long lastOutageNanos() {
        return lastOutageNanos;
    }

    /** A caller's connection failed: check now rather than at the next probe. */
    void suspect(SQLException e) {
        if (e instanceof SQLTransientConnectionException || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
            suspected = true;
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("database monitor: unexpected failure (it keeps running): {}", e.toString());
            }
            if (running && !suspected) {
                LockSupport.parkNanos(this, TICK.toNanos());
            }
        }
        closeProbe();
    }

    private void tick() {
        long now = System.nanoTime();
        EmbeddedServer.State server = embedded == null ? EmbeddedServer.State.RUNNING : embedded.state();
        if (server != EmbeddedServer.State.RUNNING) {
            suspected = false;
            closeProbe();
            markDown("the server process " + embedded.pid() + " exited; restarting it");
            // A dead postmaster that its parent has not reaped yet still "holds" the data directory.
            if (server == EmbeddedServer.State.GONE && now - nextRestartNanos >= 0) {
                restartEmbedded();
            }
            return;
        }
        boolean due = suspected || !isUp() || now - nextProbeNanos >= 0;
        if (!due) {
            return;
        }
        suspected = false;
        nextProbeNanos = now + PROBE_INTERVAL.toNanos();
        String failure = probe();
        if (failure == null) {
            if (!isUp()) {
                markUp();
            }
        } else {
            markDown(failure);
        }
    }

    /** Runs {@code select 1}; returns null on success, else what failed. */
    private String probe() {
        try {
            if (probe == null || probe.isClosed()) {
                probe = new org.postgresql.Driver().connect(jdbcUrl, probeProperties);
                if (probe == null) {
                    return "the JDBC URL is not a PostgreSQL URL";
                }
            }
            try (Statement s = probe.createStatement()) {
                s.execute("select 1");
            }
            return null;
        } catch (SQLException e) {
            closeProbe();
            return firstLine(e.getMessage());
        }
    }

    private void restartEmbedded() {
        long started = System.nanoTime();
        try {
            LOG.warn("the embedded PostgreSQL (pid {}) is gone; restarting it on port {}", embedded.pid(), embedded.port());
            embedded.restart();
            failedRestarts = 0;
            LOG.warn("the embedded PostgreSQL is running again (pid {}, restart {}) after {} ms of recovery", embedded.pid(),
                    embedded.restarts(), (System.nanoTime() - started) / 1_000_000);
            suspected = true; // probe right away
        } catch (IOException | RuntimeException e) {
            failedRestarts++;
            long backoff = Math.min(MAX_RESTART_BACKOFF.toNanos(), Duration.ofSeconds(1).toNanos() << Math.min(failedRestarts - 1, 4));
            nextRestartNanos = System.nanoTime() + backoff;
            LOG.error("restarting the embedded PostgreSQL failed (attempt {}), next try in {} ms: {}", failedRestarts,
                    backoff / 1_000_000, e.getMessage());
        }
    }

    private void markDown(String cause) {
        if (downCause == null) {
            downSinceNanos = System.nanoTime();
            downCause = cause;
            outages.incrementAndGet();
            LOG.warn("{} is unavailable: {}; requests that need it fail at once until it is back", description, cause);
        } else if (!downCause.equals(cause)) {
            downCause = cause;
        }
    }

    private void markUp() {
        HikariDataSource p = pool;
        if (p != null && p.getHikariPoolMXBean() != null) {
            // Connections opened before the outage are dead; new ones are made on demand.
            p.getHikariPoolMXBean().softEvictConnections();
        }
        long down = System.nanoTime() - downSinceNanos;
        lastOutageNanos = down;
        downCause = null;
        LOG.info("{} is available again after {} ms", description, down / 1_000_000);
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException ignored) {
                // already broken
            }
            probe = null;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
