package io.templateworker.storage.db;

/** The database could not be opened or migrated. The message says what failed and what to check. */
public final class DatabaseException extends RuntimeException {

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
