package io.templateworker.discord.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Discord's gateway for the shards of {@link GatewayConfig#shardIds()}: asks {@code GET /gateway/bot} where to
 * connect and how many identifies may run at once ({@code max_concurrency}), then starts one {@link GatewayShard} per
 * shard, identifying bucket by bucket. Starting never blocks and never fails: while Discord cannot be reached the
 * gateway keeps retrying in the background (the service runs without events meanwhile).
 */
public final class DiscordGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_PAYLOAD = 256L * 1024 * 1024;

    /**
     * What {@code GET /gateway/bot} answers.
     *
     * @param url            the WebSocket URL to connect to
     * @param shards         Discord's recommended shard count
     * @param maxConcurrency identify buckets
     * @param remaining      identifies left in the current 24 h window
     * @param resetAfterMs   when that window resets
     */
    public record GatewayBot(String url, int shards, int maxConcurrency, int remaining, long resetAfterMs) {

        /** Asks Discord (or the mock, or a proxy) through the REST client. */
        public static GatewayBot fetch(DiscordRest rest) {
            String body = rest.execute(DiscordRequest.get("/gateway/bot")).body();
            try {
                JsonNode n = JSON.readTree(body);
                JsonNode limit = n.path("session_start_limit");
                return new GatewayBot(n.path("url").asText(), n.path("shards").asInt(1), limit.path("max_concurrency").asInt(1),
                        limit.path("remaining").asInt(1000), limit.path("reset_after").asLong(0));
            } catch (IOException e) {
                throw DiscordException.of(DiscordException.Kind.HTTP, "GET /gateway/bot answered invalid JSON: " + e.getMessage(), e);
            }
        }
    }

    /** A shard's figures for {@code /bot-stats}. */
    public record ShardStats(int id, ShardStatus status, long latencyMillis, int guilds, long uptimeMillis, long totalUptimeMillis,
                             String failure) {
    }

    /**
     * A shard's gateway session: what a process needs to resume it (a process-pool child replacing a crashed one hands
     * these over through the master, so the events Discord sent meanwhile are replayed instead of lost).
     */
    public record Session(int shard, String sessionId, String resumeUrl, long seq) {
    }

    private final GatewayConfig config;
    private final Supplier<GatewayBot> info;
    private final GatewayListener listener;
    private final WebSocketClient client;
    private final ScheduledExecutorService timer;
    private final IdentifyLimiter limiter;
    private final List<GatewayShard> shards = new ArrayList<>();
    private volatile String gatewayUrl;
    private volatile JsonNode currentUser;
    private volatile boolean closed;
    private Thread starter;

    /**
     * @param info     where to connect: usually {@code GatewayBot.fetch(rest)}; retried until it answers
     * @param listener receives dispatches and status changes
     */
    public DiscordGateway(GatewayConfig config, Supplier<GatewayBot> info, GatewayListener listener) {
        this.config = config;
        this.info = info;
        this.listener = listener;
        this.client = new WebSocketClient();
        client.setConnectTimeout(config.connectTimeout().toMillis());
        // Liveness is judged by heartbeats (Discord's interval is 41 s, past Jetty's idle default).
        client.setIdleTimeout(Duration.ofMinutes(5));
        // A large guild's GUILD_CREATE runs to megabytes.
        client.setMaxTextMessageSize(MAX_PAYLOAD);
        client.setMaxBinaryMessageSize(MAX_PAYLOAD);
        client.setStopAtShutdown(false);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-timer");
            t.setDaemon(true);
            return t;
        });
        this.limiter = new IdentifyLimiter(config.identifyWindow(), System::nanoTime);
        for (int id : config.shardIds()) {
            shards.add(new GatewayShard(id, this));
        }
    }

    /**
     * Before {@link #start()}: shards with a session here resume it (at its {@code resume_url}, from {@code seq}) instead
     * of identifying; if Discord refuses the resume they identify as usual. Sessions of other shards are ignored.
     * {@code user} is the bot user of the READY that began them (null if unknown).
     */
    public DiscordGateway resume(List<Session> sessions, JsonNode user) {
        if (user != null && user.isObject() && currentUser == null) {
            currentUser = user; // a resumed session gets no READY: the bot user comes with the sessions
        }
        for (Session session : sessions) {
            for (GatewayShard s : shards) {
                if (s.id() == session.shard() && session.sessionId() != null && session.resumeUrl() != null) {
                    s.resumeFrom(session.sessionId(), session.resumeUrl(), session.seq());
                }
            }
        }
        return this;
    }

    /** Each shard's current session (null id and url before its first READY). */
    public List<Session> sessions() {
        List<Session> out = new ArrayList<>();
        for (GatewayShard s : shards) {
            out.add(new Session(s.id(), s.sessionId(), s.resumeUrl(), s.seq()));
        }
        return out;
    }

    /** Starts reading in the background and returns at once. */
    public synchronized DiscordGateway start() {
        if (starter == null) {
            starter = Thread.ofVirtual().name("gateway-start").start(this::connectAll);
        }
        return this;
    }

    private void connectAll() {
        try {
            client.start();
        } catch (Exception e) {
            LOG.error("gateway: the WebSocket client did not start: {}", e.toString());
            return;
        }
        GatewayBot bot = null;
        long wait = 1;
        while (!closed && bot == null) {
            try {
                bot = info.get();
            } catch (RuntimeException e) {
                LOG.warn("gateway: cannot learn where to connect (GET /gateway/bot): {}; retrying in {} s", e.getMessage(), wait);
                if (!sleep(TimeUnit.SECONDS.toNanos(wait))) {
                    return;
                }
                wait = Math.min(30, wait * 2);
            }
        }
        if (closed) {
            return;
        }
        gatewayUrl = bot.url();
        limiter.maxConcurrency(bot.maxConcurrency());
        if (bot.shards() > config.shardCount()) {
            LOG.warn("gateway: Discord recommends {} shards for this bot, discord.shards is {}; raise it (to a multiple of the"
                    + " worker count) if Discord closes shards with 4011", bot.shards(), config.shardCount());
        }
        if (bot.remaining() <= 0) {
            LOG.warn("gateway: no session starts left today; waiting {} s for Discord's limit to reset", bot.resetAfterMs() / 1000);
            if (!sleep(TimeUnit.MILLISECONDS.toNanos(bot.resetAfterMs()))) {
                return;
            }
        }
        LOG.info("gateway: reading shards {} of {} from {} (intents {}, max_concurrency {})", config.shardIds(), config.shardCount(),
                bot.url(), config.intents(), bot.maxConcurrency());
        for (GatewayShard s : shards) {
            if (closed) {
                return;
            }
            s.start();
        }
    }

    private boolean sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The bot user from the latest READY, or null before the first. */
    public JsonNode currentUser() {
        return currentUser;
    }

    public GatewayConfig config() {
        return config;
    }

    /** Every shard of this process and where it is. */
    public List<ShardStats> stats() {
        List<ShardStats> out = new ArrayList<>();
        for (GatewayShard s : shards) {
            out.add(new ShardStats(s.id(), s.status(), s.latencyMillis(), s.guildCount(), s.uptimeMillis(), s.totalUptimeMillis(),
                    s.failure()));
        }
        return out;
    }

    /** The shard's status, or null when this process does not read it. */
    public ShardStatus status(int shardId) {
        for (GatewayShard s : shards) {
            if (s.id() == shardId) {
                return s.status();
            }
        }
        return null;
    }

    /** True once every shard of this process received READY (or RESUMED) and is connected. */
    public boolean allReady() {
        return shards.stream().allMatch(s -> s.status() == ShardStatus.READY);
    }

    /** The session of a shard (tests). */
    String sessionId(int shardId) {
        return shards.stream().filter(s -> s.id() == shardId).findFirst().map(GatewayShard::sessionId).orElse(null);
    }

    // ---- for the shards ----

    void ready(JsonNode user) {
        if (user != null && !user.isMissingNode()) {
            currentUser = user;
        }
    }

    String gatewayUrl() {
        return gatewayUrl;
    }

    WebSocketClient client() {
        return client;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    IdentifyLimiter identifyLimiter() {
        return limiter;
    }

    GatewayListener listener() {
        return listener;
    }

    /** Closes every connection (with 1000: the sessions end) and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        Thread s;
        synchronized (this) {
            s = starter;
        }
        if (s != null) {
            s.interrupt();
        }
        for (GatewayShard shard : shards) {
            shard.stop();
        }
        timer.shutdownNow();
        try {
            client.stop();
        } catch (Exception e) {
            LOG.debug("gateway: stopping the WebSocket client: {}", e.toString());
        }
    }

    /** Waits until every shard is READY (tests, benchmarks); false after {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allReady()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
