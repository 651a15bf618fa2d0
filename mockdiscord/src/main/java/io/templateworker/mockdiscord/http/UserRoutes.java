package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockMember;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockUser;
import io.templateworker.mockdiscord.state.Permissions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

/** Users, OAuth2 and the gateway lookup: {@code /users/…}, {@code /oauth2/…}, {@code /gateway…}. */
final class UserRoutes {

    /** Access tokens live a week, as Discord's. */
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofDays(7);

    private final String clientId;
    private final String clientSecret;
    private final Supplier<ObjectNode> gateway;

    /**
     * @param clientId     the OAuth2 client id the token route accepts, or null for any
     * @param clientSecret the OAuth2 client secret the token route accepts, or null for any
     * @param gateway      what {@code GET /gateway/bot} answers
     */
    UserRoutes(String clientId, String clientSecret, Supplier<ObjectNode> gateway) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.gateway = gateway;
    }

    void register(Api api) {
        api.get("/users/@me", "users.me", Auth.BOT_OR_BEARER, c -> c.caller.toJson());
        api.get("/users/@me/guilds", "users.me.guilds", Auth.BOT_OR_BEARER, this::myGuilds);
        api.get("/users/@me/guilds/{guild_id}/member", "users.me.guilds.member", Auth.BOT_OR_BEARER, c -> {
            if (!c.bearer || !c.scope.contains("guilds.members.read")) {
                throw DiscordError.missingAccess();
            }
            MockGuild g = c.state.guild(c.id("guild_id"));
            return c.state.member(g, c.caller.id).toJson();
        });
        api.get("/users/{user_id}", "users.get", Auth.BOT, c -> c.state.user(c.id("user_id")).toJson());
        api.get("/oauth2/@me", "oauth2.me", Auth.BOT_OR_BEARER, this::authorizationInfo);
        api.post("/oauth2/token", "oauth2.token", Auth.NONE, this::token);
        api.get("/gateway", "gateway", Auth.NONE, c -> {
            ObjectNode o = Json.obj();
            o.put("url", gateway.get().path("url").asText());
            return o;
        });
        api.get("/gateway/bot", "gateway.bot", Auth.BOT, c -> gateway.get());
        api.get("/applications/@me", "applications.me", Auth.BOT, c -> {
            ObjectNode o = Json.obj();
            o.put("id", Json.id(c.state.applicationId));
            o.put("name", c.state.bot.username);
            o.put("description", "");
            o.put("bot_public", true);
            o.put("bot_require_code_grant", false);
            o.set("bot", c.state.bot.toJson());
            o.put("flags", 0);
            return o;
        });
    }

    /** The caller's guilds as partial guilds with the caller's permissions in each. */
    private ArrayNode myGuilds(Call c) {
        if (c.bearer && !c.scope.contains("guilds")) {
            throw DiscordError.missingAccess();
        }
        long before = c.queryId("before");
        long after = c.queryId("after");
        int limit = c.queryInt("limit", 200, 1, 200);
        boolean withCounts = c.queryBool("with_counts");
        ArrayNode out = Json.arr();
        for (MockGuild g : c.state.guilds.values()) {
            MockMember m = g.members.get(c.caller.id);
            if (m == null || (before != 0 && Long.compareUnsigned(g.id, before) >= 0)
                    || (after != 0 && Long.compareUnsigned(g.id, after) <= 0)) {
                continue;
            }
            if (out.size() >= limit) {
                break;
            }
            ObjectNode o = out.addObject();
            o.put("id", Json.id(g.id));
            o.put("name", g.name);
            o.put("icon", g.icon);
            o.putNull("banner");
            o.put("owner", g.ownerId == c.caller.id);
            o.put("permissions", Long.toString(Permissions.base(g, m, c.state.now())));
            ArrayNode fs = o.putArray("features");
            g.features.forEach(fs::add);
            if (withCounts) {
                o.put("approximate_member_count", g.members.size());
                o.put("approximate_presence_count", 0);
            }
        }
        return out;
    }

    private ObjectNode authorizationInfo(Call c) {
        ObjectNode o = Json.obj();
        ObjectNode app = o.putObject("application");
        app.put("id", Json.id(c.state.applicationId));
        app.put("name", c.state.bot.username);
        ArrayNode scopes = o.putArray("scopes");
        if (c.scope != null) {
            for (String s : c.scope.split(" ")) {
                scopes.add(s);
            }
        }
        o.put("expires", Json.time(c.state.now().plus(ACCESS_TOKEN_LIFETIME)));
        if (c.bearer) {
            o.set("user", c.caller.toJson());
        }
        return o;
    }

    /**
     * {@code POST /oauth2/token}: exchanges an authorization code (from {@code POST /__mock/oauth2/codes}) or a refresh
     * token for an access token. Errors use OAuth2's shape ({@code error}, {@code error_description}), as Discord's.
     */
    private ObjectNode token(Call c) {
        String id = c.ctx.formParam("client_id");
        String secret = c.ctx.formParam("client_secret");
        String basic = c.ctx.header("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                id = decoded.substring(0, colon);
                secret = decoded.substring(colon + 1);
            }
        }
        if ((clientId != null && !clientId.equals(id)) || (clientSecret != null && !clientSecret.equals(secret))) {
            throw oauthError(401, "invalid_client", null);
        }
        String grantType = c.ctx.formParam("grant_type");
        MockState s = c.state;
        MockState.OAuthGrant grant;
        if ("authorization_code".equals(grantType)) {
            String code = c.ctx.formParam("code");
            grant = code == null ? null : s.oauthCodes.remove(code);
            if (grant == null || grant.expiresAt().isBefore(s.now())) {
                throw oauthError(400, "invalid_grant", "Invalid \"code\" in request.");
            }
            String redirect = c.ctx.formParam("redirect_uri");
            if (grant.redirectUri() != null && !grant.redirectUri().equals(redirect)) {
                throw oauthError(400, "invalid_grant", "Invalid \"redirect_uri\" in request.");
            }
        } else if ("refresh_token".equals(grantType)) {
            String refresh = c.ctx.formParam("refresh_token");
            grant = refresh == null ? null : s.refreshTokens.remove(refresh);
            if (grant == null) {
                throw oauthError(400, "invalid_grant", null);
            }
        } else {
            throw oauthError(400, "unsupported_grant_type", null);
        }
        Instant expires = s.now().plus(ACCESS_TOKEN_LIFETIME);
        MockState.OAuthGrant issued = new MockState.OAuthGrant(grant.userId(), grant.scope(), null, expires);
        String access = s.newToken(15);
        String refresh = s.newToken(15);
        s.accessTokens.put(access, issued);
        s.refreshTokens.put(refresh, issued);
        ObjectNode o = Json.obj();
        o.put("token_type", "Bearer");
        o.put("access_token", access);
        o.put("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
        o.put("refresh_token", refresh);
        o.put("scope", grant.scope());
        return o;
    }

    private static OAuthError oauthError(int status, String error, String description) {
        return new OAuthError(status, error, description);
    }

    /** OAuth2's error body ({@code {"error": …, "error_description": …}}), which Discord uses on the token route. */
    static final class OAuthError extends RuntimeException {
        final int status;
        final ObjectNode body = Json.obj();

        OAuthError(int status, String error, String description) {
            super(error, null, false, false);
            this.status = status;
            body.put("error", error);
            if (description != null) {
                body.put("error_description", description);
            }
        }
    }

    /** Creates an authorization code for a user, as Discord's consent screen would (admin route). */
    static String issueCode(MockState s, MockUser user, String scope, String redirectUri) {
        String code = s.newToken(15);
        s.oauthCodes.put(code, new MockState.OAuthGrant(user.id, scope, redirectUri, s.now().plusSeconds(600)));
        return code;
    }
}
