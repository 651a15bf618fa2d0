package io.templateworker.api.auth;

import io.javalin.http.Context;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.runtime.account.Session;

/**
 * The authenticated caller of a request.
 *
 * @param userId  the Discord user id, or null for an anonymous caller
 * @param session the session the token belongs to, or null (anonymous, loopback root)
 * @param root    whether the caller has root access ({@code discord_auth.root_users} or {@code api.loopback_root})
 * @param kind    how the caller was recognised
 * @param ip      the client address (the rate-limit key of anonymous callers)
 */
public record Caller(String userId, Session session, boolean root, Kind kind, String ip) {

    /** How the caller was recognised. */
    public enum Kind {
        /** No token (public routes only). */
        ANONYMOUS,
        /** A valid session token. */
        SESSION,
        /** A request from this machine without a token while {@code api.loopback_root} is on. */
        LOOPBACK_ROOT
    }

    static final String ATTRIBUTE = "tw.caller";

    /** The caller of the request; set by the server before the handler runs. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no caller on this request: the route was not mounted by ApiServer");
        }
        return caller;
    }

    /** The session of the request; 401 for callers without one (loopback root callers have none). */
    public Session requireSession() {
        if (session == null) {
            throw new ApiException(401, ApiErrorCode.NoAuthToken, kind == Kind.LOOPBACK_ROOT
                    ? "this route works on a session, and loopback root callers have none: send a session token"
                    + " (POST /oauth2/dev creates one while api.loopback_root is on)"
                    : "Whoa there! This endpoint requires authentication to use!");
        }
        return session;
    }

    /** The caller's user id; 401 for anonymous callers. */
    public String requireUser() {
        if (userId == null) {
            throw new ApiException(401, ApiErrorCode.NoAuthToken, "Whoa there! This endpoint requires authentication to use!");
        }
        return userId;
    }

    /** Set by the server once the caller is known. */
    public void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }
}
