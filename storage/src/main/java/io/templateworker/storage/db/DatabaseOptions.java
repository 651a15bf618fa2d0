package io.templateworker.storage.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how many connections to pool. Exactly one of {@code url} and
 * {@code embeddedDirectory} is set.
 *
 * @param url               a {@code postgres://user:pass@host:port/db} or {@code jdbc:postgresql://...} URL,
 *                          or null for an embedded server
 * @param embeddedDirectory the embedded server's data directory (created on first start, kept afterwards),
 *                          or null when {@code url} is set
 * @param maxConnections    the pool size, at least 1
 */
public record DatabaseOptions(String url, Path embeddedDirectory, int maxConnections) {

    public DatabaseOptions {
        if ((url == null) == (embeddedDirectory == null)) {
            throw new IllegalArgumentException("give either a PostgreSQL URL or an embedded data directory, not both or neither");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
    }

    /** An embedded PostgreSQL whose files live in {@code directory}. */
    public static DatabaseOptions embedded(Path directory, int maxConnections) {
        return new DatabaseOptions(null, Objects.requireNonNull(directory, "directory"), maxConnections);
    }

    /** An external PostgreSQL server. */
    public static DatabaseOptions external(String url, int maxConnections) {
        return new DatabaseOptions(Objects.requireNonNull(url, "url"), null, maxConnections);
    }

    public boolean isEmbedded() {
        return embeddedDirectory != null;
    }
}
