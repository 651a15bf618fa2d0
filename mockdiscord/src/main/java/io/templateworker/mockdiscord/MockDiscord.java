package io.templateworker.mockdiscord;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.gateway.MockGateway;
import io.templateworker.mockdiscord.http.MockServer;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockActions;
import io.templateworker.mockdiscord.state.MockEventListener;
import io.templateworker.mockdiscord.state.MockState;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mock Discord. {@link #start} binds a real HTTP server that serves Discord's REST API v10 at
 * {@link #apiBase()} ({@code http://host:port/api/v10}) and the admin routes at {@code /__mock/}.
 *
 * <pre>{@code
 * try (MockDiscord discord = MockDiscord.start(MockDiscord.Options.defaults())) {
 *     DemoGuild.seed(discord);
 *     // point a client at discord.apiBase() with "Bot " + discord.botToken()
 * }
 * }</pre>
 */
public final class MockDiscord implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MockDiscord.class);

    /** The bot token local mode and tests use unless they choose another. */
    public static final String DEFAULT_BOT_TOKEN = "mock-discord-bot-token";
    /** The bot's user id (and application id) unless chosen otherwise. */
    public static final long DEFAULT_BOT_ID = 1064135068928454800L;

    /**
     * How to run the mock.
     *
     * @param host           bind address
     * @param port           bind port; 0 picks a free one
     * @param botToken       the bot's token
     * @param botId          the bot's user id, also its application id
     * @param botName        the bot's username
     * @param clientId       OAuth2 client id the token route accepts, or null for any
     * @param clientSecret   OAuth2 client secret the token route accepts, or null for any
     * @param callbackWindow how long an interaction accepts its first response (Discord: 3 s)
     * @param clock          the mock's clock (tokens, timeouts, message timestamps and ids)
     */
    public record Options(String host, int port, String botToken, long botId, String botName, String clientId,
                          String clientSecret, Duration callbackWindow, InstantSource clock) {

        /** Loopback, any free port, the default bot, Discord's 3 s interaction window, the system clock. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, DEFAULT_BOT_TOKEN, DEFAULT_BOT_ID, "Template Worker", null, null,
                    Duration.ofSeconds(3), InstantSource.system());
        }

        public Options withAddress(String host, int port) {
            return new Options(host, port, botToken, botId, botName, clientId, clientSecret, callbackWindow, clock);
        }

        public Options withBotToken(String token) {
            return new Options(host, port, token, botId, botName, clientId, clientSecret, callbackWindow, clock);
        }

        public Options withOAuthClient(String id, String secret) {
            return new Options(host, port, botToken, botId, botName, id, secret, callbackWindow, clock);
        }

        public Options withCallbackWindow(Duration window) {
            return new Options(host, port, botToken, botId, botName, clientId, clientSecret, window, clock);
        }
    }

    private final Options options;
    private final MockState state;
    private final MockRateLimits rateLimits;
    private final MockActions actions;
    private final MockGateway gateway;
    private final MockServer server;
    /** The mock's own gateway endpoint, once the server listens. */
    private volatile String ownGatewayUrl;
    /** What {@code GET /gateway/bot} answers as the URL (the mock's own unless {@link #setGateway} chose another). */
    private volatile String gatewayUrl;

    private MockDiscord(Options options) {
        this.options = options;
        this.state = new MockState(options.clock(), options.botId(), options.botName());
        this.rateLimits = new MockRateLimits(System::nanoTime, options.clock()::millis);
        this.actions = new MockActions(state);
        this.gateway = new MockGateway(state, options.botToken(), () -> ownGatewayUrl);
        this.server = new MockServer(state, rateLimits, gateway, options.botToken(), options.clientId(), options.clientSecret(),
                options.callbackWindow(), this::gatewayInfo);
    }

    /** Starts a mock on {@code options}' address. */
    public static MockDiscord start(Options options) {
        MockDiscord d = new MockDiscord(options);
        d.server.start(options.host(), options.port());
        d.ownGatewayUrl = "ws://" + options.host() + ":" + d.port() + "/gateway";
        d.gatewayUrl = d.ownGatewayUrl;
        LOG.debug("mock Discord listening on {}", d.baseUrl());
        return d;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://host:port}: the admin routes live under {@code /__mock/}. */
    public String baseUrl() {
        return "http://" + options.host() + ":" + port();
    }

    /** {@code http://host:port/api/v10}: where a Discord REST client sends its requests. */
    public String apiBase() {
        return baseUrl() + "/api/v10";
    }

    public String botToken() {
        return options.botToken();
    }

    public long botId() {
        return options.botId();
    }

    /** The in-memory state; read and change it inside {@link #locked}. */
    public MockState state() {
        return state;
    }

    /** The Discord API requests the mock received, oldest first (also {@code GET /__mock/requests}). */
    public java.util.List<io.templateworker.mockdiscord.http.RequestLog.Entry> requests() {
        return server.requests().entries();
    }

    /** Forgets the requests received so far. */
    public void clearRequests() {
        server.requests().clear();
    }

    public MockRateLimits rateLimits() {
        return rateLimits;
    }

    /** Runs {@code work} with the state lock held and the people-side actions at hand. */
    public <T> T locked(Function<MockActions, T> work) {
        return state.locked(() -> work.apply(actions));
    }

    /** Subscribes to what happens (a gateway does); see {@link MockEventListener} for the rules. */
    public void addListener(MockEventListener listener) {
        state.addListener(listener);
    }

    /** The gateway side: WebSocket endpoint {@link #gatewayUrl()}, its settings and the admin operations tests use. */
    public MockGateway gateway() {
        return gateway;
    }

    /** {@code ws://host:port/gateway}: where a gateway client connects (what {@code GET /gateway/bot} answers). */
    public String gatewayUrl() {
        return gatewayUrl;
    }

    /** The shard count {@code GET /gateway/bot} recommends (the service sets it to its configured {@code discord.shards}). */
    public void setShards(int shardCount) {
        gateway.setShards(shardCount);
    }

    /** What {@code GET /gateway/bot} answers: another gateway's URL (a gateway proxy) and the shard count. */
    public void setGateway(String url, int shardCount) {
        this.gatewayUrl = url;
        gateway.setShards(shardCount);
    }

    private ObjectNode gatewayInfo() {
        ObjectNode o = Json.obj();
        o.put("url", gatewayUrl);
        o.put("shards", gateway.shards());
        o.set("session_start_limit", gateway.sessionStartLimit());
        return o;
    }

    @Override
    public void close() {
        gateway.close();
        server.stop();
    }
}
