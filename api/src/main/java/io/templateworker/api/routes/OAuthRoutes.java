package io.templateworker.api.routes;

import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.auth.Tokens;
import io.templateworker.api.discord.DiscordOAuth;
import io.templateworker.api.discord.DiscordOAuth.DiscordOAuthException;
import io.templateworker.api.discord.DiscordOAuth.TokenResponse;
import io.templateworker.api.dto.Sessions.AuthorizeRequest;
import io.templateworker.api.dto.Sessions.CreateUserSessionResponse;
import io.templateworker.api.dto.Sessions.DevLoginRequest;
import io.templateworker.api.dto.Sessions.PartialUser;
import io.templateworker.api.json.JsonBody;
import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.account.Session;
import io.templateworker.runtime.account.SessionType;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /oauth2}: Discord OAuth2 login (UPSTREAM.md §4.4), step for step, except that a code Discord refuses is
 * 400 InvalidToken and an unreachable Discord 502 (upstream: 500 for both), and that the code-reuse guard is kept in
 * the database, shared by every instance. {@code POST /oauth2/dev} logs in as any user without Discord; it exists
 * only while {@code api.loopback_root} is on and only for callers on this machine.
 */
public final class OAuthRoutes implements RouteGroup {

    /** The app's redirect; with a PKCE verifier it makes a 14-day {@code app_login} session. */
    public static final String APP_REDIRECT = "antiraid://oauth-callback";
    /** A code seen within this window is refused (upstream: a per-process 10-minute cache). */
    public static final Duration CODE_REUSE_WINDOW = Duration.ofMinutes(10);

    private final AccountStore accounts;
    private final DiscordOAuth discord;
    private final Set<String> allowedRedirects;
    private final boolean devLogin;
    private final InstantSource clock;

    /**
     * @param discord          Discord's OAuth2 endpoints, or null when OAuth2 is not configured (then 503)
     * @param allowedRedirects {@code discord_auth.allowed_redirects}
     * @param devLogin         mount {@code POST /oauth2/dev} ({@code api.loopback_root})
     */
    public OAuthRoutes(AccountStore accounts, DiscordOAuth discord, List<String> allowedRedirects, boolean devLogin,
                       InstantSource clock) {
        this.accounts = accounts;
        this.discord = discord;
        this.allowedRedirects = Set.copyOf(allowedRedirects);
        this.devLogin = devLogin;
        this.clock = clock;
    }

    @Override
    public String tag() {
        return "Sessions";
    }

    @Override
    public void register(Routes routes) {
        routes.post("/oauth2").summary("Log in with a Discord OAuth2 code; returns a session token")
                .description("`redirect_uri` must be in discord_auth.allowed_redirects (403 Restricted). The code must be"
                        + " at least 3 characters and not used in the last 10 minutes (400 InvalidToken). The session is"
                        + " `app_login` (14 days) for redirect `" + APP_REDIRECT + "` with a `code_verifier`, else `login`"
                        + " (1 hour). The granted scopes must include `identify` and `guilds` (403 InvalidToken).")
                .request(AuthorizeRequest.class).response(CreateUserSessionResponse.class)
                .error(400, "the code is too short, was already used, or Discord refused it (InvalidToken)")
                .error(403, "redirect_uri is not allowed (Restricted), or the scopes lack identify/guilds (InvalidToken)")
                .error(502, "Discord could not be reached or answered unexpectedly")
                .error(503, "OAuth2 is not configured (meta.proxy, discord_auth.client_id)")
                .handle(this::login);
        if (devLogin) {
            routes.post("/oauth2/dev").summary("Development login without Discord (only while api.loopback_root is on)")
                    .description("Creates a session for any user id, as if that user had logged in through Discord."
                            + " Only callers on this machine without a token may use it; the route does not exist when"
                            + " api.loopback_root is off (production).")
                    .access(Access.ROOT).request(DevLoginRequest.class).response(CreateUserSessionResponse.class)
                    .error(403, "the caller is not a loopback root caller")
                    .handle(this::devLogin);
        }
    }

