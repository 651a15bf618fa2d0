package io.templateworker.storage.sql;

import io.templateworker.runtime.store.StoreException;
import io.templateworker.storage.db.DatabaseUnavailableException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers used by every adapter in this module. */
public final class Sql {

    private Sql() {
    }

    /**
     * Maps a database failure to a StoreException: unique violations become CONFLICT, data errors (SQLSTATE
     * class 22, e.g. a character PostgreSQL cannot store) INVALID_ARGUMENT, everything else UNAVAILABLE.
     *
     * @param what the operation and whom it was for, e.g. "KV set for guild/123"
     */
    public static StoreException failure(SQLException e, String what) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("23505")) {
            return new StoreException(StoreException.Kind.CONFLICT, what + " failed: the record already exists", e);
        }
        if (state.startsWith("22")) {
            return new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    what + " failed: the database rejected the data (" + firstLine(e.getMessage()) + ")", e);
        }
        if (e instanceof DatabaseUnavailableException) {
            return new StoreException(StoreException.Kind.UNAVAILABLE, what + " failed: " + e.getMessage(), e);
        }
        if (isConnectionLoss(e)) {
            return new StoreException(StoreException.Kind.UNAVAILABLE, what + " failed: the database is unavailable ("
                    + firstLine(e.getMessage()) + "); retry in a few seconds", e);
        }
        return new StoreException(StoreException.Kind.UNAVAILABLE,
                what + " failed: database error (" + firstLine(e.getMessage()) + "); retry later", e);
    }

    /**
     * Whether {@code e} means the database could not be reached or went away mid-statement: SQLSTATE class 08
     * (connection exception), 57P01–57P03 (server shutting down or starting), or a pool timeout.
     */
    public static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientConnectionException || state.startsWith("08") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** An instant as PostgreSQL stores it (microseconds), so values read back compare equal. */
    public static Instant toMicros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Binds a nullable instant as timestamptz, truncated to microseconds. */
    public static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(toMicros(instant), ZoneOffset.UTC));
        }
    }

    /** Reads a nullable timestamptz column. */
    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Reads a nullable timestamptz column by index. */
    public static Instant getInstant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Microseconds since the epoch, the exact form used to compare timestamps inside batched SQL. */
    public static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** A text[] parameter. */
    public static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    /** A text[] column as a list (empty for NULL). */
    public static List<String> getTextList(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return List.of();
        }
        Object[] items = (Object[]) array.getArray();
        List<String> out = new ArrayList<>(items.length);
        for (Object o : items) {
            out.add((String) o);
        }
        return out;
    }
}
