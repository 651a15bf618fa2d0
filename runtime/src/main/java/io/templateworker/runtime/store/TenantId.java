package io.templateworker.runtime.store;

import java.util.Objects;

/**
 * Who owns data and a VM: a guild or a user, by snowflake (UPSTREAM.md §2.1). In SQL columns the type is
 * {@code "guild"} / {@code "user"} and the id its decimal string.
 *
 * <p>Snowflakes are unsigned 64-bit numbers: {@code id} holds the bits, so ids from 2^63 to 2^64-1 are negative
 * as a Java {@code long}. Use {@link #idString()} (never {@code Long.toString(id)}) to print one.
 */
public record TenantId(Type type, long id) {

    /** The two kinds of tenant; {@link #sqlName()} is the lowercase form stored in {@code owner_type}. */
    public enum Type {
        GUILD("guild"), USER("user");

        private final String sqlName;

        Type(String sqlName) {
            this.sqlName = sqlName;
        }

        public String sqlName() {
            return sqlName;
        }

        /** Accepts only {@code guild} or {@code user}, lowercase, as upstream. */
        public static Type parse(String text) {
            if ("guild".equals(text)) {
                return GUILD;
            }
            if ("user".equals(text)) {
                return USER;
            }
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    "invalid tenant type \"" + text + "\": expected \"guild\" or \"user\" (lowercase)");
        }
    }

    public TenantId {
        Objects.requireNonNull(type, "type");
        if (id == 0) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    "invalid tenant id 0: a snowflake is a positive integer");
        }
    }

    public static TenantId guild(long id) {
        return new TenantId(Type.GUILD, id);
    }

    public static TenantId user(long id) {
        return new TenantId(Type.USER, id);
    }

    /** Parses the SQL/query-string form: {@code type} is {@code guild} or {@code user}, {@code id} decimal (up to 2^64-1). */
    public static TenantId parse(String type, String id) {
        Type t = Type.parse(type);
        long value;
        try {
            if (id.isEmpty() || id.charAt(0) == '+') {
                throw new NumberFormatException(id);
            }
            value = Long.parseUnsignedLong(id);
        } catch (NumberFormatException e) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    "invalid tenant id \"" + id + "\": expected a decimal snowflake");
        }
        return new TenantId(t, value);
    }

    /** The {@code owner_id} column value. */
    public String idString() {
        return Long.toUnsignedString(id);
    }

    /** Which of {@code workers} workers owns this tenant: {@code (id >> 22) % workers} (UPSTREAM.md §2.2). */
    public int workerOf(int workers) {
        return (int) ((id >>> 22) % workers);
    }

    /**
     * Mixes all 64 bits: snowflakes share long runs of bits (the low 22 bits of ids made in one millisecond, the
     * timestamp's high bits), and the record's default {@code Long.hashCode} left maps of 10 000 tenants with
     * long collision chains (tree bins: a lookup cost several times a plain one).
     */
    @Override
    public int hashCode() {
        long h = (id ^ type.ordinal()) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Written out: the record's generated equals goes through a method handle, and maps look tenants up per event. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof TenantId other && other.id == id && other.type == type;
    }

    /** {@code guild/1234}: for log lines and messages. */
    @Override
    public String toString() {
        return type.sqlName + "/" + Long.toUnsignedString(id);
    }
}
