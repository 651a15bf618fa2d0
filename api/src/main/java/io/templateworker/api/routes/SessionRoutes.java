package io.templateworker.api.routes;

import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.auth.SessionAuthenticator;
import io.templateworker.api.auth.Tokens;
import io.templateworker.api.dto.Sessions.AuthorizedSession;
import io.templateworker.api.dto.Sessions.CreateUserSession;
import io.templateworker.api.dto.Sessions.CreateUserSessionResponse;
import io.templateworker.api.dto.Sessions.UserSession;
import io.templateworker.api.dto.Sessions.UserSessionList;
import io.templateworker.api.json.JsonBody;
import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.account.Session;
import io.templateworker.runtime.account.SessionType;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /sessions/@me}, {@code GET /sessions}, {@code POST /sessions} (API tokens) and
 * {@code DELETE /sessions/{session_id}} (UPSTREAM.md §4.5 (d)). Unlike upstream, a malformed session id is 400 and
 * an unknown one 404 (upstream answered 500 for both).
 */
public final class SessionRoutes implements RouteGroup {

    /** Longest lifetime of an API token: 100 years (PostgreSQL's timestamps end in year 294276; upstream failed there). */
    public static final long MAX_EXPIRY_SECONDS = 100L * 365 * 24 * 3600 + 25L * 24 * 3600;
    /** Longest session label. */
    static final int MAX_NAME = 200;

    private final AccountStore accounts;
    private final SessionAuthenticator authenticator;
    private final InstantSource clock;

    /** @param authenticator evicted from when a session is deleted, so its token stops working at once (nullable) */
    public SessionRoutes(AccountStore accounts, SessionAuthenticator authenticator, InstantSource clock) {
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    @Override
    public String tag() {
        return "Sessions";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/sessions/@me").summary("The session of the request's token").access(Access.USER)
                .response(AuthorizedSession.class).handle(this::me);
        routes.get("/sessions").summary("The caller's sessions (tokens are never returned)").access(Access.USER)
                .response(UserSessionList.class).handle(this::list);
        routes.post("/sessions").summary("Create an API token for the caller")
                .description("`type` must be `api` (403 Restricted otherwise); `expiry` is the lifetime in seconds,"
                        + " from 1 to " + MAX_EXPIRY_SECONDS + " (400 InvalidToken otherwise). The token is in the answer"
                        + " and never shown again.")
                .access(Access.USER).request(CreateUserSession.class).response(CreateUserSessionResponse.class)
                .error(403, "type is not api (Restricted)")
                .handle(this::create);
        routes.delete("/sessions/{session_id}").summary("Delete one of the caller's sessions (log out, revoke a token)")
                .access(Access.USER).error(400, "session_id is not a UUID")
                .error(404, "the caller has no session with this id").handle(this::delete);
    }

    private void me(Context ctx) {
        Caller caller = Caller.of(ctx);
        Session s = caller.requireSession();
        ctx.json(new AuthorizedSession(s.userId(), s.id(), "normal", s.type().wireName()));
    }

    private void list(Context ctx) {
        Session s = Caller.of(ctx).requireSession();
        List<UserSession> out = new ArrayList<>();
        for (Session each : accounts.listSessions(s.userId(), clock.instant())) {
            out.add(view(each));
        }
        ctx.json(new UserSessionList(out));
    }

    private void create(Context ctx) {
        Session caller = Caller.of(ctx).requireSession();
        CreateUserSession body = JsonBody.read(ctx, CreateUserSession.class);
        if (body.name() == null) {
            throw ApiException.badRequest("request body at $: missing required field 'name'");
        }
        if (body.name().length() > MAX_NAME) {
            throw ApiException.badRequest("request body at $.name: at most " + MAX_NAME + " characters, got " + body.name().length());
        }
        if (SessionType.parse(body.type()) != SessionType.API) {
            throw ApiException.forbidden("only sessions of type 'api' can be created here (got '" + body.type()
                    + "'); login sessions come from POST /oauth2");
        }
        long seconds = body.expiry() == null ? 0 : body.expiry();
        if (seconds <= 0 || seconds > MAX_EXPIRY_SECONDS) {
            throw new ApiException(400, ApiErrorCode.InvalidToken, "expiry must be a lifetime in seconds from 1 to "
                    + MAX_EXPIRY_SECONDS + " (100 years), got " + seconds);
        }
        String token = Tokens.generate();
        Instant expiry = clock.instant().plusSeconds(seconds);
        Session created = accounts.createSession(caller.userId(), Tokens.hash(token), SessionType.API, body.name(), expiry);
        ctx.json(new CreateUserSessionResponse(caller.userId(), token, created.id(), created.expiry(), null));
    }

    private void delete(Context ctx) {
        Session caller = Caller.of(ctx).requireSession();
        String raw = ctx.pathParam("session_id");
        UUID id;
        try {
            id = UUID.fromString(raw);
            if (!id.toString().equalsIgnoreCase(raw)) {
                throw new IllegalArgumentException("not canonical");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("path parameter session_id must be a session id (a UUID such as"
                    + " 3f2504e0-4f89-11d3-9a0c-0305e82c3301), got '" + (raw.length() > 60 ? raw.substring(0, 60) + "…" : raw) + "'");
        }
        if (!accounts.deleteSession(caller.userId(), id)) {
            throw ApiException.notFound("you have no session with id " + id);
        }
        if (authenticator != null) {
            authenticator.evict(id);
        }
        ctx.contentType("application/json").result("null");
    }

    static UserSession view(Session s) {
        return new UserSession(s.id(), s.name(), s.userId(), s.createdAt(), s.type().wireName(), s.expiry());
    }
}
