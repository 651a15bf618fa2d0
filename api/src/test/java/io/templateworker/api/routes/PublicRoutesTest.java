package io.templateworker.api.routes;

import static io.templateworker.api.routes.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.runtime.account.SessionType;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every public route of UPSTREAM.md §4.5 with api.loopback_root off (as in production): success and each failure a
 * caller can cause.
 */
class PublicRoutesTest {

    static ApiHarness api;
    static final String EVENTS = "/guilds/" + ApiHarness.GUILD + "/events";

    @BeforeAll
    static void start() {
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(json(r).path("message").asText()).isNotBlank();
    }

    /** The failures every authenticated route shares: no token, unknown token, expired token, banned user. */
    static void assertNeedsAValidSession(String method, String path, String body) throws Exception {
        assertError(api.send(method, path, null, body), 401, "NoAuthToken");
        assertError(api.send(method, path, "x".repeat(128), body), 401, "InvalidToken");
        String expired = api.login("2001", SessionType.LOGIN, Instant.now().minusSeconds(1));
        assertError(api.send(method, path, expired, body), 401, "InvalidToken");
        String banned = api.login("2002");
        api.accounts.setUserState("2002", "banned");
        api.authenticator.evictUser("2002");
        HttpResponse<String> r = api.send(method, path, banned, body);
        assertError(r, 403, "ApiBanned");
        assertThat(json(r).path("message").asText()).isEqualTo("User 2002 is banned from using the API");
    }

    @Test
    void sessions_me_describes_the_token() throws Exception {
        String token = api.login("3001");
        JsonNode me = json(api.send("GET", "/sessions/@me", token, null));
        assertThat(me.path("user_id").asText()).isEqualTo("3001");
        assertThat(me.path("type").asText()).isEqualTo("login");
        assertThat(me.path("state").asText()).isEqualTo("normal");
        assertThat(me.path("id").asText()).hasSize(36);
        assertNeedsAValidSession("GET", "/sessions/@me", null);
    }

