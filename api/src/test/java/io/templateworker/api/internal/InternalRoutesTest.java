package io.templateworker.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiServer;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The internal routes over real HTTP against a real thread pool running a Luau template. */
class InternalRoutesTest {
  static final long GUILD = (5L << 22) + 1;
  final HttpClient http = HttpClient.newHttpClient();
  ThreadPool pool;
  ApiServer server;

  @BeforeEach
  void start() {
    TenantId tenant = TenantId.guild(GUILD);
    TenantStateStore states = new TenantStateStore() {
      public TenantState get(TenantId t) {
        return t.equals(tenant) ? new TenantState(Set.of("Ping"), false, TenantState.empty().data()) : TenantState.empty();
      }

      public void set(TenantId t, TenantState s) {}

      public void setBanned(TenantId t, boolean b) {}

      public Map<TenantId, TenantState> listForWorker(int w, int n) {
        return Map.of();
      }
    };
    Template echo = new Template(tenant, "echo", Map.of("init.luau",
        "return { Ping = function(ctx) return 'pong ' .. ctx.event.data.n end }"), List.of("Ping"), List.of(), false,
        null, "luau", Instant.EPOCH, Instant.EPOCH);
    TemplateStore templates = new TemplateStore() {
      public List<Template> list(TenantId t) {
        return t.equals(tenant) ? List.of(echo) : List.of();
      }

      public Template get(TenantId t, String name) {
        return null;
      }

      public Template create(TenantId t, TemplateSpec s) {
        throw new UnsupportedOperationException();
      }

      public Template update(TenantId t, String n, TemplateSpec s) {
        throw new UnsupportedOperationException();
      }

      public boolean delete(TenantId t, String n) {
        throw new UnsupportedOperationException();
      }
    };
    pool = new ThreadPool(3, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null),
        LuauIsolateFactory.withDefaultLimits(), (t, tpl, ev, err) -> {}, KhronosValue.Null.INSTANCE).start();
    server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(5)),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(new InternalRoutes(pool))).start();
  }

  @AfterEach
  void stop() {
    server.close();
    pool.kill();
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void dispatch_event_returns_the_template_results_as_khronos_json() throws Exception {
    HttpResponse<String> r = post("/i/dispatch-event/" + GUILD, "{\"name\": \"Ping\", \"data\": {\"Map\": [[{\"Text\": \"n\"}, {\"Text\": \"7\"}]]}}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"List\":[{\"Map\":[[{\"Text\":\"type\"},{\"Text\":\"ok\"}],[{\"Text\":\"id\"},{\"Text\":\"echo\"}],"
        + "[{\"Text\":\"value\"},{\"Text\":\"pong 7\"}]]}]}");
  }

  @Test
  void event_outside_the_filter_returns_null_and_bad_input_is_a_400() throws Exception {
    assertThat(post("/i/dispatch-event/" + GUILD, "{\"name\": \"Other\"}").body()).isEqualTo("\"Null\"");
    HttpResponse<String> badGuild = post("/i/dispatch-event/abc", "{\"name\": \"Ping\"}");
    assertThat(badGuild.statusCode()).isEqualTo(400);
    assertThat(badGuild.body()).contains("guild_id must be a Discord id");
    HttpResponse<String> badData = post("/i/dispatch-event/" + GUILD, "{\"name\": \"Ping\", \"data\": {\"Nope\": 1}}");
    assertThat(badData.statusCode()).isEqualTo(400);
    assertThat(badData.body()).contains("$.data").contains("not a valid KhronosValue");
  }

  @Test
  void threads_count_and_kill_worker() throws Exception {
    HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/i/threads-count")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(count.body()).isEqualTo("3");

    assertThat(post("/i/kill-worker", "").body()).isEqualTo("null");
    HttpResponse<String> after = post("/i/dispatch-event/" + GUILD, "{\"name\": \"Ping\", \"data\": {\"Map\": [[{\"Text\": \"n\"}, {\"Text\": \"1\"}]]}}");
    assertThat(after.statusCode()).isEqualTo(503);
    assertThat(after.body()).contains("has been stopped").contains("\"code\":\"Unavailable\"");
  }
}
