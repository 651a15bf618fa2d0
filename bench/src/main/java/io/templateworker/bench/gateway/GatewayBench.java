package io.templateworker.bench.gateway;

import io.templateworker.bench.BenchStores;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.discord.gateway.DiscordGateway;
import io.templateworker.discord.gateway.EventTranslator;
import io.templateworker.discord.gateway.GatewayConfig;
import io.templateworker.discord.gateway.GatewayIntake;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.GatewayGuildState;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway path, in one process: a member's message in the in-process mock Discord → MESSAGE_CREATE over the mock's
 * real gateway WebSocket → our gateway client (2 shards) → guild state and translation → the owning worker of a
 * 2-worker thread pool → the guild's template (Luau) → {@code ctx.Discord:create_message} → the REST client → the mock,
 * where the reply is seen. The mock's rate limits and the plugin's per-tenant limits are lifted, so the figures are our
 * cost. Reports:
 * <ul>
 *   <li>{@code gateway.reply_latency.p50/p99}: one message at a time, from posting it to the reply existing (goal: p99
 *       &lt; 5 ms);</li>
 *   <li>{@code gateway.events_per_s}: messages answered per second over 100 guilds, 200 in flight.</li>
 * </ul>
 * The load average is printed before and after. Args: {@code [--seconds S]} per figure (default 10).
 */
public final class GatewayBench implements Bench {

    private static final int GUILDS = 100;
    private static final int SHARDS = 2;
    private static final int WORKERS = 2;
    private static final int IN_FLIGHT = 200;
    private static final String TEMPLATE = """
            return {
              MESSAGE = function(ctx)
                local d = ctx.event.data
                if string.sub(d.content, 1, 5) == "ping " then
                  ctx.Discord:create_message({channel_id = d.channel_id, data = {content = "pong " .. string.sub(d.content, 6)}})
                end
              end,
            }
            """;

