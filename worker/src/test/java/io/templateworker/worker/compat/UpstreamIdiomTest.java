package io.templateworker.worker.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.captcha.ImageCaptchaPlugin;
import io.templateworker.runtime.plugin.http.HttpClientPlugin;
import io.templateworker.runtime.plugin.http.HttpRules;
import io.templateworker.runtime.plugin.http.SafeDns;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.objectstorage.ObjectStoragePlugin;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.objects.LocalObjectStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.expiry.ExpiringKv;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.luau.TemplateLibraries;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's bar: a template written for upstream, against upstream's type definitions, runs here unmodified.
 * {@code src/test/resources/upstream-idiom/template} is such a template (written for this test in upstream's idiom:
 * a table of handlers by event name, {@code ctx:event()}, {@code require("@antiraid/…")}, types from
 * {@code @antiraid-core/primitives}, an {@code @antiraid-ext} library, a relative require, {@code task.*}); its
 * {@code library} folder stands in for a templating-types checkout set as {@code templates.libraries} (our own type
 * stubs: no upstream file is copied). The template runs through a real thread pool on real PostgreSQL KV with key
 * expiry, local object storage, a local HTTP server reachable only through a test allow rule, the image captcha
 * and the Runtime plugin; each handler returns what it observed, compared here with what upstream gives.
 */
class UpstreamIdiomTest {
  static final Path ROOT = Path.of("src/test/resources/upstream-idiom");
  static final TenantId GUILD = TenantId.guild(1122334455667788L);
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final List<String> EVENTS = List.of("OnStartup", "KvRoundTrip", "SetReminder", "KeyExpiry", "Modules",
      "Concurrent", "Plugins");
  static final List<String> CAPS = List.of("kv:*", "kv.meta:keys", "kv.meta:id_ops", "kv.meta:list_scopes",
      "objectstorage:list_files", "objectstorage:file_exists", "objectstorage:download_file",
      "objectstorage:get_file_url", "objectstorage:upload_file", "objectstorage:delete_file", "runtime:*");

  @TempDir
  Path objects;

  final List<String> errors = new CopyOnWriteArrayList<>();
  DataSource db;
  PostgresKvStore kv;
  ThreadPool pool;
  ExpiringKv expiring;
  HttpServer web;
  HttpClientPlugin http;

