package io.templateworker.mockdiscord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MockDiscordTest {

    MockDiscord discord;
    Http http;
    final List<MockEvent> events = new CopyOnWriteArrayList<>();
    static final String G = Json.id(DemoGuild.GUILD_ID);
    static final String GENERAL = Json.id(DemoGuild.GENERAL_CHANNEL_ID);

    @BeforeEach
    void start() {
        discord = MockDiscord.start(MockDiscord.Options.defaults());
        discord.rateLimits().disable();
        DemoGuild.seed(discord);
        discord.addListener(events::add);
        http = new Http(discord);
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    @Test
    void bot_posts_a_message_that_the_admin_route_lists_with_author_bot() {
        Http.Response r = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "hello"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("author").path("bot").asBoolean()).isTrue();
        http.admin("POST", "/guilds/" + G + "/channels/" + GENERAL + "/messages",
                Map.of("author_id", Json.id(DemoGuild.ALICE_ID), "content", "hi bot"));
        JsonNode list = http.admin("GET", "/channels/" + GENERAL + "/messages", null).body();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("content").asText()).isEqualTo("hello");
        assertThat(list.get(0).path("author").path("bot").asBoolean()).isTrue();
        assertThat(list.get(1).path("author").path("username").asText()).isEqualTo("alice");
        assertThat(events).extracting(MockEvent::type).containsExactly("MESSAGE_CREATE", "MESSAGE_CREATE");
        // The API lists newest first.
        JsonNode api = http.bot("GET", "/channels/" + GENERAL + "/messages?limit=10", null).body();
        assertThat(api.get(0).path("content").asText()).isEqualTo("hi bot");
    }

    @Test
    void the_requests_route_lists_what_the_api_received_with_route_and_status() {
        http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "hi"));
        http.bot("GET", "/channels/" + GENERAL + "/messages/1234", null);
        http.bot("GET", "/nothing/here", null);
        http.admin("GET", "/state", null); // admin routes are not Discord requests
        JsonNode list = http.admin("GET", "/requests", null).body();
        assertThat(list).hasSize(3);
        assertThat(list.get(0).path("method").asText()).isEqualTo("POST");
        assertThat(list.get(0).path("route").asText()).isEqualTo("/channels/{channel_id}/messages");
        assertThat(list.get(0).path("path").asText()).isEqualTo("/channels/" + GENERAL + "/messages");
        assertThat(list.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(list.get(1).path("route").asText()).isEqualTo("/channels/{channel_id}/messages/{message_id}");
        assertThat(list.get(1).path("status").asInt()).isEqualTo(404);
        assertThat(list.get(2).path("route").isNull()).isTrue();
        assertThat(list.get(2).path("path").asText()).isEqualTo("/nothing/here");
        assertThat(http.admin("DELETE", "/requests", null).status()).isEqualTo(204);
        assertThat(http.admin("GET", "/requests", null).body()).isEmpty();
        assertThat(discord.requests()).isEmpty();
    }

    @Test
    void errors_have_discords_status_code_and_message() {
        Http.Response unknown = http.bot("GET", "/channels/" + GENERAL + "/messages/1234", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("code").asInt()).isEqualTo(10008);
        assertThat(unknown.body().path("message").asText()).isEqualTo("Unknown Message");

        Http.Response noAuth = http.api("GET", "/users/@me", null, "Bot wrong");
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.body().path("message").asText()).isEqualTo("401: Unauthorized");

        Http.Response empty = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of());
        assertThat(empty.body().path("code").asInt()).isEqualTo(50006);

        Http.Response tooLong = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "x".repeat(2001)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("code").asInt()).isEqualTo(50035);
        assertThat(tooLong.body().at("/errors/content/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");

        Http.Response badJson = http.bot("POST", "/channels/" + GENERAL + "/messages", "{nope");
        assertThat(badJson.body().path("code").asInt()).isEqualTo(50109);

        Http.Response route = http.bot("GET", "/nothing/here", null);
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.body().path("message").asText()).isEqualTo("404: Not Found");
    }

    @Test
    void permissions_follow_overwrites_and_hierarchy() {
        // The owner outranks the bot: kicking or banning the owner is Missing Permissions.
        Http.Response kickOwner = http.bot("DELETE", "/guilds/" + G + "/members/" + Json.id(DemoGuild.OWNER_ID), null);
        assertThat(kickOwner.status()).isEqualTo(403);
        assertThat(kickOwner.body().path("code").asInt()).isEqualTo(50013);
        // Bob ranks below the bot: the kick works, records the reason and raises GUILD_MEMBER_REMOVE.
        Http.Response kickBob = http.bot("DELETE", "/guilds/" + G + "/members/" + Json.id(DemoGuild.BOB_ID), null, "spam é");
        assertThat(kickBob.status()).isEqualTo(204);
        JsonNode audit = http.bot("GET", "/guilds/" + G + "/audit-logs?action_type=20", null).body();
        assertThat(audit.at("/audit_log_entries/0/reason").asText()).isEqualTo("spam é");
        assertThat(events).extracting(MockEvent::type).contains("GUILD_MEMBER_REMOVE");
        // A role above the bot's own cannot be assigned.
        Http.Response role = http.bot("POST", "/guilds/" + G + "/roles", Map.of("name", "x", "permissions", "0"));
        String newRole = role.body().path("id").asText();
        assertThat(http.bot("PUT", "/guilds/" + G + "/members/" + Json.id(DemoGuild.ALICE_ID) + "/roles/" + newRole, null).status())
                .isEqualTo(204);
        http.bot("PATCH", "/guilds/" + G + "/roles", List.of(Map.of("id", newRole, "position", 5)));
        assertThat(http.bot("PATCH", "/guilds/" + G + "/roles", List.of(Map.of("id", newRole, "position", 5))).body().path("code").asInt())
                .isEqualTo(50013);
        // Granting a permission the bot lacks is refused.
        Http.Response admin = http.bot("POST", "/guilds/" + G + "/roles", Map.of("name", "admin", "permissions", "8"));
        assertThat(admin.body().path("code").asInt()).isEqualTo(50013);
        // mod-log denies @everyone VIEW_CHANNEL but allows the bot's role.
        String modLog = Json.id(DemoGuild.MOD_LOG_CHANNEL_ID);
        assertThat(http.bot("POST", "/channels/" + modLog + "/messages", Map.of("content", "x")).status()).isEqualTo(200);
        http.bot("PUT", "/channels/" + modLog + "/permissions/" + Json.id(DemoGuild.BOT_ROLE_ID),
                Map.of("type", 0, "allow", "0", "deny", "0"));
        Http.Response hidden = http.bot("POST", "/channels/" + modLog + "/messages", Map.of("content", "x"));
        assertThat(hidden.status()).isEqualTo(403);
        assertThat(hidden.body().path("code").asInt()).isEqualTo(50001);
    }

    @Test
    void oauth2_code_becomes_a_token_that_reads_the_users_guilds() {
        String code = http.admin("POST", "/oauth2/codes", Map.of("user_id", Json.id(DemoGuild.BOB_ID))).body().path("code").asText();
        Http.Response token = http.form("/oauth2/token", "grant_type=authorization_code&code=" + code
                + "&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&client_id=1&client_secret=s");
        assertThat(token.status()).isEqualTo(200);
        String access = token.body().path("access_token").asText();
        assertThat(token.body().path("token_type").asText()).isEqualTo("Bearer");
        JsonNode me = http.api("GET", "/users/@me", null, "Bearer " + access).body();
        assertThat(me.path("username").asText()).isEqualTo("bob");
        JsonNode guilds = http.api("GET", "/users/@me/guilds", null, "Bearer " + access).body();
        assertThat(guilds).hasSize(1);
        assertThat(guilds.get(0).path("owner").asBoolean()).isFalse();
        long perms = Long.parseLong(guilds.get(0).path("permissions").asText());
        assertThat(perms & (8 | 32)).isZero();
        // A code is single use.
        Http.Response again = http.form("/oauth2/token", "grant_type=authorization_code&code=" + code);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().path("error").asText()).isEqualTo("invalid_grant");
        // The owner's guild list says owner with every permission.
        String ownerCode = http.admin("POST", "/oauth2/codes", Map.of("user_id", Json.id(DemoGuild.OWNER_ID))).body().path("code").asText();
        String ownerToken = http.form("/oauth2/token", "grant_type=authorization_code&code=" + ownerCode).body().path("access_token").asText();
        assertThat(http.api("GET", "/users/@me/guilds", null, "Bearer " + ownerToken).body().get(0).path("owner").asBoolean()).isTrue();
    }

    @Test
    void admin_routes_are_documented_in_the_mocks_openapi() {
        JsonNode doc = http.admin("GET", "/openapi", null).body();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(doc.path("paths").fieldNames()).toIterable().contains("/__mock/state", "/__mock/guilds",
                "/__mock/channels/{channel_id}/messages", "/__mock/oauth2/codes", "/__mock/ratelimits", "/__mock/ratelimits/429",
                "/__mock/requests");
    }

    @Test
    void state_route_shows_guilds_with_channels_roles_and_members() {
        JsonNode state = http.admin("GET", "/state", null).body();
        JsonNode g = state.path("guilds").get(0);
        assertThat(g.path("id").asText()).isEqualTo(G);
        assertThat(g.path("owner_id").asText()).isEqualTo(Json.id(DemoGuild.OWNER_ID));
        assertThat(g.path("channels").findValuesAsText("name")).contains("general");
        assertThat(g.path("members").findValuesAsText("username")).contains("alice", "bob", "demo-owner", "Template Worker");
        Http.Response created = http.admin("POST", "/guilds", Map.of("name", "Second",
                "roles", List.of(Map.of("name", "Mods", "permissions", "2")),
                "channels", List.of(Map.of("name", "chat")),
                "members", List.of(Map.of("user", Map.of("username", "carol"), "roles", List.of("Mods")))));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("members")).hasSize(2);
        assertThat(http.admin("GET", "/state", null).body().path("guilds")).hasSize(2);
        Http.Response bad = http.admin("POST", "/guilds", Map.of("name", "x", "members", List.of(Map.of("user", Map.of("username", "y"), "roles", List.of("nope")))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(http.admin("GET", "/state", null).body().path("guilds")).hasSize(2);
    }

    @Test
    void interactions_answered_by_callback_and_followups_appear_as_bot_messages() {
        JsonNode i = http.admin("POST", "/guilds/" + G + "/interactions", Map.of("user_id", Json.id(DemoGuild.ALICE_ID),
                "channel_id", GENERAL, "command", "ping")).body();
        String id = i.path("id").asText();
        String token = i.path("token").asText();
        assertThat(events).extracting(MockEvent::type).contains("INTERACTION_CREATE");
        Http.Response cb = http.api("POST", "/interactions/" + id + "/" + token + "/callback",
                Map.of("type", 4, "data", Map.of("content", "pong", "flags", 64)), null);
        assertThat(cb.status()).isEqualTo(204);
        Http.Response twice = http.api("POST", "/interactions/" + id + "/" + token + "/callback", Map.of("type", 4, "data", Map.of("content", "x")), null);
        assertThat(twice.body().path("code").asInt()).isEqualTo(40060);
        String app = Json.id(discord.botId());
        Http.Response follow = http.api("POST", "/webhooks/" + app + "/" + token, Map.of("content", "more"), null);
        assertThat(follow.status()).isEqualTo(200);
        JsonNode list = http.admin("GET", "/channels/" + GENERAL + "/messages", null).body();
        assertThat(list.findValuesAsText("content")).containsExactly("pong", "more");
        assertThat(list.get(0).path("flags").asInt() & 64).isEqualTo(64);
        assertThat(list.get(0).path("author").path("bot").asBoolean()).isTrue();
        assertThat(http.api("GET", "/webhooks/" + app + "/" + token + "/messages/@original", null, null).body().path("content").asText())
                .isEqualTo("pong");
    }

    @Test
    void rate_limit_headers_count_down_and_a_spent_bucket_answers_429() {
        discord.rateLimits().setLimit("messages.create", new io.templateworker.mockdiscord.ratelimit.MockRateLimits.Limit(2,
                java.time.Duration.ofSeconds(30)));
        Http.Response first = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "1"));
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(first.header("X-RateLimit-Bucket")).isNotBlank();
        assertThat(Double.parseDouble(first.header("X-RateLimit-Reset-After"))).isBetween(0.0, 30.0);
        assertThat(http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "2")).header("X-RateLimit-Remaining"))
                .isEqualTo("0");
        Http.Response limited = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "3"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-RateLimit-Scope")).isEqualTo("user");
        assertThat(limited.body().path("global").asBoolean()).isFalse();
        assertThat(limited.body().path("retry_after").asDouble()).isGreaterThan(0);
        // Another channel is another bucket instance.
        assertThat(http.bot("POST", "/channels/" + Json.id(DemoGuild.MOD_LOG_CHANNEL_ID) + "/messages", Map.of("content", "x")).status())
                .isEqualTo(200);
        // Forced 429 through the admin route.
        http.admin("POST", "/ratelimits/429", Map.of("method", "GET", "route", "/users/@me", "retry_after", 0.25, "scope", "shared"));
        Http.Response forced = http.bot("GET", "/users/@me", null);
        assertThat(forced.status()).isEqualTo(429);
        assertThat(forced.header("X-RateLimit-Scope")).isEqualTo("shared");
        assertThat(http.bot("GET", "/users/@me", null).status()).isEqualTo(200);
        JsonNode stats = http.admin("GET", "/ratelimits/stats", null).body();
        assertThat(stats.path("limited_user").asLong()).isEqualTo(1);
        assertThat(stats.path("forced").asLong()).isEqualTo(1);
    }

    @Test
    void the_global_limit_answers_a_global_429_and_spares_webhook_token_routes() {
        JsonNode hook = http.bot("POST", "/channels/" + GENERAL + "/webhooks", Map.of("name", "relay")).body();
        discord.rateLimits().setGlobal(new io.templateworker.mockdiscord.ratelimit.MockRateLimits.Limit(2, java.time.Duration.ofSeconds(30)));
        assertThat(http.bot("GET", "/users/@me", null).status()).isEqualTo(200);
        assertThat(http.bot("GET", "/guilds/" + G, null).status()).isEqualTo(200);
        Http.Response limited = http.bot("GET", "/channels/" + GENERAL, null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-RateLimit-Global")).isEqualTo("true");
        assertThat(limited.header("X-RateLimit-Scope")).isEqualTo("global");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 30L);
        assertThat(limited.body().path("global").asBoolean()).isTrue();
        assertThat(limited.body().path("message").asText()).isEqualTo("You are being rate limited.");
        assertThat(limited.body().path("retry_after").asDouble()).isBetween(0.0, 30.0);
        // Webhook-token (and interaction) routes are outside the global limit, as on Discord.
        assertThat(http.api("GET", "/webhooks/" + hook.path("id").asText() + "/" + hook.path("token").asText(), null, null).status())
                .isEqualTo(200);
        assertThat(http.admin("GET", "/ratelimits/stats", null).body().path("limited_global").asLong()).isEqualTo(1);
    }

    @Test
    void threads_pins_webhooks_bans_timeouts_and_commands_behave_like_discord() {
        String msg = http.bot("POST", "/channels/" + GENERAL + "/messages", Map.of("content", "thread me")).body().path("id").asText();
        // A thread started from a message takes the message's id; the bot may talk in it.
        Http.Response thread = http.bot("POST", "/channels/" + GENERAL + "/messages/" + msg + "/threads", Map.of("name", "talk"));
        assertThat(thread.status()).isEqualTo(201);
        assertThat(thread.body().path("id").asText()).isEqualTo(msg);
        assertThat(thread.body().path("type").asInt()).isEqualTo(11);
        assertThat(http.bot("POST", "/channels/" + msg + "/messages", Map.of("content", "in thread")).status()).isEqualTo(200);
        assertThat(http.bot("GET", "/guilds/" + G + "/threads/active", null).body().path("threads")).hasSize(1);
        // Pins.
        assertThat(http.bot("PUT", "/channels/" + GENERAL + "/pins/" + msg, null).status()).isEqualTo(204);
        assertThat(http.bot("GET", "/channels/" + GENERAL + "/pins", null).body().get(0).path("pinned").asBoolean()).isTrue();
        // Webhooks: create with the bot, execute with the token, edit the message it sent.
        JsonNode hook = http.bot("POST", "/channels/" + GENERAL + "/webhooks", Map.of("name", "relay")).body();
        String hookPath = "/webhooks/" + hook.path("id").asText() + "/" + hook.path("token").asText();
        JsonNode sent = http.api("POST", hookPath + "?wait=true", Map.of("content", "via hook", "username", "Relay"), null).body();
        assertThat(sent.path("author").path("username").asText()).isEqualTo("Relay");
        assertThat(sent.path("webhook_id").asText()).isEqualTo(hook.path("id").asText());
        assertThat(http.api("PATCH", hookPath + "/messages/" + sent.path("id").asText(), Map.of("content", "edited"), null)
                .body().path("content").asText()).isEqualTo("edited");
        assertThat(http.api("POST", "/webhooks/" + hook.path("id").asText() + "/wrong", Map.of("content", "x"), null).body()
                .path("code").asInt()).isEqualTo(50027);
        // Bans remove the member and list with the reason; a timeout past 28 days is refused.
        assertThat(http.bot("PUT", "/guilds/" + G + "/bans/" + Json.id(DemoGuild.BOB_ID), Map.of(), "raid").status()).isEqualTo(204);
        JsonNode bans = http.bot("GET", "/guilds/" + G + "/bans", null).body();
        assertThat(bans.get(0).path("reason").asText()).isEqualTo("raid");
        assertThat(http.bot("GET", "/guilds/" + G + "/members/" + Json.id(DemoGuild.BOB_ID), null).body().path("code").asInt())
                .isEqualTo(10007);
        String later = java.time.OffsetDateTime.now().plusDays(30).toString();
        Http.Response tooLong = http.bot("PATCH", "/guilds/" + G + "/members/" + Json.id(DemoGuild.ALICE_ID),
                Map.of("communication_disabled_until", later));
        assertThat(tooLong.body().path("code").asInt()).isEqualTo(50035);
        String soon = java.time.OffsetDateTime.now().plusHours(1).toString();
        assertThat(http.bot("PATCH", "/guilds/" + G + "/members/" + Json.id(DemoGuild.ALICE_ID),
                Map.of("communication_disabled_until", soon)).body().path("communication_disabled_until").isNull()).isFalse();
        // Guild commands: bulk overwrite, then an invalid name is Discord's 50035.
        String app = Json.id(discord.botId());
        JsonNode cmds = http.bot("PUT", "/applications/" + app + "/guilds/" + G + "/commands",
                List.of(Map.of("name", "ping", "description", "Pong!"))).body();
        assertThat(cmds.get(0).path("name").asText()).isEqualTo("ping");
        assertThat(http.bot("POST", "/applications/" + app + "/guilds/" + G + "/commands", Map.of("name", "Bad Name", "description", "x"))
                .body().path("code").asInt()).isEqualTo(50035);
        assertThat(http.bot("GET", "/applications/" + app + "/guilds/" + G + "/commands", null).body()).hasSize(1);
    }
}
