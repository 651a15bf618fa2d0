package io.templateworker.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown by a handler to answer with an error: the server turns it into {@code status} and an {@link ApiError}
 * body (plus any {@link #header headers}). The message is shown to the caller, so it should say what went wrong
 * and what to do about it — never a Java class name or a library's internals.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final ApiErrorCode code;
    private final Map<String, String> headers = new LinkedHashMap<>(2);

    public ApiException(int status, ApiErrorCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, ApiErrorCode.BadRequest, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ApiErrorCode.NotFound, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, ApiErrorCode.Restricted, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, ApiErrorCode.Unavailable, message);
    }

    /** 429 with {@code Retry-After} (whole seconds, at least 1). */
    public static ApiException rateLimited(String message, long retryAfterMillis) {
        long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
        return new ApiException(429, ApiErrorCode.RateLimited, message + "; retry after " + seconds + " s")
                .header("Retry-After", Long.toString(seconds));
    }

    /** Adds a response header (e.g. {@code Retry-After}, {@code Allow}). */
    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public ApiErrorCode code() {
        return code;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public ApiError toBody() {
        return new ApiError(getMessage(), code);
    }
}
