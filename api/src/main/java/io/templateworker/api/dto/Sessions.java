package io.templateworker.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Bodies of the session routes (UPSTREAM.md §4.3, §4.5). */
public final class Sessions {

    private Sessions() {
    }

    /** {@code GET /sessions/@me}: the session the request's token belongs to. */
    public record AuthorizedSession(
            @JsonProperty("user_id") @Schema(example = "728871946456137770") String userId,
            @Schema(description = "Session id") UUID id,
            @Schema(description = "The user's state: normal or banned", example = "normal") String state,
            @Schema(description = "login, app_login or api", example = "login") String type) {
    }

    /** One session in {@code GET /sessions}; the token is never returned. */
    public record UserSession(
            UUID id,
            @Schema(description = "The label given when it was created; null for logins") String name,
            @JsonProperty("user_id") String userId,
            @JsonProperty("created_at") Instant createdAt,
            @Schema(description = "login, app_login or api") String type,
            Instant expiry) {
    }

    /** {@code GET /sessions}. */
    public record UserSessionList(List<UserSession> sessions) {
    }

    /** {@code POST /sessions}: create an API token. */
    public record CreateUserSession(
            @JsonProperty(value = "name", required = true) @Schema(example = "ci bot") String name,
            @JsonProperty(value = "type", required = true) @Schema(description = "Must be api", example = "api") String type,
            @JsonProperty(value = "expiry", required = true)
            @Schema(description = "Lifetime in seconds (1 to 3155760000, i.e. 100 years)", example = "86400") Long expiry) {

        public CreateUserSession {
            Sessions.require(name, "name", "a string");
            Sessions.require(type, "type", "\"api\"");
            Sessions.require(expiry, "expiry", "a lifetime in seconds");
        }
    }

    /** The answer of {@code POST /oauth2} and {@code POST /sessions}: the token, shown only this once. */
    public record CreateUserSessionResponse(
            @JsonProperty("user_id") String userId,
            @Schema(description = "The session token (128 characters): send it raw in the Authorization header") String token,
            @JsonProperty("session_id") UUID sessionId,
            @Schema(description = "When the token stops working (RFC 3339)") Instant expiry,
            @Schema(description = "The Discord user (POST /oauth2), or null (POST /sessions)") PartialUser user) {
    }

    /** The Discord user a login is for, as Discord's {@code GET /users/@me} returns it. */
    public record PartialUser(
            String id,
            String username,
            @Schema(example = "0") String discriminator,
            @JsonProperty("global_name") String globalName,
            @Schema(description = "Avatar hash, or null") String avatar,
            @Schema(description = "Whether the user is a bot") Boolean bot) {
    }

    /** {@code POST /oauth2}: a code from Discord's OAuth2 redirect. */
    public record AuthorizeRequest(
            @JsonProperty(value = "code", required = true) String code,
            @JsonProperty(value = "redirect_uri", required = true) @Schema(example = "https://antiraid.xyz/authorize") String redirectUri,
            @JsonProperty("code_verifier") @Schema(description = "PKCE verifier (app logins)") String codeVerifier) {

        public AuthorizeRequest {
            Sessions.require(code, "code", "the code from Discord's redirect");
            Sessions.require(redirectUri, "redirect_uri", "the redirect URI the code was issued for");
        }
    }

    /** {@code POST /oauth2/dev}: a login without Discord, only while api.loopback_root is on. */
    public record DevLoginRequest(
            @JsonProperty(value = "user_id", required = true) @Schema(example = "728871946456137770") String userId,
            @Schema(description = "login (default) or app_login") String type) {

        public DevLoginRequest {
            Sessions.require(userId, "user_id", "a Discord user id");
        }
    }

    /** A required field that is present but null is refused like a missing one. */
    static void require(Object value, String field, String expected) {
        if (value == null) {
            throw new IllegalArgumentException("'" + field + "' must be " + expected + ", not null");
        }
    }
}
