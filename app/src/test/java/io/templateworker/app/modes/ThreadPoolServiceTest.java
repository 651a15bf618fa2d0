package io.templateworker.app.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.app.AppContext;
import io.templateworker.app.CliOptions;
import io.templateworker.app.WorkerType;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.app.service.RunningService;
import io.templateworker.app.service.ServiceRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole thread-pool service in local mode (embedded PostgreSQL, the mock Discord, real HTTP), as an operator
 * drives it: templates through the API, events, {@code /i/kill-worker} and what follows, {@code /metrics}, and the
 * {@code api.*} keys taking effect from the environment.
 */
class ThreadPoolServiceTest {
    /** The mock Discord's demo guild (local mode). */
    static final String GUILD = "1064135068928454766";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private RunningService start(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0",
                "TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0"));
        env.putAll(extraEnv);
        AppConfig config = ConfigLoader.load(null, dir.resolve("data"), env, dir);
        AppContext ctx = new AppContext(new CliOptions(WorkerType.THREADPOOL, 3, 1, null, false, null, null), config,
                System.currentTimeMillis(), "test");
        return ServiceRunner.start(ctx, service -> ThreadPoolMode.install(ctx, service));
    }

    private HttpResponse<String> send(RunningService s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void kill_worker_restarts_the_pool_and_metrics_count_events_errors_and_the_restart() throws Exception {
        try (RunningService s = start(Map.of())) {
            String init = "return { WebPing = function(ctx) return 'pong' end, WebFail = function(ctx) error('nope') end }";
            HttpResponse<String> put = send(s, "PUT", "/guilds/" + GUILD + "/templates/ping", "{\"content\": {\"init.luau\": "
                    + JSON.writeValueAsString(init) + "}, \"events\": [\"WebPing\", \"WebFail\"]}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            String before = send(s, "GET", "/metrics", null).body();

            HttpResponse<String> ping = send(s, "POST", "/guilds/" + GUILD + "/events", "{\"name\": \"WebPing\"}");
            assertThat(ping.statusCode()).as(ping.body()).isEqualTo(200);
            assertThat(ping.body()).contains("pong");
            assertThat(send(s, "POST", "/guilds/" + GUILD + "/events", "{\"name\": \"WebFail\"}").body()).contains("nope");
            String after = send(s, "GET", "/metrics", null).body();
            assertThat(metric(after, "worker_events_dispatched_total{result=\"ok\"}"))
                    .isGreaterThanOrEqualTo(metric(before, "worker_events_dispatched_total{result=\"ok\"}") + 2);
            assertThat(metric(after, "worker_template_errors_total"))
                    .isGreaterThanOrEqualTo(metric(before, "worker_template_errors_total") + 1);
            assertThat(metric(after, "worker_vms")).isGreaterThanOrEqualTo(1);
            double restarts = metric(after, "worker_restarts_total{kind=\"pool\"}");

            // Upstream's kill-worker stops the pool; ours then starts a new one. Until it is up the service says so
            // (503 on /healthcheck and on dispatches), never a healthy-looking service that fails every event.
            assertThat(send(s, "POST", "/i/kill-worker", null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> send(s, "GET", "/healthcheck", null).statusCode() == 200
                    && send(s, "POST", "/guilds/" + GUILD + "/events", "{\"name\": \"WebPing\"}").body().contains("pong"));
            assertThat(metric(send(s, "GET", "/metrics", null).body(), "worker_restarts_total{kind=\"pool\"}"))
                    .isEqualTo(restarts + 1);
        }
    }

    @Test
    void api_keys_from_the_environment_take_effect_in_local_mode() throws Exception {
        try (RunningService s = start(Map.of("TW_API_LOOPBACK_ROOT", "false", "TW_API_MAX_BODY_BYTES", "2000"))) {
            // No loopback root: local mode enforces authentication as production does, and there is no dev login.
            HttpResponse<String> me = send(s, "GET", "/sessions/@me", null);
            assertThat(me.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(me.body()).path("code").asText()).isEqualTo("NoAuthToken");
            assertThat(send(s, "POST", "/i/kill-worker", null).statusCode()).isEqualTo(401);
            assertThat(send(s, "POST", "/oauth2/dev", "{\"user_id\": \"1\"}").statusCode()).isEqualTo(404);

            HttpResponse<String> big = send(s, "POST", "/oauth2", "{\"code\": \"" + "x".repeat(3000) + "\"}");
            assertThat(big.statusCode()).isEqualTo(413);
            JsonNode error = JSON.readTree(big.body());
            assertThat(error.path("code").asText()).isEqualTo("PayloadTooLarge");
            assertThat(error.path("message").asText()).contains("2000");
        }
    }
}
