package io.templateworker.api;

/**
 * Discord ids in requests: decimal strings of unsigned 64-bit numbers, 1 to 2^64-1. Parsed into a {@code long}
 * holding the same bits (ids above 2^63-1 are negative as a {@code long}; print them with
 * {@link Long#toUnsignedString(long)}).
 */
public final class Snowflakes {

    private Snowflakes() {
    }

    /**
     * The id in {@code raw}; 400 naming {@code what} (e.g. "path parameter guild_id") when it is not a decimal
     * number from 1 to 18446744073709551615.
     */
    public static long parse(String raw, String what) {
        if (raw != null && !raw.isEmpty() && raw.length() <= 20) {
            boolean digits = true;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c < '0' || c > '9') {
                    digits = false;
                    break;
                }
            }
            if (digits) {
                try {
                    long v = Long.parseUnsignedLong(raw);
                    if (v != 0) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // above 2^64-1: reported below
                }
            }
        }
        throw ApiException.badRequest(what + " must be a Discord id (a decimal number from 1 to 18446744073709551615), got '"
                + shorten(raw) + "'");
    }

    /** Whether {@code raw} is a valid id. */
    public static boolean isValid(String raw) {
        try {
            parse(raw, "id");
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    static String shorten(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "…";
    }
}
