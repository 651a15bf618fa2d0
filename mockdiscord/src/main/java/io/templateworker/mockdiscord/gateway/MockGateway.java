package io.templateworker.mockdiscord.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockActions;
import io.templateworker.mockdiscord.state.MockEvent;
import io.templateworker.mockdiscord.state.MockEventListener;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock's gateway: Discord's gateway protocol v10 over a real WebSocket ({@code GET /gateway}). A client gets Hello,
 * identifies (token, intents, {@code [shard_id, num_shards]}) and receives READY and one {@code GUILD_CREATE} per guild
 * of its shard, then every dispatch of its shard that its intents allow, numbered per session. Heartbeats are
 * acknowledged (unless a test turns that off to make a zombie connection); a client that lost its connection resumes
 * with {@code session_id} and {@code seq} and gets what it missed, then {@code RESUMED}. Identifies are paced per
 * {@code max_concurrency} bucket as Discord does (an early one gets Invalid Session). Without MESSAGE_CONTENT, message
 * content is empty except for the bot's own messages and messages that mention it.
 *
 * <p>Lock order: the state lock before the gateway lock. State events arrive with the state lock held.
 */
public final class MockGateway implements MockEventListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MockGateway.class);
    private static final String CONNECTION = "mock-gateway-connection";

    private final MockState state;
    private final MockActions actions;
    private final String botToken;
    private final Supplier<String> url;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, GatewaySession> sessions = new LinkedHashMap<>();
    private final Map<Long, GatewayConnection> connections = new LinkedHashMap<>();
    /** Identify bucket → when it last identified (nanoTime). */
    private final Map<Integer, Long> lastIdentify = new HashMap<>();
    private final ScheduledExecutorService timer;
    private volatile GatewaySettings settings = GatewaySettings.defaults();
    private volatile int shards = 1;
    private long nextConnectionId;
    private int identifies;
    private int resumes;
    private int invalidSessions;

    /**
     * @param url where clients connect ({@code ws://host:port/gateway}); READY's {@code resume_gateway_url}
     */
    public MockGateway(MockState state, String botToken, Supplier<String> url) {
        this.state = state;
        this.actions = new MockActions(state);
        this.botToken = botToken;
        this.url = url;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mock-gateway-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reap, 100, 100, TimeUnit.MILLISECONDS);
        state.addListener(this);
    }

    public GatewaySettings settings() {
        return settings;
    }

    public void settings(GatewaySettings settings) {
        this.settings = settings;
    }

    /** The shard count {@code GET /gateway/bot} recommends. */
    public int shards() {
        return shards;
    }

    public void setShards(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.shards = shards;
    }

    /** How many identifies succeeded (Discord counts them against the session start limit). */
    public int identifies() {
        return locked(() -> identifies);
    }

    /** How many resumes succeeded. */
    public int resumes() {
        return locked(() -> resumes);
    }

    /** How many Invalid Session (op 9) payloads were sent (identifying too fast, unknown sessions, admin route). */
    public int invalidSessions() {
        return locked(() -> invalidSessions);
    }

    /** Registers the socket's handlers (Javalin). */
    public void configure(WsConfig ws) {
        ws.onConnect(this::opened);
        ws.onMessage(ctx -> received(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> closeFrom(ctx, 4002, "Decode error: send JSON text frames (encoding=json)."));
        ws.onClose(ctx -> closed(ctx, ctx.status()));
        ws.onError(ctx -> closed(ctx, 1006));
    }

    // ---- connection lifecycle ----

    private void opened(WsContext ctx) {
        String v = ctx.queryParam("v");
        String encoding = ctx.queryParam("encoding");
        String compress = ctx.queryParam("compress");
        if (v != null && !v.equals("10")) {
            ctx.closeSession(4012, "Invalid API version.");
            return;
        }
        if (encoding != null && !encoding.equals("json")) {
            ctx.closeSession(4002, "Decode error: the mock speaks encoding=json only.");
            return;
        }
        if (compress != null && !compress.equals("zlib-stream")) {
            ctx.closeSession(4002, "Decode error: the mock offers compress=zlib-stream only.");
            return;
        }
        withLock(() -> {
            GatewayConnection c = new GatewayConnection(++nextConnectionId, ctx.session, compress != null, System.nanoTime());
            connections.put(c.id, c);
            ctx.attribute(CONNECTION, c);
            ObjectNode hello = Json.obj();
            hello.put("op", 10);
            hello.putNull("s");
            hello.putNull("t");
            hello.putObject("d").put("heartbeat_interval", settings.heartbeatInterval().toMillis());
            c.send(hello.toString());
        });
    }

    private void received(WsContext ctx, String text) {
        GatewayConnection c = ctx.attribute(CONNECTION);
        if (c == null) {
            return;
        }
        JsonNode payload;
        try {
            payload = text.length() > 4096 ? null : Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            payload = null;
        }
        JsonNode message = payload;
        int op = message == null ? -1 : message.path("op").asInt(-1);
        if (op == 2) {
            // Identify reads the guilds: state lock first (lock order), so no event slips between READY and the session.
            state.locked(() -> withLock(() -> {
                if (admit(c, message)) {
                    identify(c, message.path("d"));
                }
            }));
        } else {
            withLock(() -> {
                if (!admit(c, message)) {
                    return;
                }
                switch (op) {
                    case 1 -> heartbeat(c);
                    case 6 -> resume(c, message.path("d"));
                    case 3, 4, 8, 31 -> {
                        if (c.session == null) {
                            close(c, 4003, "Not authenticated.");
                        }
                    }
                    default -> close(c, 4001, "Unknown opcode.");
                }
            });
        }
    }

    /** Checks what every payload must satisfy; closes the connection as Discord would when it does not. */
    private boolean admit(GatewayConnection c, JsonNode message) {
        if (c.closed) {
            return false;
        }
        if (!c.admitInbound(System.nanoTime())) {
            close(c, 4008, "Rate limited.");
            return false;
        }
        if (message == null || !message.isObject()) {
            close(c, 4002, "Decode error.");
            return false;
        }
        return true;
    }

    private void closed(WsContext ctx, int code) {
        GatewayConnection c = ctx.attribute(CONNECTION);
        if (c == null) {
            return;
        }
        withLock(() -> {
            connections.remove(c.id);
            c.closedByPeer();
            GatewaySession s = c.session;
            if (s != null && s.connection == c) {
                s.connection = null;
                s.detachedNanos = System.nanoTime();
                if (code == 1000 || code == 1001) {
                    sessions.remove(s.id); // Discord: closing with 1000/1001 ends the session
                }
            }
        });
    }

    private void closeFrom(WsContext ctx, int code, String reason) {
        GatewayConnection c = ctx.attribute(CONNECTION);
        if (c != null) {
            withLock(() -> close(c, code, reason));
        }
    }

    /** Closes from the server side; codes that end the session end it. */
    private void close(GatewayConnection c, int code, String reason) {
        GatewaySession s = c.session;
        if (s != null && (code == 4004 || code == 4007 || code == 4009 || code >= 4010)) {
            sessions.remove(s.id);
        }
        detach(c);
        c.close(code, reason);
    }

    private void detach(GatewayConnection c) {
        GatewaySession s = c.session;
        if (s != null && s.connection == c) {
            s.connection = null;
            s.detachedNanos = System.nanoTime();
        }
        c.session = null;
    }

    // ---- opcodes ----

    private void heartbeat(GatewayConnection c) {
        c.lastHeartbeatNanos = System.nanoTime();
        if (settings.ackHeartbeats()) {
            c.send("{\"op\":11,\"s\":null,\"t\":null,\"d\":null}");
        }
    }

    private void identify(GatewayConnection c, JsonNode d) {
        if (c.session != null) {
            close(c, 4005, "Already authenticated.");
            return;
        }
        if (!tokenMatches(d)) {
            close(c, 4004, "Authentication failed.");
            return;
        }
        JsonNode intentsNode = d.get("intents");
        if (intentsNode == null || !intentsNode.canConvertToInt() || (intentsNode.asInt() & ~GatewayIntents.ALL) != 0) {
            close(c, 4013, "Invalid intent(s).");
            return;
        }
        int intents = intentsNode.asInt();
        GatewaySettings now = settings;
        if ((intents & GatewayIntents.PRIVILEGED & ~now.privilegedIntents()) != 0) {
            close(c, 4014, "Disallowed intent(s).");
            return;
        }
        JsonNode shard = d.get("shard");
        int shardId = 0;
        int shardCount = 1;
        if (shard != null && !shard.isNull()) {
            if (!shard.isArray() || shard.size() != 2 || !shard.get(0).canConvertToInt() || !shard.get(1).canConvertToInt()) {
                close(c, 4010, "Invalid shard.");
                return;
            }
            shardId = shard.get(0).asInt();
            shardCount = shard.get(1).asInt();
        }
        if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
            close(c, 4010, "Invalid shard.");
            return;
        }
        int bucket = shardId % now.maxConcurrency();
        long t = System.nanoTime();
        Long last = lastIdentify.get(bucket);
        if (last != null && t - last < now.identifyWindow().toNanos()) {
            invalidSession(c, false); // Discord's answer to identifying too fast
            return;
        }
        lastIdentify.put(bucket, t);
        GatewaySession s = new GatewaySession(state.newToken(16), shardId, shardCount, intents);
        sessions.put(s.id, s);
        s.connection = c;
        c.session = s;
        identifies++;
        List<MockGuild> guilds = new ArrayList<>();
        for (MockGuild g : state.guilds.values()) {
            if (g.members.containsKey(state.bot.id) && shardOf(g.id, shardCount) == shardId) {
                guilds.add(g);
            }
        }
        ObjectNode ready = Json.obj();
        ready.put("v", 10);
        ready.set("user", state.bot.toJson());
        ArrayNode unavailable = ready.putArray("guilds");
        guilds.forEach(g -> unavailable.addObject().put("id", Json.id(g.id)).put("unavailable", true));
        ready.put("session_id", s.id);
        ready.put("session_type", "normal");
        ready.put("resume_gateway_url", url.get());
        ready.putArray("shard").add(shardId).add(shardCount);
        ready.putObject("application").put("id", Json.id(state.applicationId)).put("flags", 0);
        c.send(s.record("READY", ready.toString(), now.replayLimit()));
        if ((intents & GatewayIntents.GUILDS) != 0) {
            for (MockGuild g : guilds) {
                ObjectNode create = actions.guildCreate(g);
                if ((intents & GatewayIntents.GUILD_MEMBERS) == 0) {
                    onlyTheBot((ArrayNode) create.get("members")); // as Discord: members need the privileged intent
                }
                c.send(s.record("GUILD_CREATE", Json.text(create), now.replayLimit()));
            }
        }
    }

    private void onlyTheBot(ArrayNode members) {
        for (Iterator<JsonNode> it = members.elements(); it.hasNext(); ) {
            if (Json.snowflake(it.next().path("user").path("id")) != state.bot.id) {
                it.remove();
            }
        }
    }

    private void resume(GatewayConnection c, JsonNode d) {
        if (c.session != null) {
            close(c, 4005, "Already authenticated.");
            return;
        }
        if (!tokenMatches(d)) {
            close(c, 4004, "Authentication failed.");
            return;
        }
        GatewaySession s = sessions.get(d.path("session_id").asText(""));
        long seq = d.path("seq").asLong(0);
        if (s == null) {
            invalidSession(c, false);
            return;
        }
        if (seq > s.seq()) {
            close(c, 4007, "Invalid seq.");
            return;
        }
        List<String> missed = s.since(seq);
        if (missed == null) {
            sessions.remove(s.id); // too far behind: the session cannot be resumed any more
            invalidSession(c, false);
            return;
        }
        GatewayConnection previous = s.connection;
        if (previous != null && previous != c) {
            detach(previous);
            previous.close(4000, "Session resumed on another connection.");
        }
        s.connection = c;
        c.session = s;
        s.resumes++;
        resumes++;
        missed.forEach(c::send);
        c.send("{\"op\":0,\"s\":null,\"t\":\"RESUMED\",\"d\":{}}");
    }

    private void invalidSession(GatewayConnection c, boolean resumable) {
        invalidSessions++;
        c.send("{\"op\":9,\"s\":null,\"t\":null,\"d\":" + resumable + "}");
    }

    private boolean tokenMatches(JsonNode d) {
        String token = d.path("token").asText("");
        if (token.startsWith("Bot ")) {
            token = token.substring(4);
        }
        return token.equals(botToken);
    }

    static int shardOf(long guildId, int shardCount) {
        return (int) Long.remainderUnsigned(guildId >>> 22, shardCount);
    }

    // ---- dispatches ----

    @Override
    public void onEvent(MockEvent event) {
        withLock(() -> {
            if (!sessions.isEmpty()) {
                dispatch(event);
            }
        });
    }

    private void dispatch(MockEvent event) {
        String type = event.type();
        ObjectNode data = event.data();
        long guildId = event.guildId();
        if (guildId != 0) {
            MockGuild g = state.guilds.get(guildId);
            boolean botLeft = type.equals("GUILD_MEMBER_REMOVE") && Json.snowflake(data.path("user").path("id")) == state.bot.id;
            if (botLeft) {
                type = "GUILD_DELETE"; // what the bot sees when it leaves or is removed
                data = Json.obj().put("id", Json.id(guildId));
            } else if (g == null || !g.members.containsKey(state.bot.id)) {
                return; // Discord sends a bot nothing about guilds it is not in
            }
        }
        boolean aboutTheBot = type.equals("GUILD_MEMBER_UPDATE") && Json.snowflake(data.path("user").path("id")) == state.bot.id;
        int needed = aboutTheBot ? 0 : GatewayIntents.required(type);
        String full = null;
        String withoutContent = null;
        int limit = settings.replayLimit();
        for (GatewaySession s : sessions.values()) {
            int shard = guildId == 0 ? 0 : shardOf(guildId, s.shardCount);
            if (shard != s.shardId || (needed != 0 && (s.intents & needed) == 0)) {
                continue;
            }
            String body;
            if (hidesContent(type, data, s.intents)) {
                body = withoutContent != null ? withoutContent : (withoutContent = Json.text(withoutContent(data)));
            } else {
                body = full != null ? full : (full = Json.text(data));
            }
            String payload = s.record(type, body, limit);
            if (s.connection != null) {
                s.connection.send(payload);
            }
        }
    }

    /** Discord without MESSAGE_CONTENT: content fields are empty unless the bot wrote the message or is mentioned in it. */
    private boolean hidesContent(String type, JsonNode data, int intents) {
        if ((intents & GatewayIntents.MESSAGE_CONTENT) != 0 || !(type.equals("MESSAGE_CREATE") || type.equals("MESSAGE_UPDATE"))) {
            return false;
        }
        if (Json.snowflake(data.path("author").path("id")) == state.bot.id) {
            return false;
        }
        String bot = Json.id(state.bot.id);
        String content = data.path("content").asText("");
        if (content.contains("<@" + bot + ">") || content.contains("<@!" + bot + ">")) {
            return false;
        }
        for (JsonNode m : data.path("mentions")) {
            if (Json.snowflake(m.path("id")) == state.bot.id) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode withoutContent(ObjectNode data) {
        ObjectNode o = data.deepCopy();
        o.put("content", "");
        o.putArray("embeds");
        o.putArray("attachments");
        o.putArray("components");
        o.remove("poll");
        return o;
    }

    // ---- admin ----

    /**
     * Drops the connections of one shard (or all): with {@code code} a close frame with that code, without one the TCP
     * connection just ends, as a network failure would. Sessions stay resumable. Returns how many were dropped.
     */
    public int drop(Integer shardId, Integer code) {
        return locked(() -> {
            int n = 0;
            for (GatewayConnection c : List.copyOf(connections.values())) {
                if (c.closed || !onShard(c, shardId)) {
                    continue;
                }
                detach(c);
                if (code == null) {
                    c.abort();
                } else {
                    c.close(code, "Dropped by the mock's admin route.");
                }
                n++;
            }
            return n;
        });
    }

    /**
     * Sends Invalid Session (op 9) to the connections of one shard (or all). Not resumable: their sessions end and the
     * clients must identify again. Returns how many connections were told.
     */
    public int invalidate(Integer shardId, boolean resumable) {
        return locked(() -> {
            int n = 0;
            for (GatewayConnection c : List.copyOf(connections.values())) {
                if (c.closed || c.session == null || !onShard(c, shardId)) {
                    continue;
                }
                if (!resumable) {
                    sessions.remove(c.session.id);
                    detach(c);
                }
                invalidSession(c, resumable);
                n++;
            }
            return n;
        });
    }

    /** Sends Reconnect (op 7): the clients should close and resume. Returns how many connections were told. */
    public int requestReconnect(Integer shardId) {
        return locked(() -> {
            int n = 0;
            for (GatewayConnection c : connections.values()) {
                if (!c.closed && c.session != null && onShard(c, shardId)) {
                    c.send("{\"op\":7,\"s\":null,\"t\":null,\"d\":null}");
                    n++;
                }
            }
            return n;
        });
    }

    private static boolean onShard(GatewayConnection c, Integer shardId) {
        return shardId == null || (c.session != null && c.session.shardId == shardId);
    }

    /** What {@code GET /__mock/gateway} shows. */
    public ObjectNode describe() {
        return locked(() -> {
            GatewaySettings s = settings;
            ObjectNode o = Json.obj();
            o.put("url", url.get());
            o.put("shards", shards);
            o.put("heartbeat_interval_ms", s.heartbeatInterval().toMillis());
            o.put("ack_heartbeats", s.ackHeartbeats());
            o.put("max_concurrency", s.maxConcurrency());
            o.put("identify_window_ms", s.identifyWindow().toMillis());
            o.put("session_timeout_ms", s.sessionTimeout().toMillis());
            o.put("replay_limit", s.replayLimit());
            o.put("privileged_intents", s.privilegedIntents());
            o.put("identifies", identifies);
            o.put("resumes", resumes);
            o.put("invalid_sessions", invalidSessions);
            o.put("connections", connections.size());
            ArrayNode list = o.putArray("sessions");
            for (GatewaySession session : sessions.values()) {
                ObjectNode j = list.addObject();
                j.put("session_id", session.id);
                j.putArray("shard").add(session.shardId).add(session.shardCount);
                j.put("intents", session.intents);
                j.put("seq", session.seq());
                j.put("connected", session.connection != null);
                j.put("resumes", session.resumes);
            }
            return o;
        });
    }

    /** {@code session_start_limit} of {@code GET /gateway/bot}. */
    public ObjectNode sessionStartLimit() {
        ObjectNode limit = Json.obj();
        limit.put("total", 1000);
        limit.put("remaining", Math.max(0, 1000 - identifies()));
        limit.put("reset_after", 86_400_000);
        limit.put("max_concurrency", settings.maxConcurrency());
        return limit;
    }

    /** Closes connections that stopped heartbeating and forgets sessions nobody resumed in time. */
    private void reap() {
        try {
            withLock(() -> {
                long now = System.nanoTime();
                GatewaySettings s = settings;
                long interval = s.heartbeatInterval().toNanos();
                long silentFor = Math.max(2 * interval, interval + TimeUnit.SECONDS.toNanos(5));
                for (GatewayConnection c : List.copyOf(connections.values())) {
                    if (!c.closed && now - c.lastHeartbeatNanos > silentFor) {
                        detach(c); // Discord closes a silent connection; the session can still be resumed
                        c.close(4000, "Heartbeat timed out.");
                    }
                }
                long timeout = s.sessionTimeout().toNanos();
                sessions.values().removeIf(session -> session.connection == null && now - session.detachedNanos > timeout);
            });
        } catch (RuntimeException e) {
            LOG.warn("mock gateway: housekeeping failed: {}", e.toString());
        }
    }

    private void withLock(Runnable work) {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        state.removeListener(this);
        withLock(() -> {
            for (GatewayConnection c : List.copyOf(connections.values())) {
                c.close(1001, "The mock Discord is stopping.");
            }
            connections.clear();
            sessions.clear();
        });
    }
}
