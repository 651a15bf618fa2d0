package io.templateworker.discord.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's gateway session and its connections. A connection gets Hello, starts heartbeating (the first beat after a
 * random part of the interval), then identifies — or resumes when a session exists, at {@code resume_gateway_url} with
 * the last sequence number seen, so Discord replays what was missed. A heartbeat not acknowledged before the next one
 * is due means a zombie connection: it is dropped and the session resumed. Lost connections reconnect at once, then
 * with growing backoff; close codes that retrying cannot fix stop the shard with an error saying what to change.
 *
 * <p>Dispatches are delivered in sequence order, each once: a replayed dispatch already seen is skipped.
 */
final class GatewayShard {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayShard.class);
    // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());
    /** Not 1000/1001, which would end the session on Discord's side. */
    private static final int KEEP_SESSION = 4900;

    private final int id;
    private final DiscordGateway gateway;
    private final Object lock = new Object();

    // Session state: written by the current connection's receiving thread or under lock between connections.
    private volatile String sessionId;
    private volatile String resumeUrl;
    private volatile long seq;
    /** Guilds of this shard (READY, GUILD_CREATE, GUILD_DELETE), for statistics. */
    private final Set<Long> guilds = new HashSet<>();
    private volatile int guildCount;

    private Connection current;
    private int failures;
    private int generation;
    private boolean stopped;
    private volatile ShardStatus status = ShardStatus.IDLE;
    private volatile long readySinceNanos;
    private volatile long firstReadyNanos;
    private volatile long latencyNanos = -1;
    private volatile String failure;

    GatewayShard(int id, DiscordGateway gateway) {
        this.id = id;
        this.gateway = gateway;
    }

    int id() {
        return id;
    }

    ShardStatus status() {
        return status;
    }

    /** Why the shard stopped for good, or null. */
    String failure() {
        return failure;
    }

    String sessionId() {
        return sessionId;
    }

    long seq() {
        return seq;
    }

    String resumeUrl() {
        return resumeUrl;
    }

    /** Before {@link #start()}: resume this session instead of identifying (another process's, handed over). */
    void resumeFrom(String sessionId, String resumeUrl, long seq) {
        synchronized (lock) {
            if (current == null && generation == 0) {
                this.sessionId = sessionId;
                this.resumeUrl = resumeUrl;
                this.seq = seq;
            }
        }
    }

    int guildCount() {
        return guildCount;
    }

    /** Round trip of the last acknowledged heartbeat, or -1 before the first. */
    long latencyMillis() {
        long l = latencyNanos;
        return l < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(l);
    }

    long uptimeMillis() {
        return status == ShardStatus.READY ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readySinceNanos) : 0;
    }

    long totalUptimeMillis() {
        return firstReadyNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstReadyNanos);
    }

    void start() {
        scheduleConnect(0);
    }

    /** Ends the connection with 1000 (the session ends too) and stops reconnecting. */
    void stop() {
        Connection c;
        synchronized (lock) {
            stopped = true;
            c = current;
            current = null;
        }
        setStatus(ShardStatus.CLOSED);
        if (c != null) {
            c.retire(1000, "shutting down", false);
        }
    }

    // ---- connecting ----

    private void scheduleConnect(long delayNanos) {
        Runnable task = () -> Thread.ofVirtual().name("gateway-shard-" + id + "-connect").start(this::connect);
        if (delayNanos <= 0) {
            task.run();
        } else {
            gateway.timer().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void connect() {
        boolean resume = sessionId != null && resumeUrl != null;
        Connection c;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            c = new Connection(++generation, resume);
            current = c;
        }
        setStatus(ShardStatus.CONNECTING);
        URI uri = uri(resume ? resumeUrl : gateway.gatewayUrl());
        try {
            gateway.client().connect(new GatewaySocket(c), uri).whenComplete((session, error) -> {
                if (error != null) {
                    lost(c, -1, "could not connect to " + uri + ": " + rootMessage(error));
                }
            });
        } catch (IOException | RuntimeException e) {
            lost(c, -1, "could not connect to " + uri + ": " + rootMessage(e));
        }
    }

    private URI uri(String base) {
        String b = base;
        URI parsed = URI.create(b);
        if (parsed.getPath() == null || parsed.getPath().isEmpty()) {
            b = b + "/";
        }
        String query = "v=10&encoding=json" + (gateway.config().zlibStream() ? "&compress=zlib-stream" : "");
        return URI.create(b + (parsed.getQuery() == null ? "?" : "&") + query);
    }

    /** A connection ended (closed by Discord, failed, or dropped by us): decide between resume, identify and stop. */
    private void lost(Connection c, int code, String reason) {
        long delay;
        synchronized (lock) {
            if (c != current) {
                return; // an old connection's late news
            }
            current = null;
            c.stopHeartbeat();
            if (stopped) {
                return;
            }
            String fatal = fatal(code);
            if (fatal != null) {
                stopped = true;
                failure = "shard " + id + ": Discord closed the gateway with " + code + " (" + reason + "): " + fatal;
                LOG.error("{}", failure);
                setStatus(ShardStatus.FAILED);
                return;
            }
            if (code == 4007 || code == 4009) {
                forgetSession(); // invalid seq, session timed out: a new session
            }
            delay = backoff(failures++);
        }
        LOG.info("shard {}: gateway connection lost ({}{}); {} in {} ms", id, code < 0 ? "" : code + " ", reason,
                sessionId != null ? "resuming" : "identifying", TimeUnit.NANOSECONDS.toMillis(delay));
        setStatus(ShardStatus.RECONNECTING);
        scheduleConnect(delay);
    }

    /** The first reconnect is immediate; then {@code reconnectBackoff}, doubled per failure, capped, ±20 % jitter. */
    private long backoff(int failuresSoFar) {
        if (failuresSoFar == 0) {
            return 0;
        }
        long base = gateway.config().reconnectBackoff().toNanos();
        long max = gateway.config().maxReconnectBackoff().toNanos();
        long d = base << Math.min(failuresSoFar - 1, 20);
        d = Math.min(max, d <= 0 ? max : d);
        return (long) (d * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }

    /** What to tell the owner for the close codes that retrying cannot fix; null for the others. */
    private String fatal(int code) {
        return switch (code) {
            case 4004 -> "the bot token was refused; check discord_auth.token";
            case 4010 -> "invalid shard; discord.shards must be at least 1 and each shard id below it";
            case 4011 -> "Discord requires more shards for this bot's guilds; raise discord.shards (a multiple of the worker count)";
            case 4012 -> "invalid gateway API version";
            case 4013 -> "invalid intents " + gateway.config().intents() + "; check discord.intents";
            case 4014 -> "intents " + gateway.config().intents() + " include privileged intents (GUILD_MEMBERS 2, GUILD_PRESENCES 256,"
                    + " MESSAGE_CONTENT 32768) this bot may not use; enable them in the Developer Portal (Bot page) or remove them"
                    + " from discord.intents";
            default -> null;
        };
    }

    private void forgetSession() {
        sessionId = null;
        resumeUrl = null;
        seq = 0;
    }

    private void setStatus(ShardStatus s) {
        if (status == s) {
            return;
        }
        status = s;
        if (s == ShardStatus.READY) {
            readySinceNanos = System.nanoTime();
            if (firstReadyNanos == 0) {
                firstReadyNanos = readySinceNanos;
            }
        }
        try {
            gateway.listener().onStatus(id, s);
        } catch (RuntimeException e) {
            LOG.warn("shard {}: status listener failed: {}", id, e.toString());
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    // ---- one connection ----

    /** A WebSocket connection of this shard; its callbacks are ignored once it is no longer the current one. */
    private final class Connection implements GatewaySocket.Events {
        private final int gen;
        private final boolean resume;
        private final ZlibStream zlib;
        private volatile Session session;
        private ScheduledFuture<?> heartbeat;
        private volatile boolean acked = true;
        private volatile long beatSentNanos;

        Connection(int gen, boolean resume) {
            this.gen = gen;
            this.resume = resume;
            this.zlib = gateway.config().zlibStream() ? new ZlibStream() : null;
        }

        private boolean isCurrent() {
            synchronized (lock) {
                return current == this;
            }
        }

        @Override
        public void opened(Session s) {
            this.session = s;
        }

        @Override
        public void text(String payload) {
            receive(payload);
        }

        @Override
        public void binary(ByteBuffer data) {
            if (zlib == null) {
                retire(KEEP_SESSION, "binary frame without zlib-stream", true);
                return;
            }
            String payload;
            try {
                synchronized (this) {
                    payload = zlib.accept(data);
                }
            } catch (IllegalStateException e) {
                retire(KEEP_SESSION, e.getMessage(), true);
                return;
            }
            if (payload != null) {
                receive(payload);
            }
        }

        @Override
        public void closed(int code, String reason) {
            LOG.debug("shard {}: connection {} closed: {} {}", id, gen, code, reason);
            lost(this, code, reason == null || reason.isEmpty() ? "closed" : reason);
            release();
        }

        @Override
        public void failed(Throwable error) {
            LOG.debug("shard {}: connection {} failed: {}", id, gen, error.toString());
            lost(this, -1, rootMessage(error));
            release();
        }

        private void release() {
            if (zlib != null) {
                synchronized (this) {
                    zlib.close();
                }
            }
        }

        private void receive(String text) {
            if (!isCurrent()) {
                return;
            }
            JsonNode payload;
            try {
                payload = JSON.readTree(text);
            } catch (Exception e) {
                LOG.warn("shard {}: the gateway sent something that is not JSON ({}); reconnecting", id, e.getMessage());
                retire(KEEP_SESSION, "decode error", true);
                return;
            }
            switch (payload.path("op").asInt(-1)) {
                case 10 -> hello(payload.path("d").path("heartbeat_interval").asLong(41_250));
                case 11 -> {
                    acked = true;
                    latencyNanos = System.nanoTime() - beatSentNanos;
                }
                case 1 -> send(heartbeatPayload());
                case 0 -> dispatch(payload);
                case 7 -> {
                    LOG.info("shard {}: Discord asked for a reconnect", id);
                    retire(KEEP_SESSION, "reconnect requested", true);
                }
                case 9 -> invalidSession(payload.path("d").asBoolean(false));
                default -> LOG.debug("shard {}: ignoring gateway op {}", id, payload.path("op"));
            }
        }

        private void hello(long intervalMillis) {
            long interval = Math.max(1, intervalMillis);
            long first = (long) (interval * ThreadLocalRandom.current().nextDouble());
            synchronized (lock) {
                if (current != this) {
                    return;
                }
                heartbeat = gateway.timer().scheduleAtFixedRate(this::beat, first, interval, TimeUnit.MILLISECONDS);
            }
            if (resume && sessionId != null) {
                ObjectNode d = JSON.createObjectNode();
                d.put("token", gateway.config().token());
                d.put("session_id", sessionId);
                d.put("seq", seq);
                send(op(6, d));
            } else {
                // Paced here, right before sending, rather than before connecting: Discord counts identifies as they
                // arrive, and connecting takes a varying time (a slot reserved before a slow connect would be spent late
                // and the next shard's on-time identify would then arrive too close behind it).
                long wait = gateway.identifyLimiter().reserve(id);
                if (wait > 0) {
                    LOG.debug("shard {}: waiting {} ms for its identify slot (max_concurrency {})", id,
                            TimeUnit.NANOSECONDS.toMillis(wait), gateway.identifyLimiter().maxConcurrency());
                    gateway.timer().schedule(this::identify, wait, TimeUnit.NANOSECONDS);
                } else {
                    identify();
                }
            }
        }

        private void identify() {
            if (!isCurrent()) {
                return; // the connection ended while it waited for its slot
            }
            forgetSession(); // a new session numbers its dispatches from 1
            ObjectNode d = JSON.createObjectNode();
            d.put("token", gateway.config().token());
            d.put("intents", gateway.config().intents());
            d.putArray("shard").add(id).add(gateway.config().shardCount());
            ObjectNode props = d.putObject("properties");
            props.put("os", System.getProperty("os.name", "linux").toLowerCase(java.util.Locale.ROOT));
            props.put("browser", "template-worker");
            props.put("device", "template-worker");
            d.put("large_threshold", 250);
            send(op(2, d));
        }

        private void beat() {
            if (!isCurrent()) {
                stopHeartbeat();
                return;
            }
            if (!acked) {
                LOG.warn("shard {}: no heartbeat acknowledgement since the last beat (zombie connection); reconnecting to resume", id);
                retire(KEEP_SESSION, "heartbeat not acknowledged", true);
                return;
            }
            acked = false;
            beatSentNanos = System.nanoTime();
            send(heartbeatPayload());
        }

        private String heartbeatPayload() {
            long s = seq;
            return "{\"op\":1,\"d\":" + (s == 0 ? "null" : Long.toString(s)) + "}";
        }

        private void dispatch(JsonNode payload) {
            String type = payload.path("t").asText("");
            JsonNode s = payload.get("s");
            long n = s != null && s.canConvertToLong() ? s.asLong() : 0;
            if (n > 0) {
                if (n <= seq) {
                    LOG.debug("shard {}: skipping {} #{}, already delivered", id, type, n);
                    return;
                }
                seq = n;
            }
            JsonNode d = payload.path("d");
            switch (type) {
                case "READY" -> {
                    sessionId = d.path("session_id").asText(null);
                    resumeUrl = d.path("resume_gateway_url").asText(null);
                    synchronized (guilds) {
                        guilds.clear();
                        d.path("guilds").forEach(g -> guilds.add(parseId(g.path("id"))));
                        guildCount = guilds.size();
                    }
                    gateway.ready(d.path("user"));
                }
                case "GUILD_CREATE" -> trackGuild(parseId(d.path("id")), true);
                case "GUILD_DELETE" -> {
                    if (!d.path("unavailable").asBoolean(false)) {
                        trackGuild(parseId(d.path("id")), false);
                    }
                }
                default -> {
                }
            }
            try {
                gateway.listener().onEvent(new GatewayEvent(id, type, n, d, payload.get("__sandwich_edt")));
            } catch (RuntimeException e) {
                LOG.warn("shard {}: handling {} #{} failed: {}", id, type, n, e.toString(), e);
            }
            if (type.equals("READY") || type.equals("RESUMED")) {
                synchronized (lock) {
                    failures = 0;
                }
                setStatus(ShardStatus.READY);
            }
        }

        private void trackGuild(long guildId, boolean add) {
            synchronized (guilds) {
                if (add) {
                    guilds.add(guildId);
                } else {
                    guilds.remove(guildId);
                }
                guildCount = guilds.size();
            }
        }

        private void invalidSession(boolean resumable) {
            long base = gateway.config().invalidSessionDelay().toNanos();
            long delay = base + (long) (base * ThreadLocalRandom.current().nextDouble());
            LOG.info("shard {}: Discord invalidated the session ({}); {} in {} ms", id, resumable ? "resumable" : "not resumable",
                    resumable ? "resuming" : "identifying again", TimeUnit.NANOSECONDS.toMillis(delay));
            synchronized (lock) {
                if (current != this) {
                    return;
                }
                current = null;
                stopHeartbeat();
                if (!resumable) {
                    forgetSession();
                }
            }
            closeSocket(resumable ? KEEP_SESSION : 1000, "invalid session");
            setStatus(ShardStatus.RECONNECTING);
            scheduleConnect(delay);
        }

        /**
         * Ends this connection from our side: {@code reconnect} schedules the next connection at once (keeping the
         * session unless the code ends it).
         */
        void retire(int code, String reason, boolean reconnect) {
            synchronized (lock) {
                if (current == this) {
                    current = null;
                }
                stopHeartbeat();
            }
            closeSocket(code, reason);
            if (reconnect) {
                synchronized (lock) {
                    if (stopped) {
                        return;
                    }
                }
                setStatus(ShardStatus.RECONNECTING);
                scheduleConnect(0);
            }
        }

        private void closeSocket(int code, String reason) {
            Session s = session;
            if (s == null) {
                return;
            }
            if (code == KEEP_SESSION) {
                s.disconnect(); // a zombie may never answer a close frame; the session stays resumable either way
                return;
            }
            s.close(code, reason, Callback.NOOP);
            try {
                gateway.timer().schedule(s::disconnect, 2, TimeUnit.SECONDS); // in case the close is never answered
            } catch (RejectedExecutionException e) {
                s.disconnect(); // the gateway is closing
            }
        }

        void stopHeartbeat() {
            ScheduledFuture<?> h = heartbeat;
            if (h != null) {
                h.cancel(false);
            }
        }

        /** Sends one payload (Jetty queues sends, so they leave in call order). */
        private void send(String payload) {
            Session s = session;
            if (s == null || !s.isOpen()) {
                return;
            }
            s.sendText(payload, Callback.from(() -> { }, e -> LOG.debug("shard {}: send failed: {}", id, e.toString())));
        }

        private String op(int op, JsonNode d) {
            ObjectNode o = JSON.createObjectNode();
            o.put("op", op);
            o.set("d", d);
            return o.toString();
        }
    }

    static long parseId(JsonNode n) {
        try {
            return n == null || n.isNull() ? 0 : Long.parseUnsignedLong(n.asText());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
