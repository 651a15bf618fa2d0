package io.templateworker.runtime.store;

/**
 * A store operation that failed, with a message the template author can act on, e.g. "key is 600 bytes; the
 * limit is 512". {@link #kind()} lets transports and the HTTP API map it without parsing the message.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Kind {
        /** The arguments break a rule (missing scopes, bad key, expiry in the past). Fix the call. */
        INVALID_ARGUMENT,
        /** A size or count limit was exceeded. Make the input smaller. */
        LIMIT_EXCEEDED,
        /** The addressed record does not exist (or belongs to another tenant). */
        NOT_FOUND,
        /** The record already exists (unique name or key). */
        CONFLICT,
        /** The database could not be reached or failed; retrying later may work. */
        UNAVAILABLE
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
