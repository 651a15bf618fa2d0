package io.templateworker.discord.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.gateway.GatewayIntents;
import io.templateworker.mockdiscord.state.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway client against the mock Discord's gateway, over real WebSockets. */
class DiscordGatewayTest {

    static final int INTENTS = GatewayConfig.DEFAULT_INTENTS;
    static final Duration WAIT = Duration.ofSeconds(20);

    MockDiscord mock;
    DiscordRestClient rest;
    DiscordGateway gateway;
    final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    final List<ShardStatus> statuses = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        mock = MockDiscord.start(MockDiscord.Options.defaults());
        mock.rateLimits().disable();
        DemoGuild.seed(mock);
        // Short identify windows so re-identifying tests need not wait Discord's 5 s.
        mock.gateway().settings(mock.gateway().settings().withIdentifyLimit(16, Duration.ofMillis(100)));
        rest = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
    }

    /** Silences the shard's log for a test whose errors are the point (restored after each test). */
    static void expectErrors() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GatewayShard.class)).setLevel(ch.qos.logback.classic.Level.OFF);
    }

    @AfterEach
    void stop() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GatewayShard.class)).setLevel(null);
        if (gateway != null) {
            gateway.close();
        }
        rest.close();
        mock.close();
    }

    GatewayConfig config(int shards) {
        return GatewayConfig.defaults(mock.botToken(), INTENTS, shards)
                .withTimings(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(20));
    }

    DiscordGateway startGateway(GatewayConfig config) {
        gateway = new DiscordGateway(config, () -> DiscordGateway.GatewayBot.fetch(rest), new GatewayListener() {
            @Override
            public void onEvent(GatewayEvent event) {
                events.add(event);
            }

            @Override
            public void onStatus(int shard, ShardStatus status) {
                statuses.add(status);
            }
        }).start();
        return gateway;
    }

    GatewayEvent next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            GatewayEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " within " + WAIT);
    }

    void post(String content) {
        mock.locked(a -> a.memberMessage(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID, DemoGuild.ALICE_ID,
                Json.obj().put("content", content)));
    }

    /** The contents of the next {@code n} messages, failing on anything delivered twice. */
    List<String> messages(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long last = 0;
        while (out.size() < n) {
            GatewayEvent e = next("MESSAGE_CREATE");
            assertThat(e.seq()).as("sequence numbers only grow: nothing is delivered twice").isGreaterThan(last);
            last = e.seq();
            out.add(e.data().path("content").asText());
        }
        return out;
    }

    @Test
    void identifies_gets_ready_with_the_bot_user_and_its_guilds_then_dispatches() throws Exception {
        startGateway(config(1));
        GatewayEvent ready = next("READY");
        assertThat(ready.data().path("user").path("id").asText()).isEqualTo(Json.id(mock.botId()));
        GatewayEvent create = next("GUILD_CREATE");
        assertThat(create.data().path("id").asText()).isEqualTo(Json.id(DemoGuild.GUILD_ID));
        await().atMost(WAIT).until(gateway::allReady);
        assertThat(gateway.currentUser().path("id").asText()).isEqualTo(Json.id(mock.botId()));
        post("hello");
        assertThat(next("MESSAGE_CREATE").data().path("content").asText()).isEqualTo("hello");
        assertThat(gateway.stats().get(0).guilds()).isEqualTo(1);
        assertThat(mock.gateway().describe().at("/sessions/0/intents").asInt()).isEqualTo(INTENTS);
    }

    @Test
    void a_dropped_connection_resumes_and_loses_or_repeats_nothing() throws Exception {
        startGateway(config(1));
        next("GUILD_CREATE");
        await().atMost(WAIT).until(gateway::allReady);
        String session = gateway.sessionId(0);
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            post("before drop " + round);
            sent.add("before drop " + round);
            int resumed = mock.gateway().resumes();
            assertThat(mock.gateway().drop(null, null)).isEqualTo(1);
            for (int i = 0; i < 5; i++) {
                post("round " + round + " #" + i); // some while no connection is up: replayed on resume
                sent.add("round " + round + " #" + i);
            }
            await().atMost(WAIT).until(() -> mock.gateway().resumes() > resumed && gateway.allReady());
        }
        assertThat(messages(sent.size())).containsExactlyElementsOf(sent);
        assertThat(gateway.sessionId(0)).isEqualTo(session);
        assertThat(mock.gateway().identifies()).isEqualTo(1);
        GatewayEvent more;
        while ((more = events.poll(300, TimeUnit.MILLISECONDS)) != null) {
            assertThat(more.type()).as("nothing more, nothing twice").isEqualTo("RESUMED");
        }
    }

    @Test
    void unacknowledged_heartbeats_make_it_drop_the_zombie_connection_and_resume() throws Exception {
        expectErrors();
        mock.gateway().settings(mock.gateway().settings().withHeartbeatInterval(Duration.ofMillis(200)));
        startGateway(config(1));
        next("GUILD_CREATE");
        await().atMost(WAIT).until(gateway::allReady);
        mock.gateway().settings(mock.gateway().settings().withAckHeartbeats(false));
        await().atMost(WAIT).until(() -> mock.gateway().resumes() >= 1);
        mock.gateway().settings(mock.gateway().settings().withAckHeartbeats(true));
        await().atMost(WAIT).until(gateway::allReady);
        post("after the zombie");
        assertThat(messages(1)).containsExactly("after the zombie");
        assertThat(mock.gateway().identifies()).as("resumed, never identified again").isEqualTo(1);
    }

    @Test
    void an_invalid_session_makes_it_identify_again() throws Exception {
        startGateway(config(1));
        next("GUILD_CREATE");
        await().atMost(WAIT).until(gateway::allReady);
        String first = gateway.sessionId(0);
        assertThat(mock.gateway().invalidate(null, false)).isEqualTo(1);
        GatewayEvent ready = next("READY");
        assertThat(ready.data().path("session_id").asText()).isNotEqualTo(first);
        await().atMost(WAIT).until(() -> gateway.allReady() && !first.equals(gateway.sessionId(0)));
        assertThat(mock.gateway().identifies()).isEqualTo(2);
        post("new session");
        assertThat(messages(1)).containsExactly("new session");
    }

    @Test
    void a_reconnect_request_resumes_the_session() throws Exception {
        startGateway(config(1));
        next("GUILD_CREATE");
        await().atMost(WAIT).until(gateway::allReady);
        mock.gateway().requestReconnect(null);
        await().atMost(WAIT).until(() -> mock.gateway().resumes() == 1 && gateway.allReady());
        post("still here");
        assertThat(messages(1)).containsExactly("still here");
    }

    @Test
    void a_refused_token_stops_the_shard_with_a_message_saying_what_to_fix() throws Exception {
        expectErrors();
        gateway = new DiscordGateway(GatewayConfig.defaults("not-the-token", INTENTS, 1), () -> DiscordGateway.GatewayBot.fetch(rest),
                event -> events.add(event)).start();
        await().atMost(WAIT).until(() -> gateway.status(0) == ShardStatus.FAILED);
        assertThat(gateway.stats().get(0).failure()).contains("4004").contains("discord_auth.token");
        assertThat(mock.gateway().identifies()).isZero();
    }

    @Test
    void disallowed_privileged_intents_stop_the_shard_and_name_the_intents() throws Exception {
        expectErrors();
        mock.gateway().settings(mock.gateway().settings().withPrivilegedIntents(GatewayIntents.GUILD_MEMBERS));
        startGateway(config(1));
        await().atMost(WAIT).until(() -> gateway.status(0) == ShardStatus.FAILED);
        assertThat(gateway.stats().get(0).failure()).contains("4014").contains("MESSAGE_CONTENT").contains("discord.intents");
    }

    @Test
    void each_shard_receives_the_events_of_its_guilds() throws Exception {
        long[] guilds = {guildOnShard(0, 2), guildOnShard(1, 2)};
        for (long g : guilds) {
            createGuild(g);
        }
        mock.setShards(2);
        startGateway(config(2));
        await().atMost(WAIT).until(gateway::allReady);
        for (long g : guilds) {
            mock.locked(a -> a.memberMessage(g, g + 1, g + 2, Json.obj().put("content", "in " + g)));
        }
        int seen = 0;
        while (seen < 2) {
            GatewayEvent e = next("MESSAGE_CREATE");
            long guild = Long.parseUnsignedLong(e.data().path("guild_id").asText());
            assertThat(e.shard()).isEqualTo((int) ((guild >>> 22) % 2));
            seen++;
        }
    }

    @Test
    void identifies_are_paced_by_max_concurrency() throws Exception {
        Duration window = Duration.ofMillis(400);
        // The mock enforces half the client's window: an identify sent on time may still arrive early after a
        // delayed predecessor (scheduling jitter on a loaded machine), while unpaced identifies arrive at once.
        mock.gateway().settings(mock.gateway().settings().withIdentifyLimit(1, window.dividedBy(2)));
        List<Long> readyAt = java.util.Collections.synchronizedList(new ArrayList<>());
        gateway = new DiscordGateway(config(3).withTimings(window, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(20)),
                () -> DiscordGateway.GatewayBot.fetch(rest), event -> {
                    if (event.type().equals("READY")) {
                        readyAt.add(System.nanoTime());
                    }
                }).start();
        await().atMost(WAIT).until(gateway::allReady);
        assertThat(mock.gateway().invalidSessions()).as("no identify came too early").isZero();
        assertThat(mock.gateway().identifies()).isEqualTo(3);
        List<Long> sorted = readyAt.stream().sorted().toList();
        assertThat(IntStream.range(1, sorted.size()).mapToLong(i -> sorted.get(i) - sorted.get(i - 1)).min().orElseThrow())
                .isGreaterThanOrEqualTo(window.toNanos() / 2);
    }

    @Test
    void zlib_stream_transport_compression_works_end_to_end() throws Exception {
        startGateway(config(1).withZlibStream(true));
        next("GUILD_CREATE");
        await().atMost(WAIT).until(gateway::allReady);
        post("compressed");
        assertThat(messages(1)).containsExactly("compressed");
    }

    /** A guild id whose shard out of {@code shards} is {@code shard}. */
    static long guildOnShard(int shard, int shards) {
        long id = 1200000000000000000L;
        while (((id >>> 22) % shards) != shard) {
            id += 1L << 22;
        }
        return id;
    }

    void createGuild(long id) {
        ObjectNode spec = Json.obj();
        spec.put("id", Json.id(id));
        spec.put("name", "g" + id);
        spec.putArray("channels").addObject().put("id", Json.id(id + 1)).put("name", "general");
        spec.putArray("members").addObject().putObject("user").put("id", Json.id(id + 2)).put("username", "u" + id);
        mock.locked(a -> a.createGuild(spec));
    }
}
