package io.templateworker.api.routes;

import static io.templateworker.api.routes.ApiHarness.json;
import static io.templateworker.api.routes.PublicRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.api.ratelimit.Limit;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** api.loopback_root on (local mode), and the per-user / per-IP limits with a controlled clock. */
class LoopbackRootAndLimitsTest {

    ApiHarness api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void loopback_callers_without_a_token_act_as_root_and_may_use_the_dev_login() throws Exception {
        api = new ApiHarness(true, ApiRateLimiter.unlimited(), List.of());
        assertThat(api.send("GET", "/i/threads-count", null, null).body()).isEqualTo("2");
        HttpResponse<String> login = api.send("POST", "/oauth2/dev", null, "{\"user_id\": \"5001\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        JsonNode session = json(login);
        String token = session.path("token").asText();
        assertThat(json(api.send("GET", "/sessions/@me", token, null)).path("user_id").asText()).isEqualTo("5001");
        // With a token, the token decides: this user is not root.
        assertError(api.send("GET", "/i/threads-count", token, null), 403, "Restricted");
        // A token holder may not use the dev login to become someone else.
        assertError(api.send("POST", "/oauth2/dev", token, "{\"user_id\": \"1000\"}"), 403, "Restricted");
        assertError(api.send("POST", "/oauth2/dev", null, "{\"user_id\": \"0\"}"), 400, "BadRequest");
        assertError(api.send("POST", "/oauth2/dev", null, "{\"user_id\": \"5\", \"type\": \"api\"}"), 400, "BadRequest");
        // Session routes need a session; a loopback root caller has none.
        assertError(api.send("GET", "/sessions/@me", null, null), 401, "NoAuthToken");
    }

    @Test
    void a_request_forwarded_by_a_local_proxy_is_not_a_loopback_caller() throws Exception {
        api = new ApiHarness(true, ApiRateLimiter.unlimited(), List.of());
        HttpResponse<String> r = api.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.server.port()
                + "/i/threads-count")).header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
        assertError(r, 401, "NoAuthToken");
    }

    @Test
    void a_user_over_the_limit_gets_429_with_retry_after_and_root_users_are_exempt() throws Exception {
        AtomicLong now = new AtomicLong(0);
        api = new ApiHarness(false, new ApiRateLimiter(new Limit("global", 3, Duration.ofSeconds(1)), now::get), List.of());
        String user = api.login("6001");
        for (int i = 0; i < 3; i++) {
            assertThat(api.send("GET", "/sessions/@me", user, null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = api.send("GET", "/sessions/@me", user, null);
        assertError(limited, 429, "RateLimited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        // Another user has a bucket of their own.
        assertThat(api.send("GET", "/sessions/@me", api.login("6002"), null).statusCode()).isEqualTo(200);
        // The bucket refills with time.
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(api.send("GET", "/sessions/@me", user, null).statusCode()).isEqualTo(200);
        // Root users are never limited.
        String root = api.login(ApiHarness.ROOT_USER);
        for (int i = 0; i < 10; i++) {
            assertThat(api.send("GET", "/sessions/@me", root, null).statusCode()).isEqualTo(200);
        }
        // Anonymous callers share their address's bucket.
        for (int i = 0; i < 3; i++) {
            assertThat(api.send("GET", "/config", null, null).statusCode()).isEqualTo(200);
        }
        assertError(api.send("GET", "/config", null, null), 429, "RateLimited");
        // System routes are not limited.
        assertThat(api.send("GET", "/healthcheck", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void bad_tokens_are_limited_per_address() throws Exception {
        AtomicLong now = new AtomicLong(0);
        api = new ApiHarness(false, new ApiRateLimiter(new Limit("global", 100, Duration.ofSeconds(1)), now::get), List.of());
        int refused = 0;
        for (int i = 0; i < 15; i++) {
            int status = api.send("GET", "/sessions/@me", "bad-" + i, null).statusCode();
            if (status == 429) {
                refused++;
            } else {
                assertThat(status).isEqualTo(401);
            }
        }
        assertThat(refused).isEqualTo(5);
    }

    @Test
    void healthcheck_reports_the_problem_as_503() throws Exception {
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of());
        api.healthProblem = "the worker pool was stopped by /i/kill-worker and is restarting";
        HttpResponse<String> r = api.send("GET", "/healthcheck", null, null);
        assertError(r, 503, "Unavailable");
        assertThat(r.body()).contains("restarting");
        api.healthProblem = null;
        assertThat(api.send("POST", "/healthcheck", null, null).body()).isEqualTo("null");
    }
}