    private void login(Context ctx) {
        AuthorizeRequest body = JsonBody.read(ctx, AuthorizeRequest.class);
        if (!allowedRedirects.contains(body.redirectUri())) {
            throw ApiException.forbidden("redirect_uri '" + shorten(body.redirectUri()) + "' is not allowed: it must be one of"
                    + " discord_auth.allowed_redirects");
        }
        if (body.code().length() < 3) {
            throw new ApiException(400, ApiErrorCode.InvalidToken, "code must be at least 3 characters: send the code from"
                    + " Discord's redirect");
        }
        if (discord == null) {
            throw ApiException.unavailable("OAuth2 login is not configured on this server: set meta.proxy (Discord's API)"
                    + " and discord_auth.client_id / client_secret");
        }
        if (!accounts.recordOAuthCode(Tokens.hash(body.code()), clock.instant(), CODE_REUSE_WINDOW)) {
            throw new ApiException(400, ApiErrorCode.InvalidToken, "this code was already used in the last 10 minutes;"
                    + " log in again to get a new one");
        }
        SessionType type = APP_REDIRECT.equals(body.redirectUri()) && body.codeVerifier() != null
                ? SessionType.APP_LOGIN : SessionType.LOGIN;
        TokenResponse token;
        PartialUser user;
        try {
            token = discord.exchangeCode(body.code(), body.redirectUri(), body.codeVerifier());
            List<String> scopes = token.scopes();
            if (!scopes.contains("identify") || !scopes.contains("guilds")) {
                throw new ApiException(403, ApiErrorCode.InvalidToken, "the login must grant the scopes identify and guilds;"
                        + " granted: " + (scopes.isEmpty() ? "none" : String.join(" ", scopes)));
            }
            user = discord.currentUser(token.accessToken());
        } catch (DiscordOAuthException e) {
            if (e.refused()) {
                throw new ApiException(400, ApiErrorCode.InvalidToken, "Discord refused the code: " + e.getMessage()
                        + "; log in again to get a new code");
            }
            throw new ApiException(e.status() == 503 ? 503 : 502, ApiErrorCode.UpstreamError, e.getMessage());
        }
        if (!Snowflakes.isValid(user.id())) {
            throw new ApiException(502, ApiErrorCode.UpstreamError, "Discord returned a user without a valid id");
        }
        Instant tokenExpiry = token.expiresIn() == null ? null : clock.instant().plusSeconds(token.expiresIn());
        accounts.saveDiscordTokens(user.id(), token.accessToken(), token.refreshToken(), tokenExpiry);
        ctx.json(createSession(user.id(), type, user));
    }

    private void devLogin(Context ctx) {
        if (Caller.of(ctx).kind() != Caller.Kind.LOOPBACK_ROOT) {
            throw ApiException.forbidden("the development login is only for callers on this machine without a token");
        }
        DevLoginRequest body = JsonBody.read(ctx, DevLoginRequest.class);
        Snowflakes.parse(body.userId(), "user_id");
        SessionType type = body.type() == null ? SessionType.LOGIN : SessionType.parse(body.type());
        if (type == null || type == SessionType.API) {
            throw ApiException.badRequest("type must be login or app_login (API tokens come from POST /sessions), got '"
                    + shorten(body.type()) + "'");
        }
        accounts.ensureUser(body.userId());
        ctx.json(createSession(body.userId(), type, null));
    }

    private CreateUserSessionResponse createSession(String userId, SessionType type, PartialUser user) {
        String token = Tokens.generate();
        Session session = accounts.createSession(userId, Tokens.hash(token), type, null, clock.instant().plus(type.lifetime()));
        return new CreateUserSessionResponse(userId, token, session.id(), session.expiry(), user);
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
