package io.templateworker.worker.plugins.discord;

import static io.templateworker.worker.plugins.discord.DiscordFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockInteraction;
import io.templateworker.mockdiscord.state.MockRole;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of {@code ctx.Discord} (UPSTREAM.md §8.4), called from Luau against the mock Discord, one row per case:
 * <ul>
 *   <li>{@code discord/operations.txt}: each operation once with valid arguments — the mock must have received its
 *       request and answered 2xx;</li>
 *   <li>{@code discord/refusals.txt}: each validation rule, missing bot permission, role hierarchy and ownership check —
 *       the exact error text, and nothing sent: the mock's {@code GET /__mock/requests} shows at most the reads the
 *       checks make;</li>
 *   <li>every operation without its capability {@code discord:<op>}, and past the per-tenant rate limits.</li>
 * </ul>
 * One mock and one tenant VM serve all rows: rows do not depend on each other (each makes what it changes), and the
 * rate-limit clock moves on by ten minutes before each row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordOperationsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long OTHER_GUILD = 1064135068928455000L;
  static final long OTHER_CHANNEL = 1064135068928455001L;
  static final long OTHER_BOT_ROLE = 1064135068928455002L;
  /**
   * The reads a check may make before refusing (guild, channels, a channel, a member, the bot itself, and the invite or
   * webhook whose guild is checked); any other request means something was sent that should not have been.
   */
  static final Set<String> CHECK_READS = Set.of("GET /guilds/{guild_id}", "GET /guilds/{guild_id}/channels",
      "GET /channels/{channel_id}", "GET /guilds/{guild_id}/members/{user_id}", "GET /users/@me", "GET /invites/{invite_code}",
      "GET /webhooks/{webhook_id}", "GET /webhooks/{webhook_id}/{webhook_token}");

  DiscordFixture d;
  PostgresTenantStateStore states;
  final HttpClient http = HttpClient.newHttpClient();
  final Map<String, String> vars = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    states = new PostgresTenantStateStore(TestPostgres.freshDatabase());
    states.setCanManageGuildCommands(DiscordFixture.GUILD, true);
    d = new DiscordFixture(states, DiscordFixture.GUILD);
    d.mock.locked(a -> a.createGuild(otherGuild()));
    vars.put("GUILD", id(DemoGuild.GUILD_ID));
    vars.put("GENERAL", id(DemoGuild.GENERAL_CHANNEL_ID));
    vars.put("MODLOG", id(DemoGuild.MOD_LOG_CHANNEL_ID));
    vars.put("OWNER", id(DemoGuild.OWNER_ID));
    vars.put("ALICE", id(DemoGuild.ALICE_ID));
    vars.put("BOB", id(DemoGuild.BOB_ID));
    vars.put("BOT", id(d.mock.botId()));
    vars.put("BOTROLE", id(DemoGuild.BOT_ROLE_ID));
    vars.put("MODROLE", id(DemoGuild.MODERATOR_ROLE_ID));
    vars.put("MEMBERROLE", id(DemoGuild.MEMBER_ROLE_ID));
    vars.put("OTHERCHANNEL", id(OTHER_CHANNEL));
    vars.put("STRANGER", addMember("1064135068928455099", "stranger"));
    d.rest(DiscordRequest.of("DELETE", "/guilds/{guild_id}/members/{user_id}", DemoGuild.GUILD_ID, 1064135068928455099L)); // a user, not a member
    vars.put("KICKME", addMember("1064135068928455098", "kick-me"));
    vars.put("IN29DAYS", Instant.now().plus(Duration.ofDays(29)).toString());
    vars.put("INANHOUR", Instant.now().plus(Duration.ofHours(1)).toString());
    vars.put("MSG", botPost(DemoGuild.GENERAL_CHANNEL_ID, "/channels/{channel_id}/messages", "{\"content\":\"hello\"}").path("id").asText());
    vars.put("THREAD", botPost(DemoGuild.GENERAL_CHANNEL_ID, "/channels/{channel_id}/messages/" + vars.get("MSG") + "/threads",
        "{\"name\":\"a thread\"}").path("id").asText());
    vars.put("INVITE", botPost(DemoGuild.GENERAL_CHANNEL_ID, "/channels/{channel_id}/invites", "{}").path("code").asText());
    vars.put("OTHERINVITE", botPost(OTHER_CHANNEL, "/channels/{channel_id}/invites", "{}").path("code").asText());
    JsonNode hook = botPost(OTHER_CHANNEL, "/channels/{channel_id}/webhooks", "{\"name\":\"elsewhere\"}");
    vars.put("OTHERWEBHOOK", hook.path("id").asText());
    vars.put("OTHERWEBHOOKTOKEN", hook.path("token").asText());
  }

  private String addMember(String userId, String name) {
    ObjectNode member = JSON.createObjectNode();
    member.putObject("user").put("id", userId).put("username", name);
    admin("POST", "/__mock/guilds/" + id(DemoGuild.GUILD_ID) + "/members", member.toString());
    return userId;
  }

  /** A second guild the bot is in, to check that operations refuse its channels, invites and webhooks. */
  private static ObjectNode otherGuild() {
    ObjectNode g = JSON.createObjectNode();
    g.put("id", id(OTHER_GUILD));
    g.put("name", "Someone else's guild");
    ObjectNode role = g.putArray("roles").addObject();
    role.put("id", id(OTHER_BOT_ROLE));
    role.put("name", "Bot");
    role.put("position", 1);
    role.put("permissions", Long.toString(DemoGuild.BOT_PERMISSIONS));
    ObjectNode channel = g.putArray("channels").addObject();
    channel.put("id", id(OTHER_CHANNEL));
    channel.put("name", "elsewhere");
    channel.put("type", 0);
    ObjectNode owner = g.putArray("members").addObject().putObject("user");
    owner.put("id", "1064135068928455010");
    owner.put("username", "other-owner");
    g.putArray("bot_roles").add(id(OTHER_BOT_ROLE));
    return g;
  }

  private JsonNode botPost(long channel, String route, String body) {
    try {
      return JSON.readTree(d.rest(DiscordRequest.post(route, body, channel)).body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @AfterAll
  void stop() {
    d.close();
  }

  @BeforeEach
  void freshLimits() {
    d.vm.advance(Duration.ofMinutes(10)); // every per-tenant quota (the longest is 1 / 300 s) is full again
  }

  // ---- rows ----

  /** One row of a table: its text as written (the test's name), its line, and its parts. */
  record Row(String text, int line, List<String> parts) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** The rows of a test resource: non-empty lines not starting with {@code #}, split at {@code separator}. */
  static List<Row> rows(String resource, String separator, int parts) {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(DiscordOperationsTest.class.getResourceAsStream(resource),
        StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line; (line = in.readLine()) != null; ) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] split = line.split(Pattern.quote(separator), parts);
        if (split.length != parts) {
          throw new AssertionError(resource + ":" + n + ": expected " + parts + " parts separated by '" + separator + "': " + line);
        }
        rows.add(new Row(line, n, List.of(split).stream().map(String::strip).toList()));
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return rows;
  }

  static Stream<Row> operations() {
    return rows("/discord/operations.txt", " | ", 3).stream();
  }

  static Stream<Row> refusals() {
    return rows("/discord/refusals.txt", " => ", 2).stream();
  }

  /** Replaces {@code $NAME} with the row variables (ids of the demo guild and of what the setup made). */
  String expand(String text) {
    Matcher m = Pattern.compile("\\$([A-Z0-9_]+)").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      if (v == null) {
        throw new AssertionError("unknown variable $" + m.group(1) + " in: " + text);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }

  /** A fresh slash command interaction ($INTERACTION_ID, $INTERACTION_TOKEN) for rows that answer one. */
  void freshInteraction(String text) {
    if (text.contains("$INTERACTION")) {
      MockInteraction i = d.mock.locked(a -> a.slashCommand(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID, DemoGuild.ALICE_ID,
          "ping", null));
      vars.put("INTERACTION_ID", id(i.id));
      vars.put("INTERACTION_TOKEN", i.token);
    }
  }

  /** A call to the mock's admin routes; fails the test unless it is answered 2xx. */
  JsonNode admin(String method, String path, String body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.mock.baseUrl() + path));
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The Discord requests the mock received since the last call ({@code GET /__mock/requests}, then DELETE). */
  List<String> received() {
    JsonNode list = admin("GET", "/__mock/requests", null);
    admin("DELETE", "/__mock/requests", null);
    List<String> out = new ArrayList<>();
    for (JsonNode r : list) {
      out.add(r.path("method").asText() + " " + (r.path("route").isNull() ? r.path("path").asText() : r.path("route").asText()) + " "
          + r.path("status").asInt());
    }
    return out;
  }

  /** The message of the error the script raises, without the script position Luau puts before it. */
  String error(String code) {
    try {
      d.run(code);
    } catch (LuauError e) {
      return e.getMessage().replaceFirst("^test:\\d+: ", "");
    }
    throw new AssertionError("expected an error from: " + code);
  }

  static String method(String request) {
    return request.substring(0, request.lastIndexOf(' '));
  }

  // ---- tests ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void every_operation_reaches_the_mock(Row row) {
    freshInteraction(row.text());
    String op = row.parts().get(0);
    String expected = row.parts().get(1);
    Permissions perms = Permissions.of(row.parts().get(2));
    Map<Long, Long> saved = botPermissions(perms.change());
    List<String> got;
    try {
      received();
      d.run("local D = ctx.Discord\n" + expand(perms.rest()));
      got = received();
    } catch (LuauError e) {
      throw new AssertionError("operations.txt:" + row.line() + " (" + op + ") failed: " + e.getMessage(), e);
    } finally {
      restore(saved);
    }
    if (expected.equals("-")) {
      assertThat(got).as("a helper only reads the guild state").allSatisfy(r -> assertThat(CHECK_READS).contains(method(r)));
      return;
    }
    assertThat(got).as("the requests the mock received for %s", op)
        .anySatisfy(r -> {
          assertThat(method(r)).isEqualTo(expected);
          assertThat(Integer.parseInt(r.substring(r.lastIndexOf(' ') + 1))).isBetween(200, 299);
        });
  }

  @Test
  void the_operations_table_covers_every_operation() {
    Set<String> covered = new TreeSet<>();
    operations().forEach(r -> covered.add(r.parts().get(0)));
    Set<String> all = new TreeSet<>(DiscordPlugin.operationNames());
    all.add("antiraid_bulk_op");
    all.add("antiraid_bulk_op_wait");
    assertThat(covered).containsExactlyElementsOf(all);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refused_with_upstreams_text_and_nothing_sent(Row row) {
    Permissions perms = Permissions.of(row.parts().get(0));
    String call = perms.rest();
    String code = call.startsWith("!") ? call.substring(1) : "ctx.Discord:" + call.replaceFirst(" ", "(") + ")";
    Map<Long, Long> saved = botPermissions(perms.change());
    try {
      received();
      assertThat(error("local D = ctx.Discord\n" + expand(code))).as("refusals.txt:" + row.line()).isEqualTo(expand(row.parts().get(1)));
      assertThat(received()).as("requests sent for refusals.txt:" + row.line()).allSatisfy(r -> assertThat(CHECK_READS).contains(method(r)));
    } finally {
      restore(saved);
    }
  }

  /**
   * A row's leading {@code [-PERM +PERM ...]}: permissions the bot loses (from every role) or gains (on its own role)
   * for that row.
   */
  record Permissions(Map<DiscordPermission, Boolean> change, String rest) {
    static Permissions of(String text) {
      Map<DiscordPermission, Boolean> change = new HashMap<>();
      Matcher m = Pattern.compile("^\\[([^\\]]*)\\]\\s*").matcher(text);
      if (!m.find()) {
        return new Permissions(change, text);
      }
      for (String p : m.group(1).trim().split("\\s+")) {
        DiscordPermission perm = DiscordPermission.named(p.substring(1));
        if (perm == null || !(p.startsWith("+") || p.startsWith("-"))) {
          throw new AssertionError("not +PERMISSION or -PERMISSION: " + p);
        }
        change.put(perm, p.startsWith("+"));
      }
      return new Permissions(change, text.substring(m.end()));
    }
  }

  /**
   * Takes permissions from (or gives them to) the bot in the demo guild: from every role, {@code @everyone} included, so
   * that the bot lacks them. Returns the roles' permissions to restore.
   */
  Map<Long, Long> botPermissions(Map<DiscordPermission, Boolean> change) {
    if (change.isEmpty()) {
      return Map.of();
    }
    Map<Long, Long> saved = d.mock.locked(a -> {
      MockGuild g = d.mock.state().guilds.get(DemoGuild.GUILD_ID);
      Map<Long, Long> before = new HashMap<>();
      for (MockRole r : g.roles.values()) {
        before.put(r.id, r.permissions);
        for (Map.Entry<DiscordPermission, Boolean> c : change.entrySet()) {
          if (c.getValue()) {
            if (r.id == DemoGuild.BOT_ROLE_ID) {
              r.permissions |= c.getKey().bit();
            }
          } else {
            r.permissions &= ~c.getKey().bit();
          }
        }
      }
      return before;
    });
    d.guildState.invalidate(DemoGuild.GUILD_ID);
    return saved;
  }

  void restore(Map<Long, Long> saved) {
    if (saved.isEmpty()) {
      return;
    }
    d.mock.locked(a -> {
      MockGuild g = d.mock.state().guilds.get(DemoGuild.GUILD_ID);
      saved.forEach((role, perms) -> g.roles.get(role).permissions = perms);
      return null;
    });
    d.guildState.invalidate(DemoGuild.GUILD_ID);
  }

  static Stream<String> everyOperation() {
    Set<String> all = new TreeSet<>(DiscordPlugin.operationNames());
    all.add("antiraid_bulk_op");
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOperation")
  void every_operation_needs_its_capability(String op) {
    received();
    assertThat(error("local c = ctx:with({capabilities = {'kv:*'}})\nc.Discord:" + op + "({})"))
        .isEqualTo("Discord action not allowed in this template context: " + op + " needs the capability discord:" + op);
    assertThat(received()).isEmpty();
  }

  /** Operations under the per-tenant 20 calls / 5 s (all but the interaction and bulk ones, which upstream exempts). */
  static Stream<String> globallyLimited() {
    Set<String> exempt = Set.of("create_interaction_response", "get_original_interaction_response", "edit_original_interaction_response",
        "delete_original_interaction_response", "create_followup_message", "get_followup_message", "edit_followup_message",
        "delete_followup_message");
    return DiscordPlugin.operationNames().stream().filter(op -> !exempt.contains(op)).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("globallyLimited")
  void the_21st_call_in_5_seconds_is_refused(String op) {
    d.run("for i = 1, 20 do ctx.Discord:antiraid_check_reason({reason = 'r'}) end");
    received();
    String bucket = op.equals("create_guild_commands") ? "create_guild_command" : op; // one bucket for both (§12 #12)
    assertThat(error("ctx.Discord:" + op + "({})")).startsWith("Global ratelimit hit for bucket '" + bucket + "', wait time: ");
    assertThat(received()).isEmpty();
  }

  /**
   * Per-operation quotas (§2.9, with the ban and kick buckets that apply, §12 #12): {@code calls} calls pass within the
   * window (refused ones too: the token is taken before validation, as upstream), the next is refused as the bucket's.
   */
  @ParameterizedTest(name = "{0}: {1} calls, then refused as ''{2}''")
  @CsvSource({
      "get_original_interaction_response, 10, get_original_interaction_response",
      "edit_original_interaction_response, 10, edit_original_interaction_response",
      "delete_original_interaction_response, 10, delete_original_interaction_response",
      "create_followup_message, 10, create_followup_message",
      "get_followup_message, 10, get_followup_message",
      "edit_followup_message, 10, edit_followup_message",
      "delete_followup_message, 10, delete_followup_message",
      "antiraid_bulk_op, 3, antiraid_bulk_op",
      "get_guild_commands, 1, get_guild_commands",
      "create_guild_command, 1, create_guild_command",
      "create_guild_commands, 1, create_guild_command",
      "create_guild_ban, 5, create_guild_ban",
      "remove_guild_member, 5, remove_guild_member"})
  void per_operation_quotas(String op, int calls, String bucket) {
    d.run("for i = 1, " + calls + " do pcall(function() ctx.Discord:" + op + "({reason = ''}) end) end");
    received();
    assertThat(error("ctx.Discord:" + op + "({})")).startsWith("Per bucket ratelimit hit for '" + bucket + "', wait time: ");
    assertThat(received()).isEmpty();
  }

  /**
   * create_message's own 30 / 10 s (GCRA, as upstream's governor) is tighter than the global 20 / 5 s over time: at one
   * call every 250 ms (the global rate), the global limiter keeps admitting and create_message's bucket refuses first.
   */
  @Test
  void create_message_is_held_to_30_in_10_seconds() {
    String refusal = null;
    for (int i = 0; i < 200 && refusal == null; i++) { // refused after about 116 calls, 29 s in
      String e = error("ctx.Discord:create_message({})");
      if (e.contains("ratelimit")) {
        refusal = e;
      }
      d.vm.advance(Duration.ofMillis(250));
    }
    assertThat(refusal).startsWith("Per bucket ratelimit hit for 'create_message', wait time: ");
  }

  @Test
  void interaction_responses_are_not_rate_limited() {
    d.run("for i = 1, 50 do pcall(function() ctx.Discord:create_interaction_response({}) end) end");
    assertThat(error("ctx.Discord:create_interaction_response({})"))
        .isEqualTo("invalid argument #1 (interaction_id) to 'Discord:create_interaction_response' (missing field `interaction_id`)");
  }
}
