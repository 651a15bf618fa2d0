package io.templateworker.api.routes;

import static io.templateworker.api.routes.ApiHarness.json;
import static io.templateworker.api.routes.PublicRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.api.discord.DiscordOAuth;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.DiscordPermission;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 login, the user's guilds and the guild-manager guard end to end: the API talks to the mock Discord over real
 * HTTP (OAuth2 with the user's bearer token; guild state through the real REST client with the bot token).
 */
class DiscordLoginTest {

    static final String REDIRECT = "https://dash.example/cb";
    static MockDiscord mock;
    static DiscordRestClient rest;
    static ApiHarness api;

    @BeforeAll
    static void start() {
        mock = MockDiscord.start(MockDiscord.Options.defaults());
        mock.rateLimits().disable();
        DemoGuild.seed(mock);
        rest = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of(InternalAccessTest.GUARDED),
                new DiscordOAuth(mock.apiBase(), "client", "secret"), RestGuildState.withDefaults(rest), mock.botId());
    }

    @AfterAll
    static void stop() {
        api.close();
        rest.close();
        mock.close();
    }

    static String code(long userId, String scope, String redirect) throws Exception {
        String body = "{\"user_id\": \"" + userId + "\"" + (scope == null ? "" : ", \"scope\": \"" + scope + "\"")
                + (redirect == null ? "" : ", \"redirect_uri\": \"" + redirect + "\"") + "}";
        HttpResponse<String> r = api.http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__mock/oauth2/codes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).path("code").asText();
    }

    static HttpResponse<String> login(String code, String redirect, String verifier) throws Exception {
        return api.send("POST", "/oauth2", null, "{\"code\": \"" + code + "\", \"redirect_uri\": \"" + redirect + "\""
                + (verifier == null ? "" : ", \"code_verifier\": \"" + verifier + "\"") + "}");
    }

    @Test
    void a_discord_code_becomes_a_login_session_and_cannot_be_used_twice() throws Exception {
        String code = code(DemoGuild.ALICE_ID, null, REDIRECT);
        HttpResponse<String> r = login(code, REDIRECT, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode session = json(r);
        assertThat(session.path("user_id").asText()).isEqualTo(Long.toString(DemoGuild.ALICE_ID));
        assertThat(session.path("user").path("username").asText()).isEqualTo("alice");
        String token = session.path("token").asText();
        JsonNode me = json(api.send("GET", "/sessions/@me", token, null));
        assertThat(me.path("type").asText()).isEqualTo("login");
        assertThat(api.accounts.user(Long.toString(DemoGuild.ALICE_ID)).accessToken()).isNotBlank();

        assertError(login(code, REDIRECT, null), 400, "InvalidToken");
    }

    @Test
    void the_app_redirect_with_a_verifier_makes_an_app_login() throws Exception {
        String code = code(DemoGuild.BOB_ID, null, OAuthRoutes.APP_REDIRECT);
        HttpResponse<String> r = login(code, OAuthRoutes.APP_REDIRECT, "verifier-123");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(api.send("GET", "/sessions/@me", json(r).path("token").asText(), null)).path("type").asText())
                .isEqualTo("app_login");
    }

    @Test
    void codes_discord_refuses_or_without_the_guilds_scope_are_refused() throws Exception {
        assertError(login("not-a-real-code", REDIRECT, null), 400, "InvalidToken");
        assertError(login(code(DemoGuild.ALICE_ID, "identify", REDIRECT), REDIRECT, null), 403, "InvalidToken");
        // A code issued for another redirect: Discord refuses it.
        assertError(login(code(DemoGuild.ALICE_ID, null, "https://other.example/cb"), REDIRECT, null), 400, "InvalidToken");
    }

    @Test
    void the_guild_list_comes_from_discord_with_the_users_token_and_marks_guilds_with_the_bot() throws Exception {
        String token = json(login(code(DemoGuild.OWNER_ID, null, REDIRECT), REDIRECT, null)).path("token").asText();
        HttpResponse<String> r = api.send("GET", "/users/@me/guilds?refresh=true", token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = json(r);
        assertThat(data.path("guilds").findValuesAsText("id")).contains(Long.toString(DemoGuild.GUILD_ID));
        assertThat(data.path("bot_in_guilds").toString()).contains(Long.toString(DemoGuild.GUILD_ID));
        JsonNode demo = data.path("guilds").get(0);
        assertThat(demo.path("owner").asBoolean()).isTrue();
        assertThat(demo.path("permissions").isTextual()).isTrue();
        // Cached afterwards: still answered after Discord forgets the token.
        assertThat(api.accounts.user(Long.toString(DemoGuild.OWNER_ID)).guildsCache()).contains(Long.toString(DemoGuild.GUILD_ID));
        assertThat(api.send("GET", "/users/@me/guilds", token, null).statusCode()).isEqualTo(200);
        assertError(api.send("GET", "/users/@me/guilds?refresh=maybe", token, null), 400, "BadRequest");
        // A user who never logged in through Discord has no token to use.
        assertError(api.send("GET", "/users/@me/guilds", api.login("8001"), null), 400, "BadRequest");
    }

    @Test
    void an_expired_discord_token_is_refreshed_with_the_refresh_token() throws Exception {
        String userId = Long.toString(DemoGuild.BOB_ID);
        String token = json(login(code(DemoGuild.BOB_ID, null, REDIRECT), REDIRECT, null)).path("token").asText();
        var stored = api.accounts.user(userId);
        api.accounts.saveDiscordTokens(userId, stored.accessToken(), stored.refreshToken(), java.time.Instant.now().minusSeconds(5));
        HttpResponse<String> r = api.send("GET", "/users/@me/guilds?refresh=true", token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(api.accounts.user(userId).accessToken()).isNotEqualTo(stored.accessToken());
        assertThat(api.accounts.user(userId).refreshToken()).isNotEqualTo(stored.refreshToken());
    }

    @Test
    void guild_information_has_the_effective_channel_permissions_of_the_user_and_the_bot() throws Exception {
        String bob = api.login(Long.toString(DemoGuild.BOB_ID));
        HttpResponse<String> r = api.send("GET", "/users/@me/guilds/" + DemoGuild.GUILD_ID, bob, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode info = json(r);
        assertThat(info.path("owner_id").asText()).isEqualTo(Long.toString(DemoGuild.OWNER_ID));
        assertThat(info.path("user_roles").toString()).contains(Long.toString(DemoGuild.MEMBER_ROLE_ID));
        assertThat(info.path("bot_roles").toString()).contains(Long.toString(DemoGuild.BOT_ROLE_ID));
        JsonNode modLog = null;
        for (JsonNode c : info.path("channels")) {
            if (c.path("channel").path("id").asText().equals(Long.toString(DemoGuild.MOD_LOG_CHANNEL_ID))) {
                modLog = c;
            }
        }
        assertThat(modLog).as("mod-log in %s", info).isNotNull();
        assertThat(modLog.path("user").asText()).as("bob cannot see mod-log").isEqualTo("0");
        long bot = Long.parseLong(modLog.path("bot").asText());
        assertThat(DiscordPermission.VIEW_CHANNEL.in(bot)).isTrue();
        assertThat(DiscordPermission.SEND_MESSAGES.in(bot)).isTrue();
        assertThat(modLog.path("channel").path("parent_id").asText()).isEqualTo(Long.toString(DemoGuild.CATEGORY_ID));

        assertError(api.send("GET", "/users/@me/guilds/" + DemoGuild.GUILD_ID, api.login("8002"), null), 404, "NotFound");
        assertError(api.send("GET", "/users/@me/guilds/123456789", bob, null), 404, "NotFound");
    }

    @Test
    void only_the_owner_or_a_member_with_manage_guild_passes_the_guild_guard() throws Exception {
        String path = "/guilds/" + DemoGuild.GUILD_ID + "/things";
        assertThat(api.send("GET", path, api.login(Long.toString(DemoGuild.OWNER_ID)), null).statusCode()).isEqualTo(200);
        assertError(api.send("GET", path, api.login(Long.toString(DemoGuild.ALICE_ID)), null), 403, "Restricted");
        assertError(api.send("GET", path, api.login("8003"), null), 403, "Restricted");
        assertThat(api.send("GET", path, api.login(ApiHarness.ROOT_USER), null).statusCode()).isEqualTo(200);
        assertError(api.send("GET", "/guilds/123456789/things", api.login(Long.toString(DemoGuild.OWNER_ID)), null), 404,
                "NotFound");
    }

    @Test
    void template_and_log_routes_are_for_guild_managers_and_root_users() throws Exception {
        String templates = "/guilds/" + DemoGuild.GUILD_ID + "/templates";
        String owner = api.login(Long.toString(DemoGuild.OWNER_ID));
        HttpResponse<String> put = api.send("PUT", templates + "/hello", owner,
                "{\"content\": {\"init.luau\": \"return {}\"}, \"events\": [\"WebPing\"]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(api.send("GET", templates, owner, null).body()).contains("hello");
        assertThat(api.send("GET", "/guilds/" + DemoGuild.GUILD_ID + "/logs", owner, null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", templates + "/hello", api.login(ApiHarness.ROOT_USER), null).statusCode()).isEqualTo(200);

        String alice = api.login(Long.toString(DemoGuild.ALICE_ID));
        assertError(api.send("GET", templates, alice, null), 403, "Restricted");
        assertError(api.send("PUT", templates + "/evil", alice, "{\"content\": {\"init.luau\": \"return {}\"}}"), 403,
                "Restricted");
        assertError(api.send("DELETE", templates + "/hello", alice, null), 403, "Restricted");
        assertError(api.send("GET", "/guilds/" + DemoGuild.GUILD_ID + "/logs", alice, null), 403, "Restricted");
        assertError(api.send("GET", templates, null, null), 401, "NoAuthToken");
        assertThat(api.send("GET", templates, owner, null).body()).doesNotContain("evil");
    }
}
