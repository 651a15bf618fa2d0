package io.templateworker.api;

/**
 * Who may call a route, as documented in OpenAPI. Routes with {@link #ROOT} form the internal API and are
 * listed in {@code /i/openapi} instead of {@code /openapi}. Enforcement belongs to the auth layer.
 */
public enum Access {
    /** No authentication. */
    PUBLIC,
    /** A user session token in the {@code Authorization} header (raw, no {@code Bearer} prefix). */
    USER,
    /** A user session token of a user listed in {@code discord_auth.root_users}. */
    ROOT
}
