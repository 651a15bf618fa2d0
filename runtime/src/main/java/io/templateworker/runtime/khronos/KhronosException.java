package io.templateworker.runtime.khronos;

/**
 * A value that cannot be represented or decoded as a KhronosValue: too deeply nested, malformed wire JSON, or
 * a string PostgreSQL cannot store. The message says what was wrong and where, for the template author.
 */
public final class KhronosException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KhronosException(String message) {
        super(message);
    }

    public KhronosException(String message, Throwable cause) {
        super(message, cause);
    }
}
