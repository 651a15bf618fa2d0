package io.templateworker.api.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiServer;
import io.templateworker.api.internal.InternalRoutes;
import io.templateworker.api.templates.TemplateRoutes;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker metrics as an operator reads them: a real thread pool runs a template stored through the API, events go
 * in over HTTP, and {@code /metrics} counts what happened. The counters are process-wide, so the test compares
 * figures before and after.
 */
class WorkerMetricsTest {
  static final long GUILD = (9L << 22) + 3;
  final HttpClient http = HttpClient.newHttpClient();
  TenantLogBook logs;
  ThreadPool pool;
  ApiServer server;

  @BeforeEach
  void start() {
    DataSource db = TestPostgres.freshDatabase();
    PostgresTemplateStore templates = new PostgresTemplateStore(db);
    TenantServices services = new TenantServices(new PostgresTenantStateStore(db), templates,
        new PostgresKvStore(db, InstantSource.system(), (t, id, key, scopes, at) -> {}));
    logs = new TenantLogBook(new PostgresTemplateErrorStore(db));
    Plugins plugins = Plugins.builder().add(new KvPlugin()).build();
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, services,
        new LuauIsolateFactory(Limits.defaults()).withPlugins(plugins), logs, KhronosValue.Null.INSTANCE).start();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RuntimeMetricsCollector.bindTo(meters);
    server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(5)), meters,
        List.of(new InternalRoutes(pool), new TemplateRoutes(templates, pool, logs))).start();
  }

  @AfterEach
  void stop() {
    server.close();
    pool.kill();
    logs.close();
  }

  @Test
  void dispatches_template_errors_vms_and_queues_are_counted_on_metrics() throws Exception {
    String init = """
        return {
          Count = function(ctx) ctx.KV:set("n", 1, {"s"}) return ctx.KV:get("n", {"s"}) end,
          Fail = function(ctx) error("boom") end,
        }
        """;
    String body = "{\"content\": {\"init.luau\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(init)
        + "}, \"events\": [\"Count\", \"Fail\"], \"allowed_caps\": [\"kv:*\"]}";
    String metrics = metrics();
    double ok = value(metrics, "worker_events_dispatched_total{result=\"ok\"}");
    double filtered = value(metrics, "worker_events_dispatched_total{result=\"filtered\"}");
    double errors = value(metrics, "worker_template_errors_total");

    assertThat(send("PUT", "/guilds/" + GUILD + "/templates/counter", body).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/i/dispatch-event/" + GUILD, "{\"name\": \"Count\"}").body()).contains("Integer");
    assertThat(send("POST", "/i/dispatch-event/" + GUILD, "{\"name\": \"Fail\"}").body()).contains("boom");
    assertThat(send("POST", "/i/dispatch-event/" + GUILD, "{\"name\": \"Nobody\"}").body()).isEqualTo("\"Null\"");

    String after = metrics();
    // OnStartup after the PUT may or may not count as ok by now; the two dispatches above surely do.
    assertThat(value(after, "worker_events_dispatched_total{result=\"ok\"}")).isGreaterThanOrEqualTo(ok + 2);
    assertThat(value(after, "worker_events_dispatched_total{result=\"filtered\"}")).isGreaterThanOrEqualTo(filtered + 1);
    assertThat(value(after, "worker_template_errors_total")).isGreaterThanOrEqualTo(errors + 1);
    assertThat(value(after, "worker_vms")).isGreaterThanOrEqualTo(1);
    assertThat(after).contains("worker_queued_events{queue=\"tenant\"} ");

    // The VM goes away with the pool; the gauge follows.
    double vms = value(after, "worker_vms");
    pool.kill();
    await().atMost(Duration.ofSeconds(20)).until(() -> value(metrics(), "worker_vms") <= vms - 1);
  }

  private String metrics() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The sample {@code series}' value, 0 when absent. */
  static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
