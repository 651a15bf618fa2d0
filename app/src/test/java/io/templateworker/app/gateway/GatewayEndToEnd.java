package io.templateworker.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.app.AppContext;
import io.templateworker.app.CliOptions;
import io.templateworker.app.WorkerType;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.service.RunningService;
import io.templateworker.app.service.Service;
import io.templateworker.app.service.ServiceRunner;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.storage.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole path through the real service in local mode, as an operator sees it: a member writes in a channel of the
 * in-process mock Discord, the mock's gateway delivers MESSAGE_CREATE over a real WebSocket to the service's gateway
 * client, the guild's template (uploaded through the HTTP API) answers through {@code ctx.Discord}, and the reply is in
 * the mock's channel. Subclasses run it on the thread pool and on the process pool (child JVMs reading their own
 * shards).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayEndToEnd {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);
    /** A second guild on worker 1 of 2 (and shard 3 of 4), created in the mock while the service runs. */
    static final long OTHER_GUILD = (3L << 22) * 1_000_001L + 7;
    static final long OTHER_CHANNEL = OTHER_GUILD + 1;
    static final long MISSING_CHANNEL = 1064135068928459999L;
    static final long GUILD = DemoGuild.GUILD_ID;
    static final long GENERAL = DemoGuild.GENERAL_CHANNEL_ID;
    static final long MOD_LOG = DemoGuild.MOD_LOG_CHANNEL_ID;

    /** Answers "ping…" with "pong…", "whoami" with ctx.current_user, fails on "boom", and answers slash commands. */
    static final String TEMPLATE = """
            return {
              MESSAGE = function(ctx)
                local d = ctx.event.data
                local text = d.content
                if string.sub(text, 1, 4) == "ping" then
                  ctx.Discord:create_message({channel_id = d.channel_id, data = {content = "pong" .. string.sub(text, 5)}})
                elseif text == "whoami" then
                  ctx.Discord:create_message({channel_id = d.channel_id,
                    data = {content = "I am " .. ctx.current_user.username .. " " .. ctx.current_user.id}})
                elseif text == "boom" then
                  error("boom from the template")
                elseif text == "register" then
                  local ok, err = pcall(function()
                    return ctx.Discord:create_guild_command({data = {name = "fromtemplate", description = "made by a template"}})
                  end)
                  ctx.Discord:create_message({channel_id = d.channel_id,
                    data = {content = ok and "registered" or ("refused: " .. tostring(err))}})
                end
              end,
              INTERACTION_CREATE = function(ctx)
                local i = ctx.event.data
                ctx.Discord:create_interaction_response({interaction_id = i.id, interaction_token = i.token,
                  data = {type = 4, data = {content = "hello " .. i.member.user.id .. " from /" .. i.data.name, flags = 64}}})
                ctx.Discord:create_followup_message({interaction_token = i.token, data = {content = "and a follow-up"}})
              end,
            }
            """;
    /** Fails on "boom-gone" and reports to a channel that does not exist. */
    static final String BROKEN = """
            return {
              MESSAGE = function(ctx)
                if ctx.event.data.content == "boom-gone" then error("boom towards a channel that is gone") end
              end,
            }
            """;

    final HttpClient http = HttpClient.newHttpClient();
    Path dir;
    RunningService running;
    MockDiscord mock;
    int workers = 2;

    abstract WorkerType workerType();

    abstract BiFunction<AppContext, Service, DiscordSetup> mode();

    /** Extra configuration (the process pool's children read only the environment, so both use defaults there). */
    Map<String, String> env() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gateway-e2e");
        Map<String, String> env = new HashMap<>(env());
        env.put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0");
        env.put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
        env.put("TW_ADDRS_MESOPHYLL_SERVER", "127.0.0.1:0"); // the process pool's; a fixed port clashes with other runs
        env.put("TW_DATABASE_URL", TestPostgres.freshDatabaseUrl());
        env.put("TW_META_DEFAULT_ERROR_CHANNEL", Long.toString(GENERAL));
        var config = ConfigLoader.load(null, dir.resolve("data"), env, dir);
        AppContext ctx = new AppContext(new CliOptions(workerType(), 4, workers, null, false, null, null), config,
                System.currentTimeMillis(), "test");
        DiscordSetup[] discord = new DiscordSetup[1];
        running = ServiceRunner.start(ctx, service -> discord[0] = mode().apply(ctx, service));
        mock = discord[0].mock();
        mock.rateLimits().disable();
        // A second guild, on the other worker; the gateway announces it with GUILD_CREATE.
        admin("POST", "/guilds", """
                {"id": "%d", "name": "other", "owner_id": "%d", "roles": [{"id": "%d", "name": "bot", "position": 1,
                 "permissions": "%d"}], "channels": [{"id": "%d", "name": "general", "type": 0}],
                 "members": [{"user": {"id": "%d", "username": "alice"}}], "bot_roles": ["%d"]}"""
                .formatted(OTHER_GUILD, DemoGuild.ALICE_ID, OTHER_GUILD + 2, DemoGuild.BOT_PERMISSIONS, OTHER_CHANNEL,
                        DemoGuild.ALICE_ID, OTHER_GUILD + 2));
        putTemplate(GUILD, "answers", TEMPLATE, null, "MESSAGE", "INTERACTION_CREATE");
        putTemplate(GUILD, "broken", BROKEN, Long.toString(MISSING_CHANNEL), "MESSAGE");
        putTemplate(OTHER_GUILD, "answers", TEMPLATE, null, "MESSAGE", "INTERACTION_CREATE");
        int shards = Integer.parseInt(env.getOrDefault("TW_DISCORD_SHARDS", Integer.toString(workers)));
        await().atMost(WAIT).until(() -> connectedShards() == shards);
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void ping_in_a_channel_is_answered_pong_by_the_guilds_template() throws Exception {
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping");
        await().atMost(WAIT).until(() -> botMessages(GENERAL, "pong").size() == 1);
        JsonNode reply = botMessages(GENERAL, "pong").get(0);
        assertThat(reply.path("author").path("bot").asBoolean()).isTrue();
    }

    @Test
    void ctx_current_user_is_the_bot_user_from_ready() throws Exception {
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "whoami");
        await().atMost(WAIT).until(() -> !botMessagesStarting(GENERAL, "I am ").isEmpty());
        assertThat(botMessagesStarting(GENERAL, "I am ").get(0).path("content").asText())
                .endsWith(" " + Long.toUnsignedString(mock.botId()));
    }

    @Test
    void each_guilds_events_reach_the_worker_that_owns_it() throws Exception {
        say(OTHER_GUILD, OTHER_CHANNEL, DemoGuild.ALICE_ID, "ping other");
        await().atMost(WAIT).until(() -> botMessages(OTHER_CHANNEL, "pong other").size() == 1);
    }

    @Test
    void a_slash_command_is_answered_with_an_ephemeral_response_and_a_follow_up() throws Exception {
        admin("POST", "/guilds/" + GUILD + "/interactions", """
                {"user_id": "%d", "channel_id": "%d", "command": "hello", "options": []}""".formatted(DemoGuild.ALICE_ID, MOD_LOG));
        await().atMost(WAIT).until(() -> botMessages(MOD_LOG, "and a follow-up").size() == 1);
        List<JsonNode> response = botMessages(MOD_LOG, "hello " + DemoGuild.ALICE_ID + " from /hello");
        assertThat(response).hasSize(1);
        assertThat(response.get(0).path("flags").asInt() & 64).as("ephemeral flag kept").isEqualTo(64);
    }

    @Test
    void guild_commands_from_a_template_need_the_staff_set_flag() throws Exception {
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "register");
        await().atMost(WAIT).until(() -> !botMessagesStarting(GENERAL, "refused: ").isEmpty());
        assertThat(botMessagesStarting(GENERAL, "refused: ").get(0).path("content").asText())
                .contains("not authorized").contains("can_manage_guild_commands");
        assertThat(guildCommands()).isEmpty();
        // Staff grant it (what the shell's ctx:SetTenantCanManageGuildCommands does: the flag, then the guild's VM dropped).
        new io.templateworker.storage.state.PostgresTenantStateStore(running.service().database().dataSource())
                .setCanManageGuildCommands(io.templateworker.runtime.store.TenantId.guild(GUILD), true);
        api("POST", "/i/regenerate-cache/" + GUILD, null);
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "register");
        await().atMost(WAIT).until(() -> botMessages(GENERAL, "registered").size() == 1);
        assertThat(guildCommands()).extracting(c -> c.path("name").asText()).containsExactly("fromtemplate");
    }

    JsonNode guildCommands() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.apiBase() + "/applications/"
                + Long.toUnsignedString(mock.botId()) + "/guilds/" + GUILD + "/commands"))
                .header("Authorization", "Bot " + mock.botToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void after_a_dropped_connection_the_client_resumes_and_nothing_is_lost_or_doubled() throws Exception {
        int resumesBefore = admin("GET", "/gateway", null).path("resumes").asInt();
        admin("POST", "/gateway/drop", "{}");
        for (int i = 0; i < 5; i++) {
            say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping resume-" + i); // sent while the shards reconnect
        }
        await().atMost(WAIT).until(() -> admin("GET", "/gateway", null).path("resumes").asInt() > resumesBefore);
        for (int i = 0; i < 5; i++) {
            String expected = "pong resume-" + i;
            await().atMost(WAIT).until(() -> botMessages(GENERAL, expected).size() >= 1);
        }
        // Every reply exactly once, after a settle that would show doubles (a replayed event dispatched again).
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping resume-marker");
        await().atMost(WAIT).until(() -> botMessages(GENERAL, "pong resume-marker").size() == 1);
        for (int i = 0; i < 5; i++) {
            assertThat(botMessages(GENERAL, "pong resume-" + i)).as("replies to ping resume-%d", i).hasSize(1);
        }
    }

    @Test
    void a_failing_template_posts_the_error_embed_and_a_gone_error_channel_is_cleared() throws Exception {
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "boom");
        // "answers" has no error channel: the report goes to meta.default_error_channel (#general here).
        await().atMost(WAIT).until(() -> !errorReports(GENERAL, "boom from the template").isEmpty());
        JsonNode embed = errorReports(GENERAL, "boom from the template").get(0).path("embeds").get(0);
        assertThat(embed.path("title").asText()).isEqualTo("Error executing template");
        assertThat(embed.path("description").asText()).startsWith("```lua\n");
        assertThat(embed.path("fields").get(0).path("value").asText()).isEqualTo("answers");

        // "broken" reports to a channel that does not exist: Discord answers 404 and the channel is cleared.
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "boom-gone");
        await().atMost(WAIT).until(() -> api("GET", "/guilds/" + GUILD + "/templates/broken", null).path("error_channel").isNull());
    }

    // ---- helpers ----

    int connectedShards() throws Exception {
        int n = 0;
        for (JsonNode s : admin("GET", "/gateway", null).path("sessions")) {
            n += s.path("connected").asBoolean() ? 1 : 0;
        }
        return n;
    }

    void say(long guild, long channel, long author, String content) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("author_id", Long.toString(author)).put("content", content);
        admin("POST", "/guilds/" + guild + "/channels/" + channel + "/messages", body.toString());
    }

    /** The bot's messages in a channel with this content. */
    List<JsonNode> botMessages(long channel, String content) throws Exception {
        return botMessages(channel, c -> c.equals(content));
    }

    List<JsonNode> botMessagesStarting(long channel, String prefix) throws Exception {
        return botMessages(channel, c -> c.startsWith(prefix));
    }

    List<JsonNode> botMessages(long channel, Predicate<String> content) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : admin("GET", "/channels/" + channel + "/messages", null)) {
            if (m.path("author").path("id").asText().equals(Long.toUnsignedString(mock.botId()))
                    && content.test(m.path("content").asText())) {
                out.add(m);
            }
        }
        return out;
    }

    List<JsonNode> errorReports(long channel, String error) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : admin("GET", "/channels/" + channel + "/messages", null)) {
            JsonNode embed = m.path("embeds").path(0);
            if (embed.path("title").asText().equals("Error executing template") && embed.path("description").asText().contains(error)) {
                out.add(m);
            }
        }
        return out;
    }

    void putTemplate(long guild, String name, String code, String errorChannel, String... events) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("content").put("init.luau", code);
        var list = body.putArray("events");
        for (String e : events) {
            list.add(e);
        }
        body.putArray("allowed_caps").add("discord:create_message").add("discord:create_interaction_response")
                .add("discord:create_followup_message").add("discord:create_guild_command");
        body.put("paused", false);
        body.put("error_channel", errorChannel);
        api("PUT", "/guilds/" + guild + "/templates/" + name, body.toString());
    }

    JsonNode admin(String method, String path, String body) throws Exception {
        return call(mock.baseUrl() + "/__mock" + path, method, body);
    }

    JsonNode api(String method, String path, String body) throws Exception {
        return call("http://127.0.0.1:" + running.port() + path, method, body);
    }

    JsonNode call(String url, String method, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, url, r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }
}