    @Test
    void api_tokens_are_created_listed_used_and_deleted() throws Exception {
        String login = api.login("3002");
        HttpResponse<String> created = api.send("POST", "/sessions", login, "{\"name\": \"ci\", \"type\": \"api\", \"expiry\": 3600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode c = json(created);
        String apiToken = c.path("token").asText();
        assertThat(apiToken).hasSize(128).matches("[A-Za-z0-9]+");
        assertThat(c.path("user").isNull()).isTrue();
        assertThat(Instant.parse(c.path("expiry").asText())).isAfter(Instant.now().plusSeconds(3500));
        assertThat(json(api.send("GET", "/sessions/@me", apiToken, null)).path("type").asText()).isEqualTo("api");

        JsonNode list = json(api.send("GET", "/sessions", login, null)).path("sessions");
        assertThat(list).hasSize(2);
        assertThat(list.toString()).doesNotContain(apiToken).contains("\"name\":\"ci\"");

        String id = c.path("session_id").asText();
        assertThat(api.send("DELETE", "/sessions/" + id, login, null).statusCode()).isEqualTo(200);
        assertError(api.send("GET", "/sessions/@me", apiToken, null), 401, "InvalidToken");
        assertThat(json(api.send("GET", "/sessions", login, null)).path("sessions")).hasSize(1);
    }

    @Test
    void a_cached_session_stops_working_at_logout_and_at_its_expiry() throws Exception {
        // Sessions are cached between requests (SessionAuthenticator.CACHE_TTL); neither logging out nor expiring
        // may wait for the cache.
        String token = api.login("3006");
        String id = json(api.send("GET", "/sessions/@me", token, null)).path("id").asText();
        assertThat(api.send("GET", "/sessions/@me", token, null).statusCode()).isEqualTo(200); // served from the cache
        assertThat(api.send("DELETE", "/sessions/" + id, token, null).statusCode()).isEqualTo(200);
        assertError(api.send("GET", "/sessions/@me", token, null), 401, "InvalidToken");

        String shortLived = api.login("3006", SessionType.LOGIN, Instant.now().plusMillis(1500));
        assertThat(api.send("GET", "/sessions/@me", shortLived, null).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> api.send("GET", "/sessions/@me", shortLived, null).statusCode() == 401);
    }

    @Test
    void creating_a_session_checks_type_expiry_and_body() throws Exception {
        String login = api.login("3003");
        assertError(api.send("POST", "/sessions", login, "{\"name\": \"x\", \"type\": \"login\", \"expiry\": 60}"), 403, "Restricted");
        assertError(api.send("POST", "/sessions", login, "{\"name\": \"x\", \"type\": \"api\", \"expiry\": 0}"), 400, "InvalidToken");
        assertError(api.send("POST", "/sessions", login, "{\"name\": \"x\", \"type\": \"api\", \"expiry\": 9223372036854775807}"),
                400, "InvalidToken");
        assertError(api.send("POST", "/sessions", login, "{\"name\": \"x\", \"type\": \"api\"}"), 400, "BadRequest");
        assertError(api.send("POST", "/sessions", login, "{\"name\": null, \"type\": \"api\", \"expiry\": 5}"), 400, "BadRequest");
        assertError(api.send("POST", "/sessions", login, "{\"name\": \"x\", \"type\": \"api\", \"expiry\": \"5\"}"), 400, "BadRequest");
        assertError(api.send("POST", "/sessions", login, "not json"), 400, "BadRequest");
        assertThat(json(api.send("GET", "/sessions", login, null)).path("sessions")).as("nothing created").hasSize(1);
        assertNeedsAValidSession("POST", "/sessions", "{\"name\": \"x\", \"type\": \"api\", \"expiry\": 60}");
    }

    @Test
    void a_session_can_only_be_deleted_by_its_owner() throws Exception {
        String alice = api.login("3004");
        String bob = api.login("3005");
        String bobsId = json(api.send("GET", "/sessions/@me", bob, null)).path("id").asText();
        assertError(api.send("DELETE", "/sessions/" + bobsId, alice, null), 404, "NotFound");
        assertError(api.send("DELETE", "/sessions/not-a-uuid", alice, null), 400, "BadRequest");
        assertError(api.send("DELETE", "/sessions/1-1-1-1-1", alice, null), 400, "BadRequest");
        assertThat(api.send("GET", "/sessions/@me", bob, null).statusCode()).isEqualTo(200);
        assertNeedsAValidSession("DELETE", "/sessions/" + bobsId, null);
    }

    @Test
    void config_and_bot_stats_are_public() throws Exception {
        JsonNode config = json(api.send("GET", "/config", null, null));
        assertThat(config.path("main_server").asText()).isEqualTo("1064135068928454766");
        assertThat(config.path("client_id").asText()).isEqualTo("42");
        assertThat(config.path("support_server_invite").asText()).isEqualTo("https://discord.gg/x");
        JsonNode stats = json(api.send("GET", "/bot-stats", null, null));
        assertThat(stats.path("total_guilds").asLong()).isEqualTo(1);
        assertThat(stats.path("shard_conns").isObject()).isTrue();
    }

    @Test
    void events_are_dispatched_as_the_caller_to_guilds_with_the_bot() throws Exception {
        String token = api.login("3006");
        HttpResponse<String> r = api.send("POST", EVENTS, token, "{\"name\": \"WebPing\", \"data\": {\"Text\": \"hi\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("{\"Text\":\"pong\"},{\"Text\":\"3006\"}").contains("{\"Text\":\"ok\"}");
        // Old clients send GET with a body.
        HttpResponse<String> get = api.send("GET", EVENTS, token, "{\"name\": \"WebPing\"}");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).contains("3006");

        assertError(api.send("POST", EVENTS, token, "{\"name\": \"MESSAGE\"}"), 403, "Restricted");
        assertError(api.send("POST", "/guilds/" + ApiHarness.OTHER_GUILD + "/events", token, "{\"name\": \"WebPing\"}"), 404, "NotFound");
        assertError(api.send("POST", "/guilds/abc/events", token, "{\"name\": \"WebPing\"}"), 400, "BadRequest");
        assertError(api.send("POST", EVENTS, token, "{\"data\": \"Null\"}"), 400, "BadRequest");
        assertError(api.send("POST", EVENTS, token, "{\"name\": \"WebPing\", \"data\": {\"Text\": 5}}"), 400, "BadRequest");
        assertNeedsAValidSession("POST", EVENTS, "{\"name\": \"WebPing\"}");
    }

    @Test
    void settings_are_read_and_executed_through_the_templates() throws Exception {
        String token = api.login("3007");
        HttpResponse<String> get = api.send("GET", "/guilds/" + ApiHarness.GUILD + "/settings", token, null);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(json(get).path("greeter").path("Ok").get(0).path("id").asText()).isEqualTo("greeting");

        HttpResponse<String> post = api.send("POST", "/guilds/" + ApiHarness.GUILD + "/settings", token,
                "{\"setting\": \"greeting\", \"operation\": \"Create\", \"fields\": {\"text\": \"hello\", \"n\": [1, 2]}}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        JsonNode ok = json(post).path("greeter").path("Ok");
        assertThat(ok.path("op").asText()).isEqualTo("Create");
        assertThat(ok.path("by").asText()).isEqualTo("3007");
        assertThat(ok.path("fields").path("text").asText()).isEqualTo("hello");

        assertError(api.send("POST", "/guilds/" + ApiHarness.GUILD + "/settings", token, "{\"setting\": \"greeting\"}"),
                400, "BadRequest");
        assertError(api.send("GET", "/guilds/" + ApiHarness.OTHER_GUILD + "/settings", token, null), 404, "NotFound");
        assertNeedsAValidSession("GET", "/guilds/" + ApiHarness.GUILD + "/settings", null);
    }

    @Test
    void global_kvs_lists_and_gets_only_approved_entries_without_opaque_data() throws Exception {
        try (var c = api.db.getConnection(); var st = c.createStatement()) {
            st.execute("insert into global_kv (key, version, owner_id, owner_type, scope, short, data, public_data, review_state,"
                    + " public_metadata) values"
                    + " ('open', 1, '5', 'guild', 'templates', 'an open one', '{\"Text\": \"body\"}', true, 'approved', '\"Null\"'),"
                    + " ('secret', 1, '5', 'guild', 'templates', 'a private one', '{\"Text\": \"hidden\"}', false, 'approved', '\"Null\"'),"
                    + " ('pending', 1, '5', 'guild', 'templates', 'not reviewed', '\"Null\"', true, 'pending', '\"Null\"')");
        }
        HttpResponse<String> listed = api.send("GET", "/global-kvs?scope=templates", null, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode items = json(listed).path("items");
        assertThat(items.findValuesAsText("key")).containsExactly("open", "secret");
        assertThat(json(api.send("GET", "/global-kvs?scope=templates&query=op%25", null, null)).path("items")).hasSize(1);
        JsonNode open = json(api.send("GET", "/global-kvs/templates/open/1", null, null));
        assertThat(open.path("data").path("data").path("Text").asText()).isEqualTo("body");
        assertThat(open.path("partial").path("review_state").asText()).isEqualTo("approved");
        JsonNode secret = json(api.send("GET", "/global-kvs/templates/secret/1", null, null));
        assertThat(secret.path("data").path("data").isNull()).isTrue();
        assertThat(secret.toString()).doesNotContain("hidden");
        assertError(api.send("GET", "/global-kvs/templates/pending/1", null, null), 404, "NotFound");
        assertError(api.send("GET", "/global-kvs/templates/open/x", null, null), 400, "BadRequest");
        assertError(api.send("GET", "/global-kvs", null, null), 400, "BadRequest");
    }

    @Test
    void the_dev_login_does_not_exist_without_loopback_root() throws Exception {
        assertError(api.send("POST", "/oauth2/dev", null, "{\"user_id\": \"1\"}"), 404, "NotFound");
    }

    @Test
    void oauth2_checks_the_request_before_asking_discord() throws Exception {
        assertError(api.send("POST", "/oauth2", null, "{\"code\": \"abcdef\", \"redirect_uri\": \"https://evil.example\"}"),
                403, "Restricted");
        assertError(api.send("POST", "/oauth2", null, "{\"code\": \"ab\", \"redirect_uri\": \"https://dash.example/cb\"}"),
                400, "InvalidToken");
        assertError(api.send("POST", "/oauth2", null, "{\"redirect_uri\": \"https://dash.example/cb\"}"), 400, "BadRequest");
        // No Discord configured in this harness.
        assertError(api.send("POST", "/oauth2", null, "{\"code\": \"abcdef\", \"redirect_uri\": \"https://dash.example/cb\"}"),
                503, "Unavailable");
    }

    @Test
    void a_valid_token_on_a_public_route_identifies_the_caller_and_a_bad_one_is_ignored() throws Exception {
        assertThat(api.send("GET", "/config", "nonsense", null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/config", api.login("3008"), null).statusCode()).isEqualTo(200);
    }
}
