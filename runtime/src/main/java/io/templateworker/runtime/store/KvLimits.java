package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The argument rules of the tenant KV (UPSTREAM.md §2.8, §5.3, §8.5), shared by every {@link KvStore} adapter
 * so that a template sees the same message whichever process serves it.
 */
public final class KvLimits {

    /** Longest key, and longest find query, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 512;
    /** Longest single scope in UTF-8 bytes (upstream had none; a scope is an identifier, not data). */
    public static final int MAX_SCOPE_BYTES = 512;
    /** Most scopes per operation. */
    public static final int MAX_SCOPES = 10;
    /** Largest value, measured as the length of its KhronosValue JSON. */
    public static final int MAX_VALUE_BYTES = 256 * 1024;
    /** Length of a record id: 64 random alphanumeric characters. */
    public static final int ID_LENGTH = 64;

    private KvLimits() {
    }

    /**
     * The configurable sizes ({@code limits.kv_key_max_bytes}, {@code limits.kv_value_max_bytes}): longest key or
     * find query, largest value as its JSON, both in bytes.
     */
    public record Sizes(int maxKeyBytes, int maxValueBytes) {
        public static final Sizes DEFAULTS = new Sizes(MAX_KEY_BYTES, MAX_VALUE_BYTES);

        public Sizes {
            if (maxKeyBytes <= 0 || maxValueBytes <= 0) {
                throw new IllegalArgumentException("KV sizes must be positive: key " + maxKeyBytes + ", value " + maxValueBytes);
            }
        }
    }

    /**
     * Checks the scopes and returns them sorted and without duplicates, the form used for storage and matching.
     * {@code operation} names the call for the message ("get", "set", ...).
     */
    public static List<String> normalizeScopes(List<String> scopes, String operation) {
        if (scopes == null || scopes.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "set".equals(operation)
                    ? "Setting keys without a scope is not allowed"
                    : "Unscoped operations are not allowed (" + operation + " needs at least one scope)");
        }
        if (scopes.size() > MAX_SCOPES) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED,
                    operation + " was given " + scopes.size() + " scopes; the limit is " + MAX_SCOPES);
        }
        String[] sorted = new String[scopes.size()];
        for (int i = 0; i < sorted.length; i++) {
            String s = scopes.get(i);
            if (s == null) {
                throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, operation + ": scope " + (i + 1) + " is nil");
            }
            checkText(s, "scope", MAX_SCOPE_BYTES);
            sorted[i] = s;
        }
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || !sorted[n - 1].equals(sorted[i])) {
                sorted[n++] = sorted[i];
            }
        }
        return List.of(Arrays.copyOf(sorted, n));
    }

    /** Checks a key: not null, no NUL character, at most 512 UTF-8 bytes. */
    public static void checkKey(String key) {
        checkKey(key, MAX_KEY_BYTES);
    }

    /** Checks a key: not null, no NUL character, at most {@code maxBytes} UTF-8 bytes. */
    public static void checkKey(String key, int maxBytes) {
        if (key == null) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "key must be a string, got nil");
        }
        checkText(key, "key", maxBytes);
    }

    /** Checks a find query like a key. */
    public static void checkQuery(String query) {
        checkQuery(query, MAX_KEY_BYTES);
    }

    /** Checks a find query like a key of at most {@code maxBytes}. */
    public static void checkQuery(String query, int maxBytes) {
        if (query == null) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "find query must be a string, got nil");
        }
        checkText(query, "find query", maxBytes);
    }

    /** Checks a record id argument: a non-empty string of at most 512 bytes (unknown ids are simply not found). */
    public static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "record id must be a non-empty string");
        }
        checkText(id, "record id", MAX_KEY_BYTES);
    }

    /**
     * Serialises a value to its stored JSON and checks its size (256 KiB) and that PostgreSQL can hold it
     * (jsonb has no NUL character in strings).
     */
    public static byte[] encodeValue(KhronosValue value) {
        return encodeValue(value, MAX_VALUE_BYTES);
    }

    /** {@link #encodeValue(KhronosValue)} with a limit of {@code maxBytes} of JSON. */
    public static byte[] encodeValue(KhronosValue value, int maxBytes) {
        byte[] json;
        try {
            json = KhronosJson.toJsonBytes(value == null ? KhronosValue.Null.INSTANCE : value);
        } catch (KhronosException e) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "value cannot be stored: " + e.getMessage(), e);
        }
        if (json.length > maxBytes) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "value is " + json.length
                    + " bytes as JSON; the limit is " + maxBytes + (maxBytes == MAX_VALUE_BYTES ? " (256 KiB)"
                    : " (limits.kv_value_max_bytes)"));
        }
        if (containsEscapedNul(json)) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "value contains a string with a NUL"
                    + " character (\\0), which the database cannot store; use a buffer for binary data");
        }
        return json;
    }

    /** Rejects an expiry that is not strictly after {@code now}; null (no expiry) passes. */
    public static void checkExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "Expiry time must be in the future (got "
                    + KhronosJson.formatInstant(expiresAt) + ", now is " + KhronosJson.formatInstant(now) + ")");
        }
    }

    private static void checkText(String text, String what, int maxBytes) {
        // Fast path: n UTF-16 chars are at most 3n UTF-8 bytes, so short strings need no encoding.
        if (text.length() * 3 > maxBytes) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED,
                        what + " is " + bytes + " bytes; the limit is " + maxBytes);
            }
        }
        if (text.indexOf('\0') >= 0) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    what + " contains a NUL character (\\0), which the database cannot store");
        }
    }

    /** Whether the JSON holds the escape {@code \u0000} (not preceded by an odd run of backslashes). */
    private static boolean containsEscapedNul(byte[] json) {
        for (int i = 0; i + 5 < json.length; i++) {
            if (json[i] == '\\' && json[i + 1] == 'u' && json[i + 2] == '0' && json[i + 3] == '0'
                    && json[i + 4] == '0' && json[i + 5] == '0') {
                int backslashes = 0;
                for (int j = i; j >= 0 && json[j] == '\\'; j--) {
                    backslashes++;
                }
                if (backslashes % 2 == 1) {
                    return true;
                }
            }
        }
        return false;
    }
}
