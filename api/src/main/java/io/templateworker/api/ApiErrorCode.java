package io.templateworker.api;

/** The {@code code} of an error body; the same values upstream's clients switch on. */
public enum ApiErrorCode {
    InternalAuthError,
    NoAuthToken,
    ApiBanned,
    InvalidToken,
    InternalError,
    Restricted,
    NotFound,
    BadRequest
}
