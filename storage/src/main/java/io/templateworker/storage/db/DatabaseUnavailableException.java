package io.templateworker.storage.db;

import java.sql.SQLTransientConnectionException;

/**
 * Thrown at once by {@link Database#dataSource()} while the database is known to be down, instead of letting
 * the caller wait for a connection that cannot come. SQLSTATE {@value #SQL_STATE} (connection exception), so
 * adapters map it like any lost connection: "unavailable, retry later".
 */
public final class DatabaseUnavailableException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;
    public static final String SQL_STATE = "08001";

    public DatabaseUnavailableException(String message) {
        super(message, SQL_STATE);
    }
}
