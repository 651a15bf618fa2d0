package io.templateworker.api.auth;

import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import java.net.InetAddress;

/**
 * Decides who calls a route, before its handler runs: returns the {@link Caller} or throws an
 * {@link ApiException} (401 no or bad token, 403 banned / not root / not allowed in the guild).
 */
public interface Authenticator {

    Caller authenticate(Context ctx, Access access);

    /**
     * Without sessions (tests, tools): requests from this machine act as root on every route, others are anonymous
     * and may call only {@link Access#PUBLIC} routes.
     */
    static Authenticator loopbackOnly() {
        return (ctx, access) -> {
            String ip = ctx.req().getRemoteAddr();
            if (isDirectLoopback(ctx)) {
                return new Caller(LoopbackIdentity.USER_ID, null, true, Caller.Kind.LOOPBACK_ROOT, ip);
            }
            if (access != Access.PUBLIC) {
                throw new ApiException(401, ApiErrorCode.NoAuthToken, "Whoa there! This endpoint requires authentication to use!");
            }
            return new Caller(null, null, false, Caller.Kind.ANONYMOUS, ip);
        };
    }

    /**
     * Whether the request comes straight from this machine: a loopback peer address and no proxy header. A reverse
     * proxy on the same host forwards remote clients from loopback, so {@code Forwarded}/{@code X-Forwarded-For}
     * disqualify a request.
     */
    static boolean isDirectLoopback(Context ctx) {
        if (ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null || ctx.header("X-Real-IP") != null) {
            return false;
        }
        String addr = ctx.req().getRemoteAddr();
        if (addr == null) {
            return false;
        }
        if (addr.equals("127.0.0.1") || addr.equals("0:0:0:0:0:0:0:1") || addr.equals("::1") || addr.equals("[::1]")) {
            return true;
        }
        // Only literal addresses reach here (no DNS lookup happens for an IP literal).
        try {
            return (addr.indexOf(':') >= 0 || Character.isDigit(addr.charAt(0)))
                    && InetAddress.getByName(addr.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The identity of loopback root callers. */
    final class LoopbackIdentity {
        /** Not a Discord id (snowflakes are never 0): events sent by a loopback root caller carry this author. */
        public static final String USER_ID = "0";

        private LoopbackIdentity() {
        }
    }
}