    private final Map<Long, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds")) {
                seconds = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --seconds S)");
            }
        }
        results.report("gateway.load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
        guildStateMemory(results);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.templateworker")).setLevel(ch.qos.logback.classic.Level.WARN);
        MockDiscord mock = MockDiscord.start(MockDiscord.Options.defaults());
        mock.rateLimits().disable();
        mock.setShards(SHARDS);
        List<long[]> guilds = new ArrayList<>(); // {guild, channel, member}
        for (int i = 0; i < GUILDS; i++) {
            final int n = i;
            MockGuild g = mock.locked(a -> {
                ObjectNode spec = Json.obj();
                spec.put("name", "bench " + n);
                spec.putArray("channels").addObject().put("name", "general");
                spec.putArray("members").addObject().putObject("user").put("username", "member" + n);
                return a.createGuild(spec);
            });
            long member = g.members.keySet().stream().filter(id -> id != mock.botId()).findFirst().orElseThrow();
            guilds.add(new long[] {g.id, g.channels.keySet().iterator().next(), member});
        }
        long bot = mock.botId();
        mock.addListener(e -> {
            if (e.type().equals("MESSAGE_CREATE") && e.data().path("author").path("id").asText().equals(Long.toUnsignedString(bot))) {
                String content = e.data().path("content").asText();
                if (content.startsWith("pong ")) {
                    CompletableFuture<Long> f = waiting.remove(Long.parseLong(content.substring(5)));
                    if (f != null) {
                        f.complete(System.nanoTime());
                    }
                }
            }
        });
        DiscordRestClient client = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken())
                .withGlobalPerSecond(1_000_000), new SimpleMeterRegistry());
        GatewayGuildState state = new GatewayGuildState(RestGuildState.withDefaults(client), true);
        DiscordPlugin plugin = new DiscordPlugin(client, state).withLimits(RateLimits.Spec.NONE);
        LuauIsolateFactory factory = new LuauIsolateFactory(Limits.defaults()).withPlugins(Plugins.builder().add(plugin).build());
        ThreadPool pool = new ThreadPool(WORKERS, WorkerConfig.DEFAULTS, services(), factory, ErrorReporter.LOG,
                KhronosValue.Null.INSTANCE).start();
        GatewayIntake intake = new GatewayIntake(state, new EventTranslator(() -> bot, false),
                (guild, event) -> pool.dispatchEventNoWait(TenantId.guild(guild), event));
        DiscordGateway gateway = new DiscordGateway(GatewayConfig.defaults(mock.botToken(), GatewayConfig.DEFAULT_INTENTS, SHARDS),
                () -> DiscordGateway.GatewayBot.fetch(client), intake).start();
        try {
            if (!gateway.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the gateway did not become ready within 60 s");
            }
            AtomicLong next = new AtomicLong();
            latencies(mock, guilds, next, 500_000_000L); // warm-up: JIT, VMs, connections, guild state
            throughput(mock, guilds, next, 2);
            long[] lat = latencies(mock, guilds, next, seconds * 1_000_000_000L);
            Arrays.sort(lat);
            results.report("gateway.reply_latency.p50", lat.length == 0 ? 0 : lat[lat.length / 2] / 1e6, "ms");
            results.report("gateway.reply_latency.p99", lat.length == 0 ? 0 : lat[(int) (lat.length * 0.99)] / 1e6, "ms");
            results.report("gateway.reply_latency.samples", lat.length, "messages");
            long cpuBefore = processCpuNanos();
            long answered = throughput(mock, guilds, next, seconds);
            long cpu = processCpuNanos() - cpuBefore;
            results.report("gateway.events_per_s", answered / (double) seconds, "events/s");
            if (cpu > 0 && answered > 0) {
                // CPU time per answered message hardly depends on the machine's load, unlike the rates and latencies.
                results.report("gateway.cpu_us_per_event", cpu / 1e3 / answered, "µs CPU (whole process: mock, gateway, worker, plugin)");
            }
        } finally {
            gateway.close();
            pool.kill();
            client.close();
            mock.close();
        }
        results.report("gateway.load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
    }

    /**
     * Heap held by the gateway-fed guild state, for a mid-sized guild as GUILD_CREATE delivers it: 30 roles, 40 channels
     * with 3 permission overwrites each, 100 members with 2 roles each (Discord sends at most the online members of a
     * large guild without the GUILD_PRESENCES intent). Measured over 500 guilds, after full GCs; per member is the
     * difference to the same guilds without members.
     */
    private static void guildStateMemory(Results results) {
        final int guilds = 500;
        final int members = 100;
        double withMembers = bytesPerGuild(guilds, members);
        double withoutMembers = bytesPerGuild(guilds, 0);
        results.report("gateway.guild_state_bytes_per_guild", withMembers, "bytes (30 roles, 40 channels, " + members + " members)");
        results.report("gateway.guild_state_bytes_per_member", (withMembers - withoutMembers) / members, "bytes");
    }

    private static double bytesPerGuild(int guilds, int members) {
        GatewayGuildState state = new GatewayGuildState(null, true);
        long before = usedHeap();
        for (int g = 0; g < guilds; g++) {
            state.apply("GUILD_CREATE", guildCreate(((long) g + 1) << 32, members));
        }
        long after = usedHeap();
        if (state.guildCount() != guilds || state.cachedMembers(1L << 32) != members) {
            throw new IllegalStateException("the guild state kept " + state.guildCount() + " of " + guilds + " guilds");
        }
        return (after - before) / (double) guilds;
    }

    private static ObjectNode guildCreate(long id, int memberCount) {
        ObjectNode g = Json.obj();
        g.put("id", Long.toUnsignedString(id));
        g.put("name", "guild " + id);
        g.put("owner_id", Long.toUnsignedString(id + 1000));
        var roles = g.putArray("roles");
        for (int r = 0; r < 30; r++) {
            ObjectNode role = roles.addObject();
            role.put("id", Long.toUnsignedString(r == 0 ? id : id + 1 + r));
            role.put("name", "role " + r);
            role.put("position", r);
            role.put("permissions", Long.toString(1L << (r % 40)));
            role.put("color", 0x3498db);
            role.put("hoist", false);
            role.put("managed", false);
            role.put("mentionable", true);
        }
        var channels = g.putArray("channels");
        for (int c = 0; c < 40; c++) {
            ObjectNode ch = channels.addObject();
            ch.put("id", Long.toUnsignedString(id + 100 + c));
            ch.put("type", 0);
            ch.put("name", "channel-" + c);
            ch.put("position", c);
            ch.put("topic", "what channel " + c + " is for");
            var overwrites = ch.putArray("permission_overwrites");
            for (int o = 0; o < 3; o++) {
                overwrites.addObject().put("id", Long.toUnsignedString(id + 1 + o)).put("type", 0).put("allow", "1024").put("deny", "2048");
            }
        }
        var members = g.putArray("members");
        for (int m = 0; m < memberCount; m++) {
            ObjectNode member = members.addObject();
            member.putObject("user").put("id", Long.toUnsignedString(id + 1000 + m)).put("username", "member" + m)
                    .put("global_name", "Member " + m).putNull("avatar");
            member.putArray("roles").add(Long.toUnsignedString(id + 2)).add(Long.toUnsignedString(id + 3 + m % 20));
            member.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
            member.putNull("nick");
            member.put("deaf", false).put("mute", false);
        }
        return g;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** One message at a time, round-robin over the guilds, for {@code nanos}; each sample is post → reply seen. */
    private long[] latencies(MockDiscord mock, List<long[]> guilds, AtomicLong next, long nanos) throws Exception {
        long[] samples = new long[1 << 20];
        int n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end && n < samples.length) {
            long id = next.incrementAndGet();
            CompletableFuture<Long> reply = new CompletableFuture<>();
            waiting.put(id, reply);
            long start = System.nanoTime();
            post(mock, guilds.get((int) (id % guilds.size())), id);
            samples[n++] = reply.get(30, TimeUnit.SECONDS) - start;
        }
        return Arrays.copyOf(samples, n);
    }

    /** Messages over every guild with {@link #IN_FLIGHT} unanswered at most, for {@code seconds}; returns replies seen. */
    private long throughput(MockDiscord mock, List<long[]> guilds, AtomicLong next, int seconds) throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicLong answered = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long id = next.incrementAndGet();
            CompletableFuture<Long> reply = new CompletableFuture<>();
            reply.thenRun(() -> {
                answered.incrementAndGet();
                slots.release();
            });
            waiting.put(id, reply);
            post(mock, guilds.get((int) (id % guilds.size())), id);
        }
        long counted = answered.get();
        slots.acquire(IN_FLIGHT); // let the rest finish before the next figure
        slots.release(IN_FLIGHT);
        return counted;
    }

    private static void post(MockDiscord mock, long[] guild, long id) {
        ObjectNode body = Json.obj();
        body.put("content", "ping " + id);
        mock.locked(a -> a.memberMessage(guild[0], guild[1], guild[2], body));
    }

    /** Every guild subscribed to MESSAGE with the ping template. */
    private static TenantServices services() {
        return BenchStores.readOnly(Set.of("MESSAGE"), tenant -> List.of(BenchStores.template(tenant, "ping", TEMPLATE,
                List.of("MESSAGE"), List.of("discord:create_message"))), null);
    }
}
