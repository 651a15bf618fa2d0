package io.templateworker.storage.globalkv;

import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.StoreException;

/** Argument rules for global KV entries (UPSTREAM.md §5.4), with messages that say how to fix the call. */
public final class GlobalKvRules {

    public static final int MIN_KEY = 3;
    public static final int MAX_KEY = 64;
    public static final int MAX_SCOPE = 128;
    public static final int MAX_SHORT = 200;
    public static final int MAX_LONG = 10_000;

    private GlobalKvRules() {
    }

    /** 3..64 characters of ASCII letters, digits, '.', '-', '_', not starting or ending with '.'. */
    public static void checkKey(String key) {
        if (key == null) {
            throw invalid("global KV key must be a string, got nil");
        }
        if (key.length() < MIN_KEY || key.length() > MAX_KEY) {
            throw invalid("global KV key \"" + shorten(key) + "\" is " + key.length() + " characters; it must be "
                    + MIN_KEY + " to " + MAX_KEY);
        }
        if (key.charAt(0) == '.' || key.charAt(key.length() - 1) == '.') {
            throw invalid("global KV key \"" + key + "\" must not start or end with '.'");
        }
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '.' || ch == '-' || ch == '_';
            if (!ok) {
                throw invalid("global KV key \"" + key + "\" contains '" + ch + "'; only ASCII letters, digits, '.', '-' and '_' are allowed");
            }
        }
    }

    public static void checkScope(String scope) {
        if (scope == null || scope.isEmpty() || scope.length() > MAX_SCOPE || scope.indexOf('\0') >= 0) {
            throw invalid("global KV scope must be 1 to " + MAX_SCOPE + " characters without NUL");
        }
    }

    /** Checks a whole creation request; returns the encoded data and metadata JSON (data size-limited). */
    public static String[] checkCreate(CreateGlobalKv entry) {
        if (entry == null) {
            throw invalid("global KV create needs an entry");
        }
        checkKey(entry.key());
        checkScope(entry.scope());
        String shortText = entry.shortDescription();
        if (shortText == null || shortText.isBlank() || shortText.length() > MAX_SHORT) {
            throw invalid("global KV short description must be 1 to " + MAX_SHORT + " characters");
        }
        if (entry.longDescription() != null && entry.longDescription().length() > MAX_LONG) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "global KV long description is "
                    + entry.longDescription().length() + " characters; the limit is " + MAX_LONG);
        }
        byte[] data = KvLimits.encodeValue(entry.data());
        byte[] metadata = KvLimits.encodeValue(entry.publicMetadata());
        return new String[] {new String(data, java.nio.charset.StandardCharsets.UTF_8),
                new String(metadata, java.nio.charset.StandardCharsets.UTF_8)};
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static StoreException invalid(String message) {
        return new StoreException(StoreException.Kind.INVALID_ARGUMENT, message);
    }
}
