package io.templateworker.api.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiServer;
import io.templateworker.api.internal.InternalRoutes;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.thread.ThreadPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Templates and logs over real HTTP, stored in a real PostgreSQL, run by a real thread pool of Luau VMs. */
class TemplateRoutesTest {
  static final long GUILD = (7L << 22) + 5;
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  DataSource db;
  TenantLogBook logs;
  ThreadPool pool;
  ApiServer server;

  @BeforeEach
  void start() {
    db = TestPostgres.freshDatabase();
    startServer();
  }

  void startServer() {
    PostgresTemplateStore templates = new PostgresTemplateStore(db);
    TenantServices services = new TenantServices(new PostgresTenantStateStore(db), templates,
        new PostgresKvStore(db, InstantSource.system(), (t, id, key, scopes, at) -> {}));
    logs = new TenantLogBook(new PostgresTemplateErrorStore(db));
    pool = new ThreadPool(2, WorkerConfig.DEFAULTS, services, LuauIsolateFactory.withDefaultLimits(), logs,
        KhronosValue.Null.INSTANCE).start();
    server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(5)),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(new InternalRoutes(pool), new TemplateRoutes(templates, pool, logs))).start();
  }

  @AfterEach
  void stop() {
    server.close();
    pool.kill();
    logs.close();
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String name, String body) throws Exception {
    return send("PUT", "/guilds/" + GUILD + "/templates/" + name, body);
  }

  JsonNode dispatch(String event) throws Exception {
    HttpResponse<String> r = send("POST", "/i/dispatch-event/" + GUILD, "{\"name\": \"" + event + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static String body(String init, String events) throws Exception {
    return "{\"content\": {\"init.luau\": " + JSON.writeValueAsString(init) + "}, \"events\": " + events
        + ", \"allowed_caps\": [], \"paused\": false}";
  }

  JsonNode logLines() throws Exception {
    HttpResponse<String> r = send("GET", "/guilds/" + GUILD + "/logs", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("entries");
  }

  @Test
  void put_stores_the_template_and_it_runs_at_once_with_on_startup_and_its_prints_in_the_logs() throws Exception {
    HttpResponse<String> created = put("greeter", body("""
        print("loading")
        return {
          OnStartup = function(ctx) print("started: " .. ctx.event.data.reason) end,
          Hello = function(ctx) return "hi" end,
        }
        """, "[\"Hello\"]"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    JsonNode view = JSON.readTree(created.body());
    assertThat(view.get("name").asText()).isEqualTo("greeter");
    assertThat(view.get("events").get(0).asText()).isEqualTo("Hello");

    // No tenant state, no restart: the template's event passes the filter and it has already started.
    assertThat(dispatch("Hello").toString()).contains("{\"Text\":\"hi\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> logLines().toString().contains("started: updateTemplateCache"));
    JsonNode lines = logLines();
    assertThat(lines.get(0).get("kind").asText()).isEqualTo("print");
    assertThat(lines.get(0).get("template").asText()).isEqualTo("greeter");
    assertThat(lines.get(0).get("message").asText()).isEqualTo("loading");

    // Replaced: the new code runs on the next event, without a restart.
    assertThat(put("greeter", body("return { Hello = function() return 'hello again' end }", "[\"Hello\"]")).statusCode()).isEqualTo(200);
    assertThat(dispatch("Hello").toString()).contains("hello again");

    HttpResponse<String> list = send("GET", "/guilds/" + GUILD + "/templates", null);
    assertThat(JSON.readTree(list.body()).get(0).get("name").asText()).isEqualTo("greeter");
    HttpResponse<String> one = send("GET", "/guilds/" + GUILD + "/templates/greeter", null);
    assertThat(JSON.readTree(one.body()).get("content").get("init.luau").asText()).contains("hello again");

    assertThat(send("DELETE", "/guilds/" + GUILD + "/templates/greeter", null).statusCode()).isEqualTo(200);
    assertThat(dispatch("Hello").toString()).isEqualTo("\"Null\"");
    assertThat(send("GET", "/guilds/" + GUILD + "/templates/greeter", null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/guilds/" + GUILD + "/templates/greeter", null).statusCode()).isEqualTo(404);
  }

  @Test
  void a_template_that_does_not_compile_is_refused_with_file_line_and_column() throws Exception {
    HttpResponse<String> r = send("PUT", "/guilds/" + GUILD + "/templates/broken",
        "{\"content\": {\"init.luau\": \"return {}\", \"lib/util.luau\": \"local x = = 1\"}, \"events\": [\"E\"]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("message").asText()).startsWith("content[\"lib/util.luau\"]: does not compile:")
        .contains("/lib/util.luau:1:11:");
    assertThat(send("GET", "/guilds/" + GUILD + "/templates/broken", null).statusCode()).isEqualTo(404);
  }

  @Test
  void validation_errors_name_the_field_and_why() throws Exception {
    assertThat(message(put("t", "nope"))).startsWith("body: not valid JSON");
    assertThat(message(put("t", "{\"events\": []}"))).startsWith("content: required");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": 5}}"))).isEqualTo("content[\"init.luau\"]: expected the file's source as a string");
    assertThat(message(put("t", "{\"content\": {\"a.luau\": \"return 1\"}}"))).contains("no init.luau");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": \"return {}\"}, \"events\": \"E\"}"))).isEqualTo("events: expected a list of strings");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": \"return {}\"}, \"allowed_caps\": [\"kv:*\", 3]}")))
        .isEqualTo("allowed_caps[1]: expected a string, got 3");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": \"return {}\"}, \"paused\": \"yes\"}"))).isEqualTo("paused: expected true or false");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": \"return {}\"}, \"error_channel\": \"general\"}"))).contains("error_channel");
    assertThat(message(put("t", "{\"content\": {\"init.luau\": \"return {}\"}, \"colour\": 1}"))).startsWith("body: unknown field \"colour\"");
    assertThat(message(put("$builtins", "{\"content\": {\"init.luau\": \"return {}\"}}"))).contains("reserved");
    assertThat(message(send("GET", "/guilds/abc/templates", null))).startsWith("path parameter guild_id must be a Discord id");
    assertThat(message(send("GET", "/guilds/" + GUILD + "/logs?limit=0", null))).startsWith("limit:");
  }

  String message(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    return JSON.readTree(r.body()).get("message").asText();
  }

  @Test
  void template_errors_are_in_the_logs_with_traceback_and_kept_across_a_restart() throws Exception {
    assertThat(put("buggy", body("return {\n E = function(ctx)\n  local t = nil\n  return t.x\n end }", "[\"E\"]")).statusCode()).isEqualTo(200);

    assertThat(dispatch("E").toString()).contains("attempt to index nil");
    await().atMost(Duration.ofSeconds(10)).until(() -> logLines().toString().contains("attempt to index nil"));
    JsonNode error = logLines().get(logLines().size() - 1);
    assertThat(error.get("kind").asText()).isEqualTo("error");
    assertThat(error.get("template").asText()).isEqualTo("buggy");
    assertThat(error.get("event").asText()).isEqualTo("E");
    assertThat(error.get("message").asText()).contains("/init.luau:4:");
    assertThat(error.get("traceback").asText()).contains("init.luau");

    // A restart loses the prints but not the errors: they come back from the template_errors table.
    stop();
    startServer();
    JsonNode after = logLines();
    assertThat(after.toString()).contains("attempt to index nil");
    assertThat(after.get(after.size() - 1).get("template").asText()).isEqualTo("buggy");
  }

  @Test
  void openapi_documents_the_template_routes_and_their_types() throws Exception {
    String doc = send("GET", "/openapi", null).body();
    assertThat(doc).contains("/guilds/{guild_id}/templates/{name}").contains("/guilds/{guild_id}/logs")
        .contains("\"TemplateBody\"").contains("allowed_caps").contains("\"LogLine\"");
  }
}
