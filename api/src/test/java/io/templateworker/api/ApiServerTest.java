package io.templateworker.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.nio.charset.StandardCharsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {

    record Greeting(String text, int count) {
    }

    record GreetRequest(String name) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch slowGate = new CountDownLatch(1);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private ApiServer server;

    private final RouteGroup sample = routes -> {
        routes.post("/greet").summary("Greets").request(GreetRequest.class).response(Greeting.class).handle(ctx -> {
            GreetRequest req = ctx.bodyAsClass(GreetRequest.class);
            if (req.name() == null || req.name().isBlank()) {
                throw ApiException.badRequest("name is required: send {\"name\": \"...\"}");
            }
            ctx.json(new Greeting("hello " + req.name(), 1));
        });
        routes.get("/guilds/{guild_id}/thing").summary("Reads a thing").access(Access.USER).response(Greeting.class)
                .handle(ctx -> ctx.json(new Greeting(ctx.pathParam("guild_id"), 2)));
        routes.get("/i/secret").summary("Internal").access(Access.ROOT).response(Integer.class).handle(ctx -> ctx.json(7));
        routes.get("/boom").summary("Fails").handle(ctx -> {
            throw new IllegalStateException("kaboom");
        });
        routes.get("/slow").summary("Waits for the test").handle(ctx -> {
            slowEntered.countDown();
            slowGate.await(30, TimeUnit.SECONDS);
            ctx.contentType("application/json").result("null");
        });
    };

    private ApiServer start(RouteGroup... groups) {
        server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(20)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(groups)).start();
        return server;
    }

    @AfterEach
    void stop() {
        slowGate.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Origin", "https://dash.example");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthcheck_answers_null_on_get_and_post() throws Exception {
        start();
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = send(method, "/healthcheck", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("null");
        }
    }

    @Test
    void openapi_is_generated_from_declared_routes() throws Exception {
        start(sample);
        HttpResponse<String> r = send("GET", "/openapi", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        JsonNode greet = doc.path("paths").path("/greet").path("post");
        assertThat(greet.path("summary").asText()).isEqualTo("Greets");
        assertThat(greet.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText())
                .endsWith("/GreetRequest");
        JsonNode greeting = doc.path("components").path("schemas").path("Greeting").path("properties");
        assertThat(greeting.has("text")).isTrue();
        assertThat(greeting.has("count")).isTrue();
        JsonNode thing = doc.path("paths").path("/guilds/{guild_id}/thing").path("get");
        assertThat(thing.path("parameters").get(0).path("name").asText()).isEqualTo("guild_id");
        assertThat(thing.path("security").get(0).has("UserAuth")).isTrue();
        assertThat(doc.path("paths").has("/i/secret")).as("internal routes stay out of the public document").isFalse();
        assertThat(doc.path("paths").has("/docs/assets/{file}")).isFalse();

        JsonNode internal = JSON.readTree(send("GET", "/i/openapi", null).body());
        assertThat(internal.path("paths").has("/i/secret")).isTrue();
        assertThat(internal.path("paths").has("/greet")).isFalse();
    }

    @Test
    void docs_page_and_its_assets_are_served_from_the_jar() throws Exception {
        start();
        HttpResponse<String> page = send("GET", "/docs", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.body()).contains("/openapi").contains("/docs/assets/swagger-ui-bundle.js").doesNotContain("cdn");
        HttpResponse<String> bundle = send("GET", "/docs/assets/swagger-ui-bundle.js", null);
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(send("GET", "/docs/assets/pom.xml", null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknown_route_is_a_json_404() throws Exception {
        start();
        HttpResponse<String> r = send("GET", "/no/such/route", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"message\":\"Not Found\",\"code\":\"NotFound\"}"));
    }

    @Test
    void handler_errors_become_json_bodies_with_upstream_codes() throws Exception {
        start(sample);
        HttpResponse<String> bad = send("POST", "/greet", "{\"name\": \"\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("code").asText()).isEqualTo("BadRequest");
        assertThat(JSON.readTree(bad.body()).path("message").asText()).contains("name is required");

        // The 500 says only an error id; the log has the id with the exception (captured here, so the output stays quiet).
        ch.qos.logback.classic.Logger serverLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ApiServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured = new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        serverLog.addAppender(captured);
        serverLog.setAdditive(false);
        HttpResponse<String> boom;
        try {
            boom = send("GET", "/boom", null);
        } finally {
            serverLog.setAdditive(true);
            serverLog.detachAppender(captured);
        }
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(boom.body()).path("code").asText()).isEqualTo("InternalError");
        assertThat(boom.body()).doesNotContain("kaboom").doesNotContain("java.");
        assertThat(captured.list).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).startsWith("request GET /boom failed (error id ");
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("kaboom");
        });

        HttpResponse<String> ok = send("POST", "/greet", "{\"name\": \"ada\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("text").asText()).isEqualTo("hello ada");
    }

    @Test
    void cors_is_permissive_and_metrics_count_requests_by_route() throws Exception {
        start(sample);
        HttpResponse<String> r = send("GET", "/guilds/42/thing", null);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("http_server_requests_seconds_count{")
                .contains("route=\"/guilds/{guild_id}/thing\"");
    }

    @Test
    void metrics_include_the_runtime_worker_metrics() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.templateworker.api.system.RuntimeMetricsCollector.bindTo(meters);
        server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(20)), meters, List.of()).start();
        io.templateworker.runtime.metrics.WorkerMetrics.EVENTS_DISPATCHED.inc("filtered");
        io.templateworker.runtime.metrics.WorkerMetrics.EXPIRY_LATENESS.observe(0.003);
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("worker_events_dispatched_total{result=\"filtered\"} ")
                .contains("worker_events_dispatched_total{result=\"refused\"} 0")
                .contains("worker_vms 0")
                .contains("key_expiry_lateness_seconds_bucket{le=\"0.005\"}")
                .contains("# HELP worker_template_errors_total");
    }

    @Test
    void a_route_without_summary_or_handler_is_rejected_at_construction() {
        assertThatThrownBy(() -> start(routes -> routes.get("/x").handle(ctx -> ctx.result("x"))))
                .hasMessageContaining("GET /x").hasMessageContaining("summary");
        assertThatThrownBy(() -> start(routes -> routes.get("/y").summary("y")))
                .hasMessageContaining("GET /y").hasMessageContaining("handler");
        server = null;
    }

    @Test
    void stop_refuses_new_requests_and_waits_for_running_ones() throws Exception {
        start(sample);
        // A plain socket for the long request: java.net.http may transparently retry a request on a new
        // connection, which would hide whether the server really kept the running request alive.
        int port = server.port();
        // Own threads, not the common pool: on a 2-core machine its single worker would run these one by one.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
        assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop, threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> send("GET", "/healthcheck", null).statusCode() == 503);
        assertThat(stopping).isNotDone();
        slowGate.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        stopping.get(10, TimeUnit.SECONDS);
        threads.shutdown();
    }
}
