package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.api.dto.Meta;
import io.templateworker.app.config.AppConfig;
import io.templateworker.discord.gateway.DiscordGateway;
import io.templateworker.discord.gateway.EventTranslator;
import io.templateworker.discord.gateway.GatewayConfig;
import io.templateworker.discord.gateway.GatewayIntake;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.process.Wire;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway client of one process: reads its shards of {@code discord.shards} with {@code discord.intents}, keeps the
 * guild state current and hands each template event to {@code dispatch_event_nowait} of the worker that owns the guild.
 * The thread pool's master reads every shard; each process-pool child reads the shards of its worker id, so gateway
 * events never cross Mesophyll. With {@code meta.sandwich_http_api} set, the shards are read from Sandwich's gateway
 * producer and its {@code __sandwich_edt} metadata routes the events, as upstream.
 */
public final class ServiceGateway implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceGateway.class);

    private final DiscordGateway gateway;
    private final GatewayIntake intake;
    private final AtomicReference<Converted> user = new AtomicReference<>();

    /** The READY user and its template value, converted once per READY. */
    private record Converted(JsonNode from, KhronosValue value, long id) {
    }

    private ServiceGateway(AppConfig config, DiscordSetup discord, int shardCount, List<Integer> shardIds, WorkerLike workers) {
        String sandwich = config.meta().sandwichHttpApi();
        EventTranslator translator = new EventTranslator(this::botId, sandwich != null);
        this.intake = new GatewayIntake(discord.gatewayState(), translator,
                (guildId, event) -> workers.dispatchEventNoWait(TenantId.guild(guildId), event));
        GatewayConfig gc = GatewayConfig.defaults(discord.token(), config.discord().intents(), shardCount).withShards(shardIds)
                .withZlibStream(config.discord().zlibStream());
        Supplier<DiscordGateway.GatewayBot> info = sandwich != null ? () -> SandwichApi.gatewayBot(sandwich)
                : () -> DiscordGateway.GatewayBot.fetch(discord.rest());
        this.gateway = new DiscordGateway(gc, info, intake);
    }

    /**
     * Starts reading {@code shardIds} of {@code shardCount} in the background (never blocks; retries while Discord is
     * unreachable).
     *
     * @param workers where template events go: the pool (thread pool) or the child's own worker (process pool)
     */
    public static ServiceGateway start(AppConfig config, DiscordSetup discord, int shardCount, List<Integer> shardIds,
            WorkerLike workers) {
        return start(config, discord, shardCount, shardIds, workers, null);
    }

    /**
     * As above; the sessions of {@code lastReport} (a {@link #report()} of the process this one replaces, or null) are
     * resumed instead of identified, so the events Discord sent in between are replayed.
     */
    public static ServiceGateway start(AppConfig config, DiscordSetup discord, int shardCount, List<Integer> shardIds,
            WorkerLike workers, JsonNode lastReport) {
        ServiceGateway g = new ServiceGateway(config, discord, shardCount, shardIds, workers);
        if (lastReport != null && lastReport.isObject()) {
            List<DiscordGateway.Session> sessions = new ArrayList<>();
            for (JsonNode s : lastReport.path("shards")) {
                if (s.hasNonNull("session_id") && s.hasNonNull("resume_url")) {
                    sessions.add(new DiscordGateway.Session(s.path("id").asInt(), s.get("session_id").asText(),
                            s.get("resume_url").asText(), s.path("seq").asLong()));
                }
            }
            LOG.info("gateway: resuming {} session(s) of the process this one replaces", sessions.size());
            g.gateway.resume(sessions, lastReport.get("user"));
        }
        g.gateway.start();
        return g;
    }

    /**
     * This process's shards for the master ({@code Message.GatewayReport}): each one's figures as {@link #stats()}
     * reports them, its session ({@code session_id}, {@code resume_url}, {@code seq}), and the bot {@code user}.
     */
    public JsonNode report() {
        ObjectNode out = REPORT.objectNode();
        ArrayNode list = out.putArray("shards");
        List<DiscordGateway.Session> sessions = gateway.sessions();
        List<DiscordGateway.ShardStats> stats = gateway.stats();
        for (int i = 0; i < stats.size(); i++) {
            DiscordGateway.ShardStats s = stats.get(i);
            DiscordGateway.Session session = sessions.get(i);
            list.addObject().put("id", s.id()).put("status", s.status().name().toLowerCase(Locale.ROOT))
                    .put("latency_ms", s.latencyMillis()).put("guilds", s.guilds()).put("uptime_ms", s.uptimeMillis())
                    .put("total_uptime_ms", s.totalUptimeMillis()).put("session_id", session.sessionId())
                    .put("resume_url", session.resumeUrl()).put("seq", session.seq());
        }
        out.set("user", gateway.currentUser());
        return out;
    }

    /** {@code GET /bot-stats} of a process pool's master: the shards of every child's last report. */
    public static Meta.GetStatusResponse statsOf(List<JsonNode> reports) {
        Map<String, Meta.ShardConn> shards = new java.util.TreeMap<>(java.util.Comparator.comparingInt(Integer::parseInt));
        for (JsonNode report : reports) {
            if (report == null) {
                continue;
            }
            for (JsonNode s : report.path("shards")) {
                shards.put(Integer.toString(s.path("id").asInt()), new Meta.ShardConn(s.path("status").asText("idle"),
                        s.path("latency_ms").asLong(-1), s.path("guilds").asInt(), s.path("uptime_ms").asLong() / 1000,
                        s.path("total_uptime_ms").asLong() / 1000));
            }
        }
        long guilds = shards.values().stream().mapToLong(Meta.ShardConn::guilds).sum();
        return new Meta.GetStatusResponse(new LinkedHashMap<>(shards), guilds, 0);
    }

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory REPORT =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /** The shards worker {@code worker} of {@code workers} reads: those with {@code shard % workers == worker}. */
    public static List<Integer> shardsOf(int worker, int workers, int shardCount) {
        List<Integer> ids = new ArrayList<>();
        for (int s = worker; s < shardCount; s += workers) {
            ids.add(s);
        }
        return ids;
    }

    /** Every shard of {@code shardCount}. */
    public static List<Integer> allShards(int shardCount) {
        return shardsOf(0, 1, shardCount);
    }

    /** {@code ctx.current_user}: the bot user from the latest READY (nil before the first). */
    public KhronosValue currentUser() {
        Converted c = converted();
        return c == null ? KhronosValue.Null.INSTANCE : c.value();
    }

    private long botId() {
        Converted c = converted();
        return c == null ? 0 : c.id();
    }

    private Converted converted() {
        JsonNode ready = gateway == null ? null : gateway.currentUser();
        if (ready == null) {
            return null;
        }
        Converted c = user.get();
        if (c == null || c.from() != ready) {
            long id;
            try {
                id = Long.parseUnsignedLong(ready.path("id").asText("0"));
            } catch (NumberFormatException e) {
                id = 0;
            }
            c = new Converted(ready, Wire.fromPlainJson(ready), id);
            user.set(c);
        }
        return c;
    }

    /**
     * {@code GET /bot-stats}: this process's shards ({@code status} lower case, latency in ms, uptimes in seconds) and
     * the guilds the gateway delivered; users are not counted (no presence or member totals are kept).
     */
    public Meta.GetStatusResponse stats() {
        Map<String, Meta.ShardConn> shards = new LinkedHashMap<>();
        for (DiscordGateway.ShardStats s : gateway.stats()) {
            shards.put(Integer.toString(s.id()), new Meta.ShardConn(s.status().name().toLowerCase(Locale.ROOT), s.latencyMillis(),
                    s.guilds(), s.uptimeMillis() / 1000, s.totalUptimeMillis() / 1000));
        }
        long guilds = shards.values().stream().mapToLong(Meta.ShardConn::guilds).sum();
        return new Meta.GetStatusResponse(shards, guilds, 0);
    }

    public DiscordGateway gateway() {
        return gateway;
    }

    public GatewayIntake intake() {
        return intake;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
