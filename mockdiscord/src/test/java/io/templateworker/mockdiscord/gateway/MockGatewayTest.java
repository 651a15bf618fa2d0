package io.templateworker.mockdiscord.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MockGatewayTest {

    static final int GUILDS_AND_MESSAGES = GatewayIntents.GUILDS | GatewayIntents.GUILD_MESSAGES;
    static final String G = Json.id(DemoGuild.GUILD_ID);
    static final String GENERAL = Json.id(DemoGuild.GENERAL_CHANNEL_ID);

    MockDiscord discord;
    final List<GatewayTestClient> clients = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        discord = MockDiscord.start(MockDiscord.Options.defaults());
        discord.rateLimits().disable();
        DemoGuild.seed(discord);
    }

    @AfterEach
    void stop() {
        clients.forEach(GatewayTestClient::close);
        discord.close();
    }

    GatewayTestClient connect() {
        GatewayTestClient c = GatewayTestClient.connect(discord.gatewayUrl());
        clients.add(c);
        return c;
    }

    /** Connects, identifies and reads READY; returns the client with READY as its last read. */
    JsonNode ready(GatewayTestClient c, int intents, int shardId, int shards) throws Exception {
        assertThat(c.next().path("op").asInt()).isEqualTo(10);
        c.identify(discord.botToken(), intents, shardId, shards);
        JsonNode ready = c.nextDispatch();
        assertThat(ready.path("t").asText()).isEqualTo("READY");
        return ready;
    }

    JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(discord.baseUrl() + "/__mock" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        return r.body().isEmpty() ? null : GatewayTestClient.JSON.readTree(r.body());
    }

    void post(long authorId, String content) throws Exception {
        admin("POST", "/guilds/" + G + "/channels/" + GENERAL + "/messages",
                "{\"author_id\":\"" + authorId + "\",\"content\":\"" + content + "\"}");
    }

    @Test
    void hello_identify_ready_guild_create_then_dispatches_in_sequence() throws Exception {
        GatewayTestClient c = connect();
        JsonNode hello = c.next();
        assertThat(hello.path("op").asInt()).isEqualTo(10);
        assertThat(hello.at("/d/heartbeat_interval").asLong()).isEqualTo(41_250);
        c.identify(discord.botToken(), GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 0, 1);
        JsonNode ready = c.nextDispatch();
        assertThat(ready.path("t").asText()).isEqualTo("READY");
        assertThat(ready.path("s").asLong()).isEqualTo(1);
        assertThat(ready.at("/d/user/id").asText()).isEqualTo(Json.id(discord.botId()));
        assertThat(ready.at("/d/session_id").asText()).isNotBlank();
        assertThat(ready.at("/d/resume_gateway_url").asText()).isEqualTo(discord.gatewayUrl());
        assertThat(ready.at("/d/guilds/0/id").asText()).isEqualTo(G);
        assertThat(ready.at("/d/guilds/0/unavailable").asBoolean()).isTrue();
        JsonNode create = c.nextDispatch();
        assertThat(create.path("t").asText()).isEqualTo("GUILD_CREATE");
        assertThat(create.path("s").asLong()).isEqualTo(2);
        assertThat(create.at("/d/channels")).isNotEmpty();
        assertThat(create.at("/d/roles")).isNotEmpty();
        // Without GUILD_MEMBERS, GUILD_CREATE lists only the bot itself, as on Discord.
        assertThat(create.at("/d/members")).hasSize(1);

        post(DemoGuild.ALICE_ID, "hello");
        JsonNode message = c.nextDispatch();
        assertThat(message.path("t").asText()).isEqualTo("MESSAGE_CREATE");
        assertThat(message.path("s").asLong()).isEqualTo(3);
        assertThat(message.at("/d/content").asText()).isEqualTo("hello");
        assertThat(message.at("/d/guild_id").asText()).isEqualTo(G);
        assertThat(message.at("/d/author/id").asText()).isEqualTo(Json.id(DemoGuild.ALICE_ID));

        // A member joining needs GUILD_MEMBERS, which this client did not ask for.
        admin("POST", "/guilds/" + G + "/members", "{\"user\":{\"username\":\"carol\"}}");
        post(DemoGuild.BOB_ID, "second");
        assertThat(c.nextDispatch().at("/d/content").asText()).isEqualTo("second");
    }

    @Test
    void heartbeats_are_acknowledged_unless_the_connection_is_made_a_zombie() throws Exception {
        GatewayTestClient c = connect();
        ready(c, GUILDS_AND_MESSAGES, 0, 1);
        c.send("{\"op\":1,\"d\":1}");
        JsonNode ack;
        do {
            ack = c.next();
        } while (ack.path("op").asInt() == 0);
        assertThat(ack.path("op").asInt()).isEqualTo(11);
        admin("PUT", "/gateway", "{\"ack_heartbeats\": false}");
        c.send("{\"op\":1,\"d\":2}");
        assertThat(c.poll(Duration.ofMillis(300))).isNull();
    }

    @Test
    void without_message_content_the_content_is_empty_except_when_the_bot_is_mentioned() throws Exception {
        GatewayTestClient c = connect();
        ready(c, GUILDS_AND_MESSAGES, 0, 1);
        c.nextDispatch(); // GUILD_CREATE
        post(DemoGuild.ALICE_ID, "secret");
        JsonNode hidden = c.nextDispatch();
        assertThat(hidden.at("/d/content").asText()).isEmpty();
        assertThat(hidden.at("/d/id").asText()).isNotBlank();
        post(DemoGuild.ALICE_ID, "hey <@" + discord.botId() + "> ping");
        assertThat(c.nextDispatch().at("/d/content").asText()).isEqualTo("hey <@" + discord.botId() + "> ping");
    }

    @Test
    void a_dropped_connection_resumes_and_gets_every_missed_dispatch_once_then_resumed() throws Exception {
        GatewayTestClient c = connect();
        JsonNode ready = ready(c, GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 0, 1);
        String session = ready.at("/d/session_id").asText();
        c.nextDispatch(); // GUILD_CREATE, s = 2
        post(DemoGuild.ALICE_ID, "one"); // s = 3
        assertThat(c.nextDispatch().path("s").asLong()).isEqualTo(3);
        assertThat(admin("POST", "/gateway/drop", "{}").path("dropped").asInt()).isEqualTo(1);
        c.awaitClose();
        post(DemoGuild.ALICE_ID, "two"); // s = 4, while nobody is connected
        post(DemoGuild.ALICE_ID, "three"); // s = 5

        GatewayTestClient again = connect();
        assertThat(again.next().path("op").asInt()).isEqualTo(10);
        again.resume(discord.botToken(), session, 3);
        JsonNode two = again.nextDispatch();
        JsonNode three = again.nextDispatch();
        assertThat(List.of(two.path("s").asLong(), three.path("s").asLong())).containsExactly(4L, 5L);
        assertThat(List.of(two.at("/d/content").asText(), three.at("/d/content").asText())).containsExactly("two", "three");
        assertThat(again.nextDispatch().path("t").asText()).isEqualTo("RESUMED");
        post(DemoGuild.ALICE_ID, "four");
        assertThat(again.nextDispatch().path("s").asLong()).isEqualTo(6);
        assertThat(discord.gateway().resumes()).isEqualTo(1);
    }

    @Test
    void a_drop_with_a_close_code_sends_that_code() throws Exception {
        GatewayTestClient c = connect();
        ready(c, GUILDS_AND_MESSAGES, 0, 1);
        admin("POST", "/gateway/drop", "{\"code\": 4000}");
        assertThat(c.awaitClose()).isEqualTo(4000);
    }

    @Test
    void invalid_sessions_cannot_be_resumed_and_the_client_identifies_again() throws Exception {
        admin("PUT", "/gateway", "{\"identify_window_ms\": 0}");
        GatewayTestClient c = connect();
        String session = ready(c, GUILDS_AND_MESSAGES, 0, 1).at("/d/session_id").asText();
        c.nextDispatch();
        assertThat(admin("POST", "/gateway/invalidate", "{\"resumable\": false}").path("invalidated").asInt()).isEqualTo(1);
        JsonNode invalid = c.next();
        assertThat(invalid.path("op").asInt()).isEqualTo(9);
        assertThat(invalid.path("d").asBoolean()).isFalse();

        GatewayTestClient again = connect();
        again.next();
        again.resume(discord.botToken(), session, 2);
        JsonNode refused = again.next();
        assertThat(refused.path("op").asInt()).isEqualTo(9);
        assertThat(refused.path("d").asBoolean()).isFalse();
        again.identify(discord.botToken(), GUILDS_AND_MESSAGES, 0, 1);
        JsonNode ready = again.nextDispatch();
        assertThat(ready.path("t").asText()).isEqualTo("READY");
        assertThat(ready.at("/d/session_id").asText()).isNotEqualTo(session);
    }

    @Test
    void reconnect_requests_reach_the_client() throws Exception {
        GatewayTestClient c = connect();
        ready(c, GUILDS_AND_MESSAGES, 0, 1);
        c.nextDispatch();
        admin("POST", "/gateway/reconnect", "{}");
        assertThat(c.next().path("op").asInt()).isEqualTo(7);
    }

    @Test
    void each_shard_gets_the_guilds_whose_id_maps_to_it() throws Exception {
        long evenGuild = findGuildId(0, 2);
        long oddGuild = findGuildId(1, 2);
        createGuild(evenGuild);
        createGuild(oddGuild);
        GatewayTestClient shard0 = connect();
        GatewayTestClient shard1 = connect();
        JsonNode ready0 = ready(shard0, GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 0, 2);
        JsonNode ready1 = ready(shard1, GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 1, 2);
        List<String> guilds0 = new ArrayList<>();
        ready0.at("/d/guilds").forEach(g -> guilds0.add(g.path("id").asText()));
        List<String> guilds1 = new ArrayList<>();
        ready1.at("/d/guilds").forEach(g -> guilds1.add(g.path("id").asText()));
        assertThat(guilds0).contains(Json.id(evenGuild)).doesNotContain(Json.id(oddGuild));
        assertThat(guilds1).contains(Json.id(oddGuild)).doesNotContain(Json.id(evenGuild));
        for (int i = 0; i < guilds0.size(); i++) {
            shard0.nextDispatch();
        }
        for (int i = 0; i < guilds1.size(); i++) {
            shard1.nextDispatch();
        }
        admin("POST", "/guilds/" + oddGuild + "/channels/" + (oddGuild + 1) + "/messages", "{\"author_id\":\"" + (oddGuild + 2) + "\",\"content\":\"odd\"}");
        admin("POST", "/guilds/" + evenGuild + "/channels/" + (evenGuild + 1) + "/messages", "{\"author_id\":\"" + (evenGuild + 2) + "\",\"content\":\"even\"}");
        assertThat(shard0.nextDispatch().at("/d/content").asText()).isEqualTo("even");
        assertThat(shard1.nextDispatch().at("/d/content").asText()).isEqualTo("odd");
        assertThat(shard0.poll(Duration.ofMillis(200))).isNull();
    }

    @Test
    void identifies_are_paced_by_max_concurrency() throws Exception {
        admin("PUT", "/gateway", "{\"max_concurrency\": 1, \"identify_window_ms\": 60000}");
        GatewayTestClient first = connect();
        ready(first, GUILDS_AND_MESSAGES, 0, 2);
        GatewayTestClient second = connect();
        second.next();
        second.identify(discord.botToken(), GUILDS_AND_MESSAGES, 1, 2);
        JsonNode tooSoon = second.next();
        assertThat(tooSoon.path("op").asInt()).isEqualTo(9);
        JsonNode info = GatewayTestClient.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(discord.apiBase() + "/gateway/bot"))
                .header("Authorization", "Bot " + discord.botToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(info.at("/session_start_limit/max_concurrency").asInt()).isEqualTo(1);
        assertThat(info.path("url").asText()).isEqualTo(discord.gatewayUrl());
    }

    @Test
    void wrong_tokens_and_disallowed_intents_close_with_discords_codes() throws Exception {
        GatewayTestClient c = connect();
        c.next();
        c.identify("wrong", GUILDS_AND_MESSAGES, 0, 1);
        assertThat(c.awaitClose()).isEqualTo(4004);

        admin("PUT", "/gateway", "{\"privileged_intents\": 0}");
        GatewayTestClient d = connect();
        d.next();
        d.identify(discord.botToken(), GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 0, 1);
        assertThat(d.awaitClose()).isEqualTo(4014);

        GatewayTestClient e = connect();
        e.next();
        e.identify(discord.botToken(), GUILDS_AND_MESSAGES, 2, 2);
        assertThat(e.awaitClose()).isEqualTo(4010);

        GatewayTestClient f = connect();
        f.next();
        f.send("{\"op\":99,\"d\":null}");
        assertThat(f.awaitClose()).isEqualTo(4001);
    }

    @Test
    void zlib_stream_compresses_the_whole_connection() throws Exception {
        GatewayTestClient c = new GatewayTestClient(discord.gatewayUrl() + "?v=10&encoding=json&compress=zlib-stream");
        clients.add(c);
        ready(c, GUILDS_AND_MESSAGES | GatewayIntents.MESSAGE_CONTENT, 0, 1);
        c.nextDispatch();
        post(DemoGuild.ALICE_ID, "compressed");
        assertThat(c.nextDispatch().at("/d/content").asText()).isEqualTo("compressed");
    }

    @Test
    void the_gateway_admin_routes_are_documented() throws Exception {
        JsonNode doc = admin("GET", "/openapi", null);
        assertThat(doc.path("paths").fieldNames()).toIterable().contains("/__mock/gateway", "/__mock/gateway/drop",
                "/__mock/gateway/invalidate", "/__mock/gateway/reconnect");
    }

    /** A guild id (a snowflake of "now" plus n) whose shard out of {@code shards} is {@code shard}. */
    private static long findGuildId(int shard, int shards) {
        long id = 1200000000000000000L;
        while (((id >>> 22) % shards) != shard) {
            id += 1L << 22;
        }
        return id;
    }

    private void createGuild(long id) throws Exception {
        ObjectNode spec = Json.obj();
        spec.put("id", Json.id(id));
        spec.put("name", "g" + id);
        spec.putArray("channels").addObject().put("id", Json.id(id + 1)).put("name", "general");
        spec.putArray("members").addObject().putObject("user").put("id", Json.id(id + 2)).put("username", "u" + id);
        admin("POST", "/guilds", spec.toString());
    }
}
