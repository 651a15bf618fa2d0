package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.luau.PluginHarness;
import java.time.Duration;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctx.KV} against a real PostgreSQL: every method, capabilities, rate limit, argument errors. */
class KvPluginTest {
  static DataSource db;
  PluginHarness vm;

  @BeforeAll
  static void database() {
    db = TestPostgres.freshDatabase();
  }

  @BeforeEach
  void open() throws Exception {
    try (var c = db.getConnection(); var s = c.createStatement()) {
      s.execute("delete from tenant_kv");
    }
    PostgresKvStore kv = new PostgresKvStore(db, InstantSource.system(), (t, id, key, scopes, at) -> { });
    vm = new PluginHarness(Plugins.builder().add(new KvPlugin()).build(), new TenantServices(null, null, kv));
  }

  @AfterEach
  void close() {
    vm.close();
  }



  @Test
  void set_get_exists_delete_round_trip() {
    assertThat(vm.json("""
        local r1 = ctx.KV:set("k", {a = 1, b = "x"}, {"s1"})
        local r2 = ctx.KV:set("k", 5, {"s1"})
        local v, exists = ctx.KV:get("k", {"s1"})
        local missing, exists2 = ctx.KV:get("nope", {"s1"})
        local e1 = ctx.KV:exists("k", {"s1"})
        ctx.KV:delete("k", {"s1"})
        local e2 = ctx.KV:exists("k", {"s1"})
        return {r1.exists, r2.exists, r1.id == r2.id, #r1.id, v, exists, missing == nil, exists2, e1, e2}
        """)).isEqualTo("{\"List\":[{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":true},{\"Integer\":64},"
        + "{\"Integer\":5},{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":false}]}");
  }

  @Test
  void a_stored_nil_reads_as_nil_but_existing() {
    assertThat(vm.json("""
        ctx.KV:set("n", nil, {"s"})
        local v, exists = ctx.KV:get("n", {"s"})
        return {v == nil, exists}
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":true}]}");
  }

  @Test
  void values_keep_their_shape() {
    assertThat(vm.json("""
        ctx.KV:set("t", {list = {1, 2, 3}, name = "x", flag = true, buf = buffer.fromstring("hi")}, {"s"})
        local v = ctx.KV:get("t", {"s"})
        return {v.list[3], v.name, v.flag, buffer.tostring(v.buf)}
        """)).isEqualTo("{\"List\":[{\"Integer\":3},{\"Text\":\"x\"},{\"Boolean\":true},{\"Text\":\"hi\"}]}");
  }

  @Test
  void getrecord_find_keys_and_list_scopes() {
    assertThat(vm.json("""
        ctx.KV:set("apple", 1, {"fruit", "red"})
        ctx.KV:set("avocado", 2, {"fruit"})
        ctx.KV:set("beet", 3, {"veg"})
        local rec = ctx.KV:getrecord("apple", {"red"})
        local absent = ctx.KV:getrecord("zzz", {"fruit"})
        local found = ctx.KV:find("a%", {"fruit"})
        local all = ctx.KV:find("%%", {"fruit"})
        local keys = ctx.KV:keys({"fruit"})
        local scopes = ctx.KV:list_scopes()
        local ok = pcall(function() rec.key = "x" end)
        return {rec.key, rec.value, rec.exists, table.concat(rec.scopes, ","), rec.created_at ~= nil, rec.last_updated_at ~= nil,
          rec.expires_at == nil, rec.resume, absent.exists, absent.id, #absent.scopes, #found, found[1].key, #all,
          table.concat(keys, ","), table.concat(scopes, ","), ok}
        """)).isEqualTo("{\"List\":[{\"Text\":\"apple\"},{\"Integer\":1},{\"Boolean\":true},{\"Text\":\"fruit,red\"},"
        + "{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":false},{\"Text\":\"\"},"
        + "{\"Integer\":0},{\"Integer\":2},{\"Text\":\"apple\"},{\"Integer\":2},{\"Text\":\"apple,avocado\"},"
        + "{\"Text\":\"fruit,red,veg\"},{\"Boolean\":false}]}");
  }

  @Test
  void by_id_methods() {
    assertThat(vm.json("""
        local r = ctx.KV:set("k", "v1", {"s"})
        local v, exists = ctx.KV:getbyid(r.id)
        ctx.KV:setbyid(r.id, "v2")
        local rec = ctx.KV:getrecordbyid(r.id)
        ctx.KV:setexpirybyid(r.id, nil)
        ctx.KV:setexpiry("k", {"s"}, nil)
        ctx.KV:deletebyid(r.id)
        local gone, exists2 = ctx.KV:getbyid(r.id)
        return {v, exists, rec.value, rec.id == r.id, gone == nil, exists2}
        """)).isEqualTo("{\"List\":[{\"Text\":\"v1\"},{\"Boolean\":true},{\"Text\":\"v2\"},{\"Boolean\":true},"
        + "{\"Boolean\":true},{\"Boolean\":false}]}");
  }

  @Test
  void fields_name_the_tenant() {
    assertThat(vm.json("return {ctx.KV.guild_id, ctx.KV.origin_guild_id, ctx.KV.unscoped_allowed, typeof(ctx.KV), tostring(ctx.KV)}"))
        .isEqualTo("{\"List\":[{\"Text\":\"1234567890123\"},{\"Text\":\"1234567890123\"},{\"Boolean\":false},"
            + "{\"Text\":\"KvExecutor\"},{\"Text\":\"KvExecutor\"}]}");
  }

  @Test
  void the_same_context_gets_the_same_executor() {
    assertThat(vm.json("return ctx.KV == ctx.KV")).isEqualTo("{\"Boolean\":true}");
  }

  @Test
  void capabilities_by_action_key_and_scope() {
    assertThat(vm.json("""
        ctx.KV:set("k", 1, {"s"})
        ctx.KV:set("other", 1, {"s"})
        local function can(caps, f)
          local c = ctx:with({capabilities = caps})
          return (pcall(f, c.KV))
        end
        return {
          can({"kv:*"}, function(kv) return kv:set("k", 2, {"s"}) end),
          can({"kv:get:*"}, function(kv) return kv:get("k", {"s"}) end),
          can({"kv:get:*"}, function(kv) return kv:set("k", 2, {"s"}) end),
          can({"kv:get:k"}, function(kv) return kv:get("k", {"s"}) end),
          can({"kv:get:k"}, function(kv) return kv:get("other", {"s"}) end),
          can({"kv[s]:*"}, function(kv) return kv:delete("other", {"s"}) end),
          can({"kv[s]:get"}, function(kv) return kv:getrecord("k", {"s", "t"}) end),
          can({"kv[t]:get"}, function(kv) return kv:get("k", {"s"}) end),
          can({"kv[s]:find:a%"}, function(kv) return kv:find("a%", {"s"}) end),
          can({"kv:*"}, function(kv) return kv:list_scopes() end),
          can({"kv.meta:list_scopes"}, function(kv) return kv:list_scopes() end),
          can({"kv:*"}, function(kv) return kv:keys({"s"}) end),
          can({"kv.meta[s]:keys"}, function(kv) return kv:keys({"s"}) end),
          can({"kv.meta[s]:keys"}, function(kv) return kv:keys({"s", "t"}) end),
          can({"kv:*"}, function(kv) return kv:getbyid("x") end),
          can({"kv.meta:id_ops"}, function(kv) return kv:getbyid("x") end),
        }
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},"
        + "{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":false},"
        + "{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":false},{\"Boolean\":true}]}");
  }

  @Test
  void a_denied_call_names_the_operation_and_key() {
    assertThat(vm.error("local c = ctx:with({capabilities = {\"kv:get:*\"}}) c.KV:set(\"k\", 1, {\"s\"})"))
        .contains("KV operation `set` not allowed in this template context for key 'k'").contains("kv:set:*");
  }

  @Test
  void a_child_context_never_uses_an_executor_created_under_its_parent() {
    // Upstream (gap 16) cached plugins per VM: the root context's "*" executor leaked into restricted templates.
    assertThat(vm.json("""
        local rootKv = ctx.KV
        rootKv:set("k", 1, {"s"})
        local child = ctx:with({capabilities = {}})
        local ok = pcall(function() return child.KV:get("k", {"s"}) end)
        return {child.KV ~= rootKv, ok}
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":false}]}");
  }

  @Test
  void rate_limit_is_500_per_100ms_per_vm() {
    vm.run("local ctx = ... for i = 1, 500 do ctx.KV:exists('k', {'s'}) end");
    assertThat(vm.error("ctx.KV:exists('k', {'s'})")).contains("Global ratelimit hit for bucket 'exists', wait time: ");
    // list_scopes is not limited
    vm.run("local ctx = ... ctx.KV:list_scopes()");
    vm.advance(Duration.ofMillis(100));
    vm.run("local ctx = ... for i = 1, 500 do ctx.KV:get('k', {'s'}) end");
  }

  @Test
  void bad_arguments_name_the_argument() {
    assertThat(vm.error("ctx.KV:get(nil, {'s'})")).contains("invalid argument #1 (key) to 'KV:get' (string expected, got nil)");
    assertThat(vm.error("ctx.KV:get('k', 'notalist')")).contains("invalid argument #2 (scopes) to 'KV:get' (table of strings expected, got string)");
    assertThat(vm.error("ctx.KV:get('k', {1})")).contains("invalid argument #2 (scopes) to 'KV:get' (item 1 is number, expected a string)");
    assertThat(vm.error("ctx.KV:set('k', function() end, {'s'})")).contains("invalid argument #2 (value) to 'KV:set' (Invalid type");
    assertThat(vm.error("ctx.KV:set('k', 1, {'s'}, 'tomorrow')")).contains("invalid argument #4 (expires_at) to 'KV:set' (DateTime expected, got string)");
    assertThat(vm.error("ctx.KV:set('k', 1, {})")).contains("Setting keys without a scope is not allowed");
    assertThat(vm.error("ctx.KV:get('k', {})")).contains("Unscoped operations are not allowed");
    assertThat(vm.error("ctx.KV:get(string.rep('x', 600), {'s'})")).contains("key is 600 bytes; the limit is 512");
    assertThat(vm.error("ctx.KV.get('k', {'s'})")).contains("KvExecutor");
  }

  @Test
  void a_task_waiting_on_kv_yields_and_gets_its_value() throws Exception {
    Object r = vm.runAsTask("ctx.KV:set('k', 'from a task', {'s'}) return (ctx.KV:get('k', {'s'}))");
    assertThat(r).hasToString("from a task");
  }

  @Test
  void unsupported_plugins_say_so() {
    assertThat(vm.error("return ctx.HTTPServer")).contains("The HTTPServer plugin is not supported in this context");
    assertThat(vm.json("return {ctx.NotAPlugin == nil, #ctx.available_extra_plugins}"))
        .isEqualTo("{\"List\":[{\"Boolean\":true},{\"Integer\":0}]}");
  }

  @Test
  void without_a_store_kv_is_not_supported() {
    try (PluginHarness bare = new PluginHarness(Plugins.builder().add(new KvPlugin()).build(), new TenantServices(null, null, null))) {
      assertThatThrownBy(() -> bare.run("local ctx = ... return ctx.KV")).hasMessageContaining("not supported in this context");
    }
  }
}