  @BeforeEach
  void start() throws Exception {
    web = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    web.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    web.createContext("/echo", ex -> {
      String in = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String ping = in.replaceAll(".*\"ping\"\\s*:\\s*\"([^\"]*)\".*", "$1");
      byte[] body = ("{\"ping\": \"" + ping + "\", \"header\": \"" + ex.getRequestHeaders().getFirst("X-Compat") + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("X-Echo", ex.getRequestMethod());
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    web.start();
    int port = web.getAddress().getPort();
    SafeDns dns = new SafeDns(host -> {
      if (host.equals("web.test")) {
        return new InetAddress[] {LOOPBACK};
      }
      throw new UnknownHostException(host);
    }, a -> a.equals(LOOPBACK)); // the test-only allow rule
    http = new HttpClientPlugin(new HttpRules(Set.of("web.test"), HttpRules.DEFAULT_BLOCKED), dns, h -> port, 64 * 1024);

    db = TestPostgres.freshDatabase();
    expiring = new ExpiringKv(db);
    kv = expiring.kv;
    PostgresTemplateStore templates = new PostgresTemplateStore(db);
    templates.create(GUILD, new TemplateSpec("compat", files(ROOT.resolve("template")), EVENTS, CAPS, false, null, "luau"));
    Plugins plugins = Plugins.builder()
        .add(new KvPlugin())
        .add(new ObjectStoragePlugin(new LocalObjectStore(objects), 512 * 1024, 8 * 1024 * 1024))
        .add(http)
        .add(new ImageCaptchaPlugin())
        .add(new RuntimePlugin(RuntimeInfo.minimal(Instant.parse("2026-03-01T10:00:00Z"))))
        .build();
    LuauIsolateFactory isolates = new LuauIsolateFactory(Limits.defaults()).withPlugins(plugins)
        .withLibraries(TemplateLibraries.load(List.of(ROOT.resolve("library")), null, null));
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(new PostgresTenantStateStore(db), templates, kv),
        isolates, new ErrorReporter() {
          @Override
          public void report(TenantId tenant, String template, String event, String error) {
            errors.add(template + " on " + event + ": " + error);
          }
        }, KhronosValue.Null.INSTANCE).start();
    expiring.start(pool);
  }

  @AfterEach
  void stop() {
    expiring.close();
    pool.kill();
    http.close();
    web.stop(0);
  }

  /** The template's files by path relative to its folder, as {@code PUT …/templates/{name}} takes them. */
  static Map<String, String> files(Path folder) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.put(folder.relativize(p).toString().replace('\\', '/'), Files.readString(p));
      }
    }
    return out;
  }

  /** Dispatches {@code event} and returns the observations of the template's handler. */
  Map<String, String> dispatch(String event, KhronosValue data) throws Exception {
    KhronosValue result = pool.dispatchEvent(GUILD, CreateEvent.of(event, data)).get(30, TimeUnit.SECONDS);
    assertThat(errors).isEmpty();
    for (KhronosValue item : ((KhronosValue.ListValue) result).items()) {
      KhronosValue.MapValue entry = (KhronosValue.MapValue) item;
      if (entry.get("id").equals(new KhronosValue.Text("compat"))) {
        assertThat(entry.get("type")).as("%s: %s", event, entry.get("value")).isEqualTo(new KhronosValue.Text("ok"));
        Map<String, String> out = new LinkedHashMap<>();
        for (KhronosValue.Entry e : ((KhronosValue.MapValue) entry.get("value")).entries()) {
          out.put(((KhronosValue.Text) e.key()).value(), ((KhronosValue.Text) e.value()).value());
        }
        return out;
      }
    }
    throw new AssertionError("no result of the template in " + result);
  }

  Map<String, String> dispatch(String event) throws Exception {
    return dispatch(event, KhronosValue.Null.INSTANCE);
  }

  @Test
  void the_context_and_the_event_as_upstream_gives_them() throws Exception {
    KhronosValue startup = new KhronosValue.MapValue(List.of(
        new KhronosValue.Entry(new KhronosValue.Text("reason"), new KhronosValue.Text("worker_startup"))));
    Map<String, String> o = dispatch("OnStartup", startup);
    assertThat(o).containsEntry("name", "OnStartup").containsEntry("reason", "worker_startup")
        .containsEntry("guild_id", GUILD.idString())
        .containsEntry("caps", String.join(",", CAPS))
        .containsEntry("has_kv", "true").containsEntry("has_any", "true")
        .containsEntry("memory_limit_is_number", "true")
        .containsEntry("child_caps", "kv.meta:keys");
    assertThat(o.get("child_set")).contains("KV operation `set` not allowed in this template context");
    assertThat(o.get("wider_child")).contains("Missing capability: kv:*");
    assertThat(o.get("not_held")).contains("Missing capability: kv:get:*");
    // ctx.store lives as long as the tenant VM (the worker's own OnStartup at start may have counted first)
    int startups = Integer.parseInt(o.get("startups"));
    assertThat(dispatch("OnStartup", startup)).containsEntry("startups", String.valueOf(startups + 1));
  }

  @Test
  void kv_keeps_types_and_speaks_upstreams_record_shapes() throws Exception {
    Map<String, String> o = dispatch("KvRoundTrip");
    assertThat(o).containsEntry("set_result", "string false").containsEntry("set_again_exists", "true")
        .containsEntry("same_id", "true")
        .containsEntry("datetime_type", "DateTime").containsEntry("datetime_equal", "true").containsEntry("exists", "true")
        .containsEntry("timedelta", "TimeDelta 90")
        .containsEntry("i64", "I64 9007199254740993")
        .containsEntry("nested", "[] n 3 1.5 true")
        .containsEntry("stored_nil", "nil true")
        .containsEntry("absent", "nil false")
        .containsEntry("record", "when true compat DateTime DateTime nil")
        .containsEntry("missing_record", "false")
        .containsEntry("getbyid", "true true")
        .containsEntry("expires_at", "DateTime")
        .containsEntry("expiry_cleared", "nil")
        .containsEntry("find", "delta,expiring,nested,when")
        .containsEntry("keys", "big,delta,expiring,nested,null,when")
        .containsEntry("exists_fn", "true").containsEntry("deleted", "false")
        .containsEntry("scopes", "compat");
    assertThat(o.get("unscoped")).startsWith("Unscoped operations are not allowed"); // upstream's text, then why
  }

  @Test
  void a_key_set_with_expires_at_comes_back_as_key_expiry() throws Exception {
    assertThat(dispatch("SetReminder")).containsEntry("set", "false");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> kv.get(GUILD, List.of("compat"), "fired") != null);
    KvRecord fired = kv.get(GUILD, List.of("compat"), "fired");
    // KeyExpiry's data is {id, key, scopes} (UPSTREAM.md §6.1); the key's value is still readable while it runs
    assertThat(fired.value().toString()).contains("reminder").contains("reminders").contains("string").contains("stretch");
    assertThat(errors).isEmpty();
  }

  @Test
  void core_modules_by_the_type_definitions_names() throws Exception {
    Map<String, String> o = dispatch("Modules");
    assertThat(o).containsEntry("tz", "Asia/Kolkata 5:30")
        .containsEntry("format", "1971-01-02 00:00:00")
        .containsEntry("compare", "true true")
        .containsEntry("duration_since", "30")
        .containsEntry("timestamps", "1030 1030000")
        .containsEntry("offset", "+05:30")
        .containsEntry("utcToTz", "DateTime")
        .containsEntry("json_array", "[]")
        .containsEntry("json_parsed", "2 nil true")
        .containsEntry("null", "userdata")
        .containsEntry("memusage", "true")
        .containsEntry("u64", "U64 42")
        .containsEntry("i64", "-15")
        .containsEntry("bitu64", "8 1099511627776")
        .containsEntry("randstring", "16")
        .containsEntry("lazy", "Lazy hi")
        .containsEntry("base64", "aGVsbG8=")
        .containsEntry("base64decode", "Blob 5 hello")
        .containsEntry("aes", "secret")
        .containsEntry("tar", "a.txt,b.txt 2")
        .containsEntry("load", "42")
        .containsEntry("oneshot", "from a task")
        .containsEntry("select", "1 second true")
        .containsEntry("strings", "a|b|c");
  }

  @Test
  void tasks_of_one_template_wait_on_kv_together() throws Exception {
    assertThat(dispatch("Concurrent")).containsEntry("sum", "150");
  }

  @Test
  void object_storage_http_captcha_and_runtime() throws Exception {
    Map<String, String> o = dispatch("Plugins");
    assertThat(o).containsEntry("list", "notes/a.txt=5,notes/b.bin=3")
        .containsEntry("exists", "true false")
        .containsEntry("download", "Blob hello")
        .containsEntry("range", "el")
        .containsEntry("url", "string")
        .containsEntry("after_delete", "1")
        .containsEntry("http_status", "200")
        .containsEntry("http_header", "POST")
        .containsEntry("http_json", "pong yes")
        .containsEntry("http_exhausted", "Response has been exhausted")
        .containsEntry("url_parts", "https web.test /a/b c=d")
        .containsEntry("captcha", "5 buffer PNG")
        .containsEntry("state_events_is_list", "true")
        .containsEntry("eventlist", "true true")
        .containsEntry("stats", "DateTime")
        .containsEntry("links", "table");
  }
}
