package io.templateworker.storage.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of local mode: zonky starts it the first time (initdb when the directory is new)
 * and stops it at the end; in between, {@link #restart()} starts the same cluster again with {@code pg_ctl}
 * on the same port after its postmaster died, so the pool's URL stays valid. The cluster runs with production
 * durability: {@code fsync} and {@code synchronous_commit} on, so a committed write survives a crash.
 */
final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    /** The lock file zonky holds in the data directory while its server runs. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    /** Where the output of a restarted server goes (the first start logs through zonky). */
    static final String RESTART_LOG = "postgres-restart.log";
    /** Server settings, the same at the first start and at every restart. */
    private static final Map<String, String> SETTINGS = settings();

    private final Path directory;
    private final EmbeddedPostgres zonky;
    private final Path binDirectory;
    private volatile ProcessHandle postmaster;
    private int restarts;

    private EmbeddedServer(Path directory, EmbeddedPostgres zonky) throws IOException {
        this.directory = directory;
        this.zonky = zonky;
        this.postmaster = readPostmaster(directory)
                .orElseThrow(() -> new IOException("the embedded PostgreSQL started but wrote no postmaster.pid in " + directory));
        // pg_ctl lives beside the running postgres binary (zonky unpacked both; its path is not public API).
        Path exe = Path.of(postmaster.info().command().orElseThrow(
                () -> new IOException("cannot see the path of the embedded PostgreSQL's binary (pid " + postmaster.pid() + ")")));
        this.binDirectory = exe.getParent();
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        // zonky's defaults are for tests (fsync off); this cluster holds real data.
        s.put("fsync", "on");
        s.put("synchronous_commit", "on");
        s.put("full_page_writes", "on");
        // After a crash PostgreSQL flushes the data directory before recovery; syncfs does that with one call
        // per file system instead of one fsync per file (seconds -> well under one on a small cluster).
        s.put("recovery_init_sync_method", "syncfs");
        s.put("max_connections", "100");
        return s;
    }

    /** Starts the cluster in {@code directory}, creating it when the directory holds none yet. */
    static EmbeddedServer start(Path directory) throws IOException {
        Files.createDirectories(directory);
        stopStaleServer(directory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // We stop the server ourselves in close(), after the pool; zonky's hook would race with ours.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60));
        SETTINGS.forEach(builder::setServerConfig);
        EmbeddedPostgres zonky = builder.start();
        try {
            return new EmbeddedServer(directory, zonky);
        } catch (IOException | RuntimeException e) {
            closeQuietly(zonky);
            throw e;
        }
    }

    int port() {
        return zonky.getPort();
    }

    String jdbcUrl(String database) {
        return zonky.getJdbcUrl("postgres", database);
    }

    EmbeddedPostgres zonky() {
        return zonky;
    }

    /** What became of the postmaster process. */
    enum State {
        RUNNING,
        /** Dead but not yet reaped by its parent (init): PostgreSQL refuses to start until it is gone. */
        EXITED_NOT_REAPED,
        GONE
    }

    State state() {
        ProcessHandle p = postmaster;
        if (!p.isAlive()) {
            return State.GONE;
        }
        try {
            // kill(pid, 0) succeeds on a zombie, so look at its state: "pid (comm) S ..."
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X' ? State.EXITED_NOT_REAPED : State.RUNNING;
        } catch (IOException | RuntimeException e) {
            return p.isAlive() ? State.RUNNING : State.GONE; // not Linux, or it vanished meanwhile
        }
    }

    long pid() {
        return postmaster.pid();
    }

    int restarts() {
        return restarts;
    }

    /**
     * Starts the cluster again after its postmaster died, on the same port and with the same settings.
     * PostgreSQL replays its write-ahead log first, so every committed transaction is back. Called by one
     * thread at a time (the database monitor).
     *
     * @throws IOException when pg_ctl fails; the caller retries later
     */
    void restart() throws IOException {
        if (state() != State.GONE) {
            throw new IOException("the old server process " + postmaster.pid() + " has not exited completely yet");
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // PostgreSQL refuses to run as root; zonky starts it in a user namespace then, and so do we.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(binDirectory.resolve("pg_ctl").toString(), "-D", directory.toString(),
                "-l", directory.resolve(RESTART_LOG).toString(), "-w", "-t", "60", "-o", serverOptions(), "start"));
        Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(pgCtl.getInputStream().readAllBytes()).trim();
            if (!pgCtl.waitFor(90, TimeUnit.SECONDS)) {
                pgCtl.destroyForcibly();
                throw new IOException("pg_ctl start did not finish within 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pgCtl.destroyForcibly();
            throw new IOException("interrupted while restarting the embedded PostgreSQL", e);
        }
        if (pgCtl.exitValue() != 0) {
            throw new IOException("pg_ctl start exited with " + pgCtl.exitValue() + ": " + output
                    + " (server log: " + directory.resolve(RESTART_LOG) + ")");
        }
        postmaster = readPostmaster(directory)
                .orElseThrow(() -> new IOException("the restarted PostgreSQL wrote no postmaster.pid"));
        restarts++;
    }

    private String serverOptions() {
        StringBuilder options = new StringBuilder("-p ").append(port());
        SETTINGS.forEach((k, v) -> options.append(" -c ").append(k).append('=').append(v));
        return options.toString();
    }

    /** Stops the server (through zonky, which also releases the directory's lock) and waits for it to exit. */
    @Override
    public void close() {
        closeQuietly(zonky);
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
        }
    }

    /** The live postmaster whose pid the data directory's postmaster.pid names. */
    private static Optional<ProcessHandle> readPostmaster(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
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
            Optional<ProcessHandle> stale = readPostmaster(directory);
            if (stale.isEmpty() || !stale.get().info().command().orElse("").endsWith("postgres")) {
                return; // pid file left behind by a crash; PostgreSQL itself recovers from that
            }
            long pid = stale.get().pid();
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
}
