package io.templateworker.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process at a time per data folder. A service holds {@code <data_dir>/service.lock} (an OS file lock, released
 * when the process dies, however it dies) and records in {@code <data_dir>/service.json} its pid, API address and the
 * embedded PostgreSQL's port, so that a second service is refused in one line before it touches the database, and
 * the tools (migrate, shell, register) can use the running service's database instead of starting their own.
 */
public final class DataDirClaim implements AutoCloseable {

    static final String LOCK_FILE = "service.lock";
    static final String INFO_FILE = "service.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Folders claimed by this JVM. Checked before opening the lock file again: on Linux, closing any channel of a file
     * drops every lock this process holds on it, so a second open-and-close would free a claim we still hold.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * What a running service recorded about itself.
     *
     * @param postgresPort the embedded PostgreSQL's port, or 0 when the service uses an external database
     */
    public record Running(long pid, String mode, String api, int postgresPort) {
    }

    /** The folder is in use by another process; the message names it and what to do. */
    public static final class InUseException extends RuntimeException {
        private final Running running;

        InUseException(String message, Running running) {
            super(message, null, false, false);
            this.running = running;
        }

        /** What the other process recorded, if anything. */
        public Optional<Running> running() {
            return Optional.ofNullable(running);
        }
    }

    private final Path dataDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirClaim(Path dataDir, FileChannel channel, FileLock lock) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims the folder for this process.
     *
     * @param mode what this process is ("threadpool", "migrate", ...), recorded for others' messages
     * @throws InUseException when another process holds it
     */
    public static DataDirClaim claim(Path dataDir, String mode) {
        Path key = dataDir.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            Running other = read(dataDir).orElse(null);
            throw new InUseException(inUseMessage(dataDir, other), other);
        }
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                HELD.remove(key);
                Running other = read(dataDir).orElse(null);
                throw new InUseException(inUseMessage(dataDir, other), other);
            }
            DataDirClaim claim = new DataDirClaim(dataDir, channel, lock);
            claim.record(new Running(ProcessHandle.current().pid(), mode, null, 0));
            return claim;
        } catch (IOException e) {
            HELD.remove(key);
            throw new IllegalStateException("cannot use data folder " + dataDir + ": " + e.getMessage()
                    + " (check that it is writable, or choose another with --data-dir)", e);
        }
    }

    /** What the service holding the folder recorded, when one holds it; empty when the folder is free. */
    public static Optional<Running> runningService(Path dataDir) {
        if (HELD.contains(dataDir.toAbsolutePath().normalize())) {
            return read(dataDir);
        }
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                lock.release();
                return Optional.empty();
            }
            return read(dataDir);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records this process's API address and embedded PostgreSQL port (0 for an external database). */
    public void recordRunning(String mode, String api, int postgresPort) {
        try {
            record(new Running(ProcessHandle.current().pid(), mode, api, postgresPort));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dataDir.resolve(INFO_FILE) + ": " + e.getMessage(), e);
        }
    }

    private void record(Running running) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", running.pid());
        n.put("mode", running.mode());
        if (running.api() != null) {
            n.put("api", running.api());
        }
        n.put("postgres_port", running.postgresPort());
        Path tmp = dataDir.resolve(INFO_FILE + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        Files.move(tmp, dataDir.resolve(INFO_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<Running> read(Path dataDir) {
        try {
            JsonNode n = JSON.readTree(dataDir.resolve(INFO_FILE).toFile());
            return Optional.of(new Running(n.path("pid").asLong(), n.path("mode").asText("?"),
                    n.hasNonNull("api") ? n.get("api").asText() : null, n.path("postgres_port").asInt()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String inUseMessage(Path dataDir, Running other) {
        String who = other == null ? "another template-worker process"
                : "a running template-worker (" + other.mode() + ", pid " + other.pid()
                + (other.api() == null ? "" : ", API " + other.api()) + ")";
        return "data folder " + dataDir + " is in use by " + who + "; stop it first, or start this one with another"
                + " --data-dir (or TW_DATA_DIR)";
    }

    /** Releases the folder; the info file goes with it. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(dataDir.resolve(INFO_FILE));
        } catch (IOException e) {
            // The next owner overwrites it.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the process releases it anyway.
        }
        HELD.remove(dataDir.toAbsolutePath().normalize());
    }
}
