package io.templateworker.worker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.gateway.EventTranslator;
import io.templateworker.discord.gateway.GatewayEvent;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.MockEvent;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.captcha.ImageCaptchaPlugin;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.objectstorage.ObjectStoragePlugin;
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
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The templates of {@code examples/} as a guild runs them: each is loaded from its {@code template.json} (the body of
 * {@code PUT /guilds/{guild_id}/templates/{name}}, as README's walkthrough uploads it) into the real PostgreSQL template
 * store, and a real thread pool runs it. A member posts through the mock Discord's admin route; what the mock
 * dispatches goes through the gateway's {@link EventTranslator} to the worker, and the test reads the bot's answers
 * back from the mock. The KV store, key expiry, object storage and image captcha are the real ones.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).resolveSibling("examples");
  static final TenantId GUILD = TenantId.guild(DemoGuild.GUILD_ID);
  static final long CHANNEL = DemoGuild.GENERAL_CHANNEL_ID;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path objects;

  final HttpClient http = HttpClient.newHttpClient();
  final BlockingQueue<MockEvent> dispatched = new LinkedBlockingQueue<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  final List<String> printed = new CopyOnWriteArrayList<>();
  MockDiscord mock;
  DiscordRestClient rest;
  DataSource db;
  PostgresKvStore kv;
  PostgresTemplateStore templates;
  ThreadPool pool;
  ExpiringKv expiring;
  EventTranslator translator;

  @BeforeEach
  void start() {
    mock = MockDiscord.start(MockDiscord.Options.defaults());
    mock.rateLimits().disable();
    DemoGuild.seed(mock);
    mock.addListener(e -> {
      if (e.type().equals("MESSAGE_CREATE")) {
        dispatched.add(e);
      }
    });
    translator = new EventTranslator(mock::botId, false);
    rest = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
    db = TestPostgres.freshDatabase();
    expiring = new ExpiringKv(db);
    kv = expiring.kv;
    templates = new PostgresTemplateStore(db);
    Plugins plugins = Plugins.builder()
        .add(new DiscordPlugin(rest, RestGuildState.withDefaults(rest)))
        .add(new KvPlugin())
        .add(new ObjectStoragePlugin(new LocalObjectStore(objects), 512 * 1024, 8 * 1024 * 1024))
        .add(new ImageCaptchaPlugin())
        .build();
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(new PostgresTenantStateStore(db), templates, kv),
        new LuauIsolateFactory(Limits.defaults()).withPlugins(plugins),
        new ErrorReporter() {
          @Override
          public void report(TenantId tenant, String template, String event, String error) {
            errors.add(template + ": " + error);
          }

          @Override
          public void print(TenantId tenant, String template, String text) {
            printed.add(template + ": " + text);
          }
        }, KhronosValue.Null.INSTANCE).start();
    expiring.start(pool);
  }

  @AfterEach
  void stop() {
    expiring.close();
    pool.kill();
    rest.close();
    mock.close();
  }

  /** Stores {@code examples/<name>} from its template.json, after checking the JSON carries the folder's Luau files. */
  void upload(String name) throws Exception {
    Path folder = EXAMPLES.resolve(name);
    JsonNode body = JSON.readTree(folder.resolve("template.json").toFile());
    Map<String, String> content = store(name, body);
    try (var files = Files.list(folder)) {
      for (Path luau : files.filter(p -> p.toString().endsWith(".luau")).toList()) {
        assertThat(content.get(luau.getFileName().toString()))
            .as("examples/%s/template.json's content must hold %s exactly as the file is (update both)", name, luau.getFileName())
            .isEqualTo(Files.readString(luau));
      }
    }
  }

  /** Stores a template from the body of {@code PUT /guilds/{guild_id}/templates/{name}}; returns its files. */
  Map<String, String> store(String name, JsonNode body) {
    Map<String, String> content = new LinkedHashMap<>();
    body.get("content").properties().forEach(f -> content.put(f.getKey(), f.getValue().asText()));
    templates.create(GUILD, new TemplateSpec(name, content, strings(body.path("events")), strings(body.path("allowed_caps")),
        body.path("paused").asBoolean(false), null, "luau"));
    return content;
  }

  static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * A member posts {@code content} in #general through the mock's admin route (as README does with curl); the gateway
   * dispatch it causes is translated and dispatched to the guild. Returns the templates' results.
   */
  String post(long author, String content) throws Exception {
    String body = JSON.writeValueAsString(Map.of("author_id", Long.toUnsignedString(author), "content", content));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__mock/guilds/" + DemoGuild.GUILD_ID
            + "/channels/" + CHANNEL + "/messages")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    EventTranslator.Routed routed = null;
    while (routed == null) { // the bot's own earlier answers come first: the translator drops them, as on the gateway
      MockEvent e = dispatched.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("the mock dispatches MESSAGE_CREATE for " + content).isNotNull();
      routed = translator.translate(new GatewayEvent(0, e.type(), 1, e.data(), null));
    }
    assertThat(routed.guildId()).isEqualTo(DemoGuild.GUILD_ID);
    assertThat(routed.event().name()).isEqualTo("MESSAGE");
    KhronosValue result = pool.dispatchEvent(GUILD, routed.event()).get(30, TimeUnit.SECONDS);
    assertThat(errors).isEmpty();
    return result.toString();
  }

  /** The bot's messages in #general, oldest first, read back from the mock. */
  List<String> botMessages() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__mock/channels/" + CHANNEL
        + "/messages")).GET().build(), HttpResponse.BodyHandlers.ofString());
    List<String> out = new ArrayList<>();
    for (JsonNode m : JSON.readTree(r.body())) {
      if (m.path("author").path("bot").asBoolean(false)) {
        out.add(m.path("content").asText());
      }
    }
    return out;
  }

  @Test
  void the_readme_walkthrough_template_answers_ping_and_prints_to_the_log() throws Exception {
    // The body of README's "Write your first template" upload, as the shell passes it to curl.
    String readme = Files.readString(EXAMPLES.resolveSibling("README.md"));
    int put = readme.indexOf("/templates/hello");
    assertThat(put).as("README's walkthrough uploads templates/hello").isPositive();
    int start = readme.indexOf("-d '", put) + 4;
    String body = readme.substring(start, readme.indexOf("'", start));
    store("hello", JSON.readTree(body));
    post(DemoGuild.ALICE_ID, "hello there");
    assertThat(botMessages()).isEmpty();
    post(DemoGuild.ALICE_ID, "!ping");
    assertThat(botMessages()).containsExactly("pong");
    assertThat(printed).containsExactly("hello: alice: hello there", "hello: alice: !ping");
  }

  @Test
  void counter_counts_messages_and_answers_count() throws Exception {
    upload("counter");
    post(DemoGuild.ALICE_ID, "hello");
    post(DemoGuild.BOB_ID, "hi alice");
    assertThat(botMessages()).isEmpty();
    post(DemoGuild.ALICE_ID, "!count");
    assertThat(botMessages()).containsExactly("Messages counted: 3");
    assertThat(kv.get(GUILD, List.of("counter"), "messages").value()).isEqualTo(new KhronosValue.Int(3));
  }

  @Test
  void reminder_fires_through_key_expiry() throws Exception {
    upload("reminder");
    Instant asked = Instant.now();
    post(DemoGuild.BOB_ID, "!remind 1 stretch your legs");
    assertThat(botMessages()).containsExactly("I will remind you in 1 s.");
    String expected = "<@" + DemoGuild.BOB_ID + "> reminder: stretch your legs";
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> botMessages().contains(expected));
    assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1)); // not early
    await().atMost(Duration.ofSeconds(10)).until(() -> kv.keys(GUILD, List.of("reminders")).isEmpty()); // then deleted
    assertThat(errors).isEmpty();
    post(DemoGuild.BOB_ID, "!remind 0 never");
    assertThat(botMessages()).last().isEqualTo("Pick a delay between 1 and 86400 seconds.");
  }

  @Test
  void captcha_sends_a_link_to_the_image_and_checks_the_answer() throws Exception {
    upload("captcha");
    String alice = "<@" + DemoGuild.ALICE_ID + "> ";
    post(DemoGuild.ALICE_ID, "!answer abcde");
    assertThat(botMessages()).containsExactly(alice + "no captcha is waiting for you: send !captcha first.");

    post(DemoGuild.ALICE_ID, "!captcha");
    String sent = botMessages().getLast();
    assertThat(sent).startsWith(alice + "type `!answer` followed by the 5 characters of ");
    Path png = Path.of(URI.create(sent.substring(sent.lastIndexOf(' ') + 1)));
    byte[] image = Files.readAllBytes(png);
    assertThat(image).startsWith(0x89, 'P', 'N', 'G');
    KvRecord answer = kv.get(GUILD, List.of("captcha"), Long.toUnsignedString(DemoGuild.ALICE_ID));
    String text = ((KhronosValue.Text) answer.value()).value();
    assertThat(text).hasSize(5);
    assertThat(answer.expiresAt()).isAfter(Instant.now().plusSeconds(200));

    post(DemoGuild.ALICE_ID, "!answer " + (text.equals("zzzzz") ? "yyyyy" : "zzzzz"));
    assertThat(botMessages().getLast()).isEqualTo(alice + "wrong answer, try again.");
    post(DemoGuild.ALICE_ID, "!answer " + text.toLowerCase());
    assertThat(botMessages().getLast()).isEqualTo(alice + "correct, welcome!");
    assertThat(kv.get(GUILD, List.of("captcha"), Long.toUnsignedString(DemoGuild.ALICE_ID))).isNull();
  }
}
