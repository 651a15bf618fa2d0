package io.templateworker.api;

/**
 * The {@code code} of an error body. The first eight are upstream's, with the meanings its clients switch on;
 * the others name answers upstream never gave (it answered 500 or an empty body for these cases).
 */
public enum ApiErrorCode {
    /** The session could not be checked (database down): 503 here, 500 upstream. */
    InternalAuthError,
    /** The route needs an {@code Authorization} header: 401. */
    NoAuthToken,
    /** The token's user has {@code state = banned}: 403. */
    ApiBanned,
    /** The token is unknown or expired, or an OAuth2 code was refused: 401/400/403. */
    InvalidToken,
    /** Something failed on our side: 500 (the message carries an id to find in the log). */
    InternalError,
    /** The caller may not use this route or resource: 403. */
    Restricted,
    /** No such route or resource: 404. */
    NotFound,
    /** The request is malformed; the message says what and where: 400. */
    BadRequest,
    /** The route exists but not for this method: 405 (the {@code Allow} header lists the methods). */
    MethodNotAllowed,
    /** The body is larger than {@code api.max_body_bytes}: 413. */
    PayloadTooLarge,
    /** The body is not JSON ({@code Content-Type} must be {@code application/json}): 415. */
    UnsupportedMediaType,
    /** Too many requests; retry after {@code Retry-After} seconds: 429. */
    RateLimited,
    /** A service we depend on (Discord, a worker) failed or refused: 502/504. */
    UpstreamError,
    /** The service is starting, stopping or has no running workers: 503. */
    Unavailable,
    /** The request conflicts with existing data (a name already taken): 409. */
    Conflict
}
