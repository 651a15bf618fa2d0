package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockUser;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers Discord routes under {@code /api/v10}. Each request is authenticated, checked against the rate limits,
 * run under the state lock, and answered with Discord's JSON and headers; {@link DiscordError}s become Discord's
 * error bodies.
 */
public final class Api {

    /** Discord's API prefix. */
    public static final String PREFIX = "/api/v10";
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    /** Who may call a route. */
    public enum Auth {
        /** {@code Authorization: Bot <token>} only. */
        BOT,
        /** The bot, or an OAuth2 user with {@code Authorization: Bearer <token>}. */
        BOT_OR_BEARER,
        /** No authorization: the path carries a webhook or interaction token. */
        NONE
    }

    /** A route's work, run under the state lock. Returns the JSON body, or null for 204. */
    @FunctionalInterface
    public interface Handler {
        JsonNode handle(Call call);
    }

    private final JavalinConfig config;
    private final MockState state;
    private final MockRateLimits limits;
    private final String botToken;
    private final Faults faults;
    private final RequestLog log;

    Api(JavalinConfig config, MockState state, MockRateLimits limits, Faults faults, RequestLog log, String botToken) {
        this.config = config;
        this.state = state;
        this.limits = limits;
        this.faults = faults;
        this.log = log;
        this.botToken = botToken;
    }

    public MockState state() {
        return state;
    }

    public void get(String path, String bucket, Auth auth, Handler h) {
        route(HandlerType.GET, path, bucket, auth, h);
    }

    public void post(String path, String bucket, Auth auth, Handler h) {
        route(HandlerType.POST, path, bucket, auth, h);
    }

    public void put(String path, String bucket, Auth auth, Handler h) {
        route(HandlerType.PUT, path, bucket, auth, h);
    }

    public void patch(String path, String bucket, Auth auth, Handler h) {
        route(HandlerType.PATCH, path, bucket, auth, h);
    }

    public void delete(String path, String bucket, Auth auth, Handler h) {
        route(HandlerType.DELETE, path, bucket, auth, h);
    }

    /**
     * Declares a route. Routes with literal segments ({@code @me}, {@code @original}) must be declared before routes
     * that would match them with a parameter.
     *
     * @param bucket the rate-limit bucket; routes naming the same bucket share it
     */
    public void route(HandlerType method, String path, String bucket, Auth auth, Handler h) {
        limits.registerRoute(method.name(), path, bucket);
        boolean globalExempt = path.startsWith("/interactions/") || path.startsWith("/webhooks/{webhook_id}/{webhook_token}")
                || path.startsWith("/webhooks/{application_id}/{interaction_token}");
        config.routes.addHttpHandler(method, PREFIX + path, ctx -> {
            serve(ctx, method, path, bucket, auth, globalExempt, h);
            log.add(new RequestLog.Entry(method.name(), path, ctx.path().substring(PREFIX.length()), ctx.statusCode()));
        });
    }

    private void serve(Context ctx, HandlerType method, String path, String bucket, Auth auth, boolean globalExempt,
                       Handler handler) {
        try {
            Call call = authenticate(ctx, auth);
            int fault = faults.take(method.name(), path);
            if (fault != 0) {
                ctx.status(fault).json(Map.of("message", fault + ": " + io.javalin.http.HttpStatus.forStatus(fault).getMessage(), "code", 0));
                return;
            }
            MockRateLimits.Decision d = limits.check(method.name(), path, bucket, major(ctx),
                    String.valueOf(ctx.header("Authorization")), globalExempt);
            for (Map.Entry<String, String> e : d.headers().entrySet()) {
                ctx.header(e.getKey(), e.getValue());
            }
            if (d.limited()) {
                var body = Json.obj();
                body.put("message", d.scope().equals("shared") ? "The resource is being rate limited." : "You are being rate limited.");
                body.put("retry_after", d.retryAfterSeconds());
                body.put("global", d.scope().equals("global"));
                ctx.status(429).json(body);
                return;
            }
            JsonNode result = state.locked(() -> handler.handle(call));
            if (result == null) {
                ctx.status(call.status == 0 ? 204 : call.status);
            } else {
                ctx.status(call.status == 0 ? 200 : call.status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(result));
            }
        } catch (DiscordError e) {
            ctx.status(e.status()).json(e.body());
        } catch (UserRoutes.OAuthError e) {
            ctx.status(e.status).json(e.body);
        } catch (Exception e) {
            LOG.error("mock Discord: {} {} failed", method, ctx.path(), e);
            ctx.status(500).json(Map.of("message", "500: Internal Server Error", "code", 0));
        }
    }

    private Call authenticate(Context ctx, Auth auth) {
        if (auth == Auth.NONE) {
            return new Call(ctx, state, null, false, null);
        }
        String header = ctx.header("Authorization");
        if (header != null && header.startsWith("Bot ") && header.substring(4).equals(botToken)) {
            return new Call(ctx, state, state.bot, false, null);
        }
        if (header != null && header.startsWith("Bearer ") && auth == Auth.BOT_OR_BEARER) {
            MockState.OAuthGrant grant = state.locked(() -> state.accessTokens.get(header.substring(7)));
            if (grant != null && grant.expiresAt().isAfter(state.now())) {
                MockUser user = state.locked(() -> state.users.get(grant.userId()));
                if (user != null) {
                    return new Call(ctx, state, user, true, grant.scope());
                }
            }
        }
        throw DiscordError.unauthorized();
    }

    /** The top-level resource Discord counts a bucket per: channel, guild, webhook (+ token) or interaction. */
    private static String major(Context ctx) {
        Map<String, String> p = ctx.pathParamMap();
        if (p.containsKey("channel_id")) {
            return "c" + p.get("channel_id");
        }
        if (p.containsKey("guild_id")) {
            return "g" + p.get("guild_id");
        }
        if (p.containsKey("webhook_id")) {
            return "w" + p.get("webhook_id") + "/" + p.getOrDefault("webhook_token", "");
        }
        if (p.containsKey("interaction_token")) {
            return "i" + p.get("interaction_token");
        }
        if (p.containsKey("interaction_id")) {
            return "i" + p.get("interaction_id");
        }
        return "";
    }
}
