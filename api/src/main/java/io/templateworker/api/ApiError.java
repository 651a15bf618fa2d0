package io.templateworker.api;

/** The JSON body of every error response. */
public record ApiError(String message, ApiErrorCode code) {
}
