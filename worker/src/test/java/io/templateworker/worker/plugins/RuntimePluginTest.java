package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.modules.Vfs;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.runtime.EventNames;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.luau.PluginHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctx.Runtime} against a real PostgreSQL tenant-state table. */
class RuntimePluginTest {
  static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");
  PostgresTenantStateStore states;
  PluginHarness vm;

  @BeforeEach
  void open() {
    states = new PostgresTenantStateStore(TestPostgres.freshDatabase());
    RuntimeInfo info = new RuntimeInfo(new RuntimeInfo.Links("https://discord.gg/x", "https://api.test", "https://app.test", null),
        () -> new RuntimeInfo.Stats(12, 3400, STARTED), RuntimeInfo.ExposedFolders.NONE, null);
    vm = new PluginHarness(Plugins.builder().add(new RuntimePlugin(info)).build(), new TenantServices(states, null, null));
  }

  @AfterEach
  void close() {
    vm.close();
  }



  @Test
  void tenant_state_round_trip() {
    assertThat(vm.json("""
        local s = ctx.Runtime:gettenantstate()
        local before = #s.events
        table.insert(s.events, "MESSAGE")
        table.insert(s.events, "OnStartup")
        s.data.builtins_eventrefs = {MESSAGE = {afk = true}}
        s.data.list = {1, 2}
        ctx.Runtime:settenantstate(s)
        local again = ctx.Runtime:gettenantstate()
        table.sort(again.events)
        return {before, table.concat(again.events, ","), again.banned, again.data.builtins_eventrefs.MESSAGE.afk, again.data.list[2]}
        """)).isEqualTo("{\"List\":[{\"Integer\":0},{\"Text\":\"MESSAGE,OnStartup\"},{\"Boolean\":false},{\"Boolean\":true},{\"Integer\":2}]}");
    TenantState stored = states.get(PluginHarness.TENANT);
    assertThat(stored.events()).containsExactlyInAnyOrder("MESSAGE", "OnStartup");
    assertThat(stored.data().get("list").toString()).isEqualTo("[1,2]");
  }

  @Test
  void settenantstate_checks_its_argument() {
    assertThat(vm.error("ctx.Runtime:settenantstate(nil)")).contains("invalid argument #1 (state) to 'Runtime:settenantstate' (table expected, got nil)");
    assertThat(vm.error("ctx.Runtime:settenantstate({events = {1}})")).contains("(state.events) to 'Runtime:settenantstate' (item 1 is number, expected a string)");
    assertThat(vm.error("local e = {} for i = 1, 101 do e[i] = 'E' .. i end ctx.Runtime:settenantstate({events = e, data = {}})"))
        .contains("101 events; at most 100 are allowed");
    assertThat(vm.error("ctx.Runtime:settenantstate({events = {}, data = setmetatable({}, {})})")).contains("plain table without a metatable");
    assertThat(vm.error("ctx.Runtime:settenantstate({events = {}, data = {1, 2}})")).contains("must be a table with string keys");
    assertThat(vm.error("ctx.Runtime:settenantstate({events = {}, data = {f = print}})")).contains("state.data.f holds a function");
  }

  @Test
  void stats_links_and_eventlist() {
    assertThat(vm.json("""
        local s = ctx.Runtime:stats()
        local l = ctx.Runtime:links()
        local ev = ctx.Runtime:eventlist()
        return {s.total_guilds, s.total_cached_guilds, s.total_users, s.last_started_at ~= nil, l.support_server, l.api_url,
          l.frontend_url, l.docs_url == nil, #ev, ev[#ev - 1], ev[#ev], (pcall(function() ev[1] = "x" end))}
        """)).isEqualTo("{\"List\":[{\"Integer\":12},{\"Integer\":12},{\"Integer\":3400},{\"Boolean\":true},"
        + "{\"Text\":\"https://discord.gg/x\"},{\"Text\":\"https://api.test\"},{\"Text\":\"https://app.test\"},{\"Boolean\":true},"
        + "{\"Integer\":73},{\"Text\":\"OnStartup\"},{\"Text\":\"KeyExpiry\"},{\"Boolean\":false}]}");
    assertThat(EventNames.GATEWAY).hasSize(71).doesNotHaveDuplicates().contains("MESSAGE").doesNotContain("MESSAGE_CREATE");
  }

  @Test
  void capabilities_per_method() {
    assertThat(vm.json("""
        local function can(caps, f)
          local c = ctx:with({capabilities = caps})
          return (pcall(f, c.Runtime))
        end
        return {
          can({"runtime:*"}, function(r) return r:stats() end),
          can({"runtime:links"}, function(r) return r:links() end),
          can({"runtime:links"}, function(r) return r:eventlist() end),
          can({"runtime:gettenantstate"}, function(r) return r:gettenantstate() end),
          can({"runtime:gettenantstate"}, function(r) return r:settenantstate({events = {}, data = {}}) end),
        }
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":false}]}");
    assertThat(vm.error("local c = ctx:with({capabilities = {}}) c.Runtime:eventlist()"))
        .contains("Runtime operation `eventlist` not allowed in this template context (needs runtime:eventlist or runtime:*)");
  }

  @Test
  void rate_limit_is_10_per_second() {
    vm.run("local ctx = ... for i = 1, 10 do ctx.Runtime:links() end");
    assertThat(vm.error("ctx.Runtime:eventlist()")).contains("Global ratelimit hit for bucket 'eventlist'");
    vm.advance(Duration.ofMillis(100));
    vm.run("local ctx = ... ctx.Runtime:eventlist()");
  }

  @Test
  void getexposedvfs_says_when_no_vfs_type_is_available() {
    assertThat(vm.error("ctx.Runtime:getexposedvfs()")).contains("getexposedvfs is not available");
    assertThat(vm.error("local c = ctx:with({capabilities = {}}) c.Runtime:getexposedvfs()")).contains("needs runtime:getexposedvfs");
  }

  @Test
  void getexposedvfs_reads_the_configured_folders(@TempDir Path dir) throws Exception {
    Path builtins = Files.createDirectories(dir.resolve("builtins"));
    Files.writeString(builtins.resolve("builtins.templateloop.luau"), "return 'loop'");
    Path types = Files.createDirectories(dir.resolve("types"));
    Files.writeString(types.resolve("kinds.luau"), "return { kind = 'types' }");
    RuntimeInfo info = new RuntimeInfo(RuntimeInfo.Links.NONE, () -> new RuntimeInfo.Stats(0, 0, STARTED),
        new RuntimeInfo.ExposedFolders(builtins, types, null), folder -> folder == null ? Vfs.empty() : Vfs.ofDirectory(folder));
    try (PluginHarness withFolders = new PluginHarness(Plugins.builder().add(new RuntimePlugin(info)).build(),
        new TenantServices(states, null, null))) {
      Object[] r = withFolders.run("""
          local ctx = ...
          local v = ctx.Runtime:getexposedvfs()
          local b = v.Builtins:createrequirefunction("b", {})
          local t = v.TemplatingTypes:createrequirefunction("t", {})
          local p = v.BuiltinsPatches:createrequirefunction("p", {})
          return b("./builtins.templateloop"), t("./kinds").kind, (pcall(p, "./builtins.templateloop"))
          """);
      assertThat(r[0].toString()).isEqualTo("loop");
      assertThat(r[1].toString()).isEqualTo("types");
      assertThat(r[2]).isEqualTo(Boolean.FALSE); // no patches folder: an empty Vfs
    }
  }
}
