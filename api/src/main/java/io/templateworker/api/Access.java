package io.templateworker.api;

/**
 * Who may call a route. The server enforces it before the handler runs (see {@code api.auth}); OpenAPI documents
 * it. Routes with {@link #ROOT} form the internal API and are listed in {@code /i/openapi} instead of
 * {@code /openapi}.
 */
public enum Access {
    /** No authentication (a valid token still identifies the caller, for rate limits). */
    PUBLIC,
    /** A user session token in the {@code Authorization} header (raw, no {@code Bearer} prefix). */
    USER,
    /**
     * A user session whose user may manage the guild named by the route's {@code {guild_id}} path parameter:
     * its owner, or a member with ADMINISTRATOR or MANAGE_GUILD, in the guild state. Root users always may.
     */
    GUILD,
    /** A user session token of a user listed in {@code discord_auth.root_users}. */
    ROOT
}
