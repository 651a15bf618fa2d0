package io.templateworker.api.routes;

import static io.templateworker.api.routes.ApiHarness.json;
import static io.templateworker.api.routes.PublicRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.api.Access;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Root-only routes and the guild-manager guard, with api.loopback_root off. */
class InternalAccessTest {

    static ApiHarness api;
    static final String GUILD_ROUTE = "/guilds/" + ApiHarness.GUILD + "/things";

    /** A route guarded like the template and log routes. */
    static final RouteGroup GUARDED = routes -> routes.get("/guilds/{guild_id}/things").summary("A guild-managed resource")
            .access(Access.GUILD).response(String.class).handle(ctx -> ctx.json(Caller.of(ctx).userId()));

    @BeforeAll
    static void start() {
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of(GUARDED));
        api.managers.put(ApiHarness.GUILD, Set.of(4001L));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void internal_routes_need_a_root_user() throws Exception {
        String root = api.login(ApiHarness.ROOT_USER);
        String user = api.login("4002");
        assertThat(api.send("GET", "/i/threads-count", root, null).body()).isEqualTo("2");
        assertError(api.send("GET", "/i/threads-count", user, null), 403, "Restricted");
        assertError(api.send("GET", "/i/threads-count", null, null), 401, "NoAuthToken");
        assertError(api.send("GET", "/i/threads-count", "bad", null), 401, "InvalidToken");
        PublicRoutesTest.api = api;
        PublicRoutesTest.assertNeedsAValidSession("POST", "/i/guilds-exist", "[]");
    }

    @Test
    void dispatch_event_runs_as_the_root_user_without_the_web_rule() throws Exception {
        String root = api.login(ApiHarness.ROOT_USER);
        HttpResponse<String> r = api.send("POST", "/i/dispatch-event/" + ApiHarness.GUILD, root, "{\"name\": \"WebPing\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("{\"Text\":\"" + ApiHarness.ROOT_USER + "\"}");
        assertError(api.send("POST", "/i/dispatch-event/" + ApiHarness.GUILD, root, "{\"name\": 3}"), 400, "BadRequest");
        assertError(api.send("POST", "/i/dispatch-event/" + ApiHarness.GUILD, api.login("4003"), "{\"name\": \"WebPing\"}"),
                403, "Restricted");
    }

    @Test
    void guilds_exist_answers_one_bit_per_guild() throws Exception {
        String root = api.login(ApiHarness.ROOT_USER);
        HttpResponse<String> r = api.send("POST", "/i/guilds-exist", root,
                "[\"" + ApiHarness.GUILD + "\", " + ApiHarness.OTHER_GUILD + ", \"18446744073709551615\"]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[1,0,0]");
        assertError(api.send("POST", "/i/guilds-exist", root, "{\"a\": 1}"), 400, "BadRequest");
        assertError(api.send("POST", "/i/guilds-exist", root, "[\"x\"]"), 400, "BadRequest");
        assertError(api.send("POST", "/i/guilds-exist", root, "[true]"), 400, "BadRequest");
    }

    @Test
    void regenerate_cache_rebuilds_the_guild_vm() throws Exception {
        String root = api.login(ApiHarness.ROOT_USER);
        assertThat(api.send("POST", "/i/regenerate-cache/" + ApiHarness.GUILD, root, null).body()).isEqualTo("null");
        assertThat(api.send("POST", "/i/dispatch-event/" + ApiHarness.GUILD, root, "{\"name\": \"WebPing\"}").statusCode())
                .isEqualTo(200);
        assertError(api.send("POST", "/i/regenerate-cache/0", root, null), 400, "BadRequest");
    }

    @Test
    void guild_routes_admit_managers_and_root_users_only() throws Exception {
        assertThat(json(api.send("GET", GUILD_ROUTE, api.login("4001"), null)).asText()).isEqualTo("4001");
        assertThat(json(api.send("GET", GUILD_ROUTE, api.login(ApiHarness.ROOT_USER), null)).asText()).isEqualTo(ApiHarness.ROOT_USER);
        HttpResponse<String> member = api.send("GET", GUILD_ROUTE, api.login("4004"), null);
        assertError(member, 403, "Restricted");
        assertThat(json(member).path("message").asText()).contains("MANAGE_GUILD");
        assertError(api.send("GET", "/guilds/" + ApiHarness.OTHER_GUILD + "/things", api.login("4001"), null), 404, "NotFound");
        assertError(api.send("GET", "/guilds/nope/things", api.login("4001"), null), 400, "BadRequest");
        assertError(api.send("GET", GUILD_ROUTE, null, null), 401, "NoAuthToken");
    }
}
