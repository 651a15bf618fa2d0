package io.templateworker.api;

/**
 * Thrown by a handler to answer with an error: the server turns it into {@code status} and an {@link ApiError}
 * body. The message is shown to the caller, so it should say what went wrong and what to do about it.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final ApiErrorCode code;

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

    public int status() {
        return status;
    }

    public ApiErrorCode code() {
        return code;
    }

    public ApiError toBody() {
        return new ApiError(getMessage(), code);
    }
}
