package io.templateworker.runtime.discord;

/**
 * A Discord call that did not succeed. The message says what failed and what to do; {@link #kind} tells the cases
 * apart.
 */
public final class DiscordException extends RuntimeException {

    /** Why the call failed. */
    public enum Kind {
        /** Discord answered with an error (4xx, or 5xx after retries): see {@link #status}, {@link #code}. */
        HTTP,
        /** Still rate limited after waiting and retrying, or the wait would be longer than allowed. */
        RATE_LIMITED,
        /** Refused locally before sending (the invalid-request guard). */
        REFUSED,
        /** Discord could not be reached (network error or timeout, after retries for idempotent calls). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final int status;
    private final int code;
    private final String body;

    public DiscordException(Kind kind, int status, int code, String message, String body, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.body = body;
    }

    public static DiscordException http(int status, int code, String message, String body) {
        return new DiscordException(Kind.HTTP, status, code, message, body, null);
    }

    public static DiscordException of(Kind kind, String message, Throwable cause) {
        return new DiscordException(kind, 0, 0, message, "", cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status Discord answered with, 0 when nothing was answered. */
    public int status() {
        return status;
    }

    /** Discord's JSON error code (e.g. 50013 Missing Permissions, 10008 Unknown Message), 0 when none. */
    public int code() {
        return code;
    }

    /** Discord's raw error body, empty when none. */
    public String body() {
        return body;
    }
}
