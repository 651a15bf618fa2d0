package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.templateworker.mockdiscord.gateway.MockGateway;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.MockState;
import java.time.Duration;
import java.util.function.Supplier;

/** The Javalin server with every Discord route and the admin routes. */
public final class MockServer {

    private final Javalin app;
    private final RequestLog requests = new RequestLog();

    /**
     * @param gatewaySocket  the gateway served at {@code /gateway} (WebSocket) and its admin routes
     * @param botToken       the token the bot authenticates with ({@code Authorization: Bot <token>})
     * @param clientId       OAuth2 client id accepted by the token route, or null for any
     * @param clientSecret   OAuth2 client secret accepted by the token route, or null for any
     * @param callbackWindow how long an interaction accepts its first response
     * @param gateway        what {@code GET /gateway/bot} answers
     */
    public MockServer(MockState state, MockRateLimits limits, MockGateway gatewaySocket, String botToken, String clientId,
                      String clientSecret, Duration callbackWindow, Supplier<ObjectNode> gateway) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            Faults faults = new Faults();
            Api api = new Api(config, state, limits, faults, requests, botToken);
            new UserRoutes(clientId, clientSecret, gateway).register(api);
            GuildRoutes.register(api);
            MemberRoutes.register(api);
            RoleRoutes.register(api);
            ChannelRoutes.register(api); // before MessageRoutes: /messages/pins must win over /messages/{message_id}
            MessageRoutes.register(api);
            new WebhookRoutes(callbackWindow).register(api);
            CommandRoutes.register(api);
            AdminRoutes admin = new AdminRoutes(state, limits, faults, requests);
            admin.register(config);
            new GatewayAdminRoutes(admin, gatewaySocket).register(config);
            // The gateway judges liveness by heartbeats (Discord's interval is 41 s, past Jetty's idle default).
            config.jetty.modifyWebSocketServletFactory(factory -> factory.setIdleTimeout(Duration.ofMinutes(10)));
            config.routes.ws("/gateway", gatewaySocket::configure);
            config.routes.error(404, ctx -> {
                if (ctx.endpoints().matchedHttpEndpoint() == null) {
                    if (ctx.path().startsWith(Api.PREFIX + "/")) {
                        requests.add(new RequestLog.Entry(ctx.method().name(), null, ctx.path().substring(Api.PREFIX.length()), 404));
                    }
                    ctx.json(DiscordError.notFound().body());
                }
            });
        });
    }

    /** The Discord API requests received so far ({@code GET /__mock/requests}). */
    public RequestLog requests() {
        return requests;
    }

    public void start(String host, int port) {
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
