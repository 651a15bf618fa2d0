package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.globalkv.GlobalKvPlugin;
import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.ReviewState;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.luau.PluginHarness;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctx.GlobalKV} against a real PostgreSQL: scope capabilities, purchases, rate limit, arguments. */
class GlobalKvPluginTest {
  PostgresGlobalKvStore store;
  PluginHarness vm;

  @BeforeEach
  void open() {
    DataSource db = TestPostgres.freshDatabase();
    store = new PostgresGlobalKvStore(db, "https://shop.test/purchase/");
    vm = new PluginHarness(Plugins.builder().add(new GlobalKvPlugin()).build(), new TenantServices(null, null, null, store));
  }

  @AfterEach
  void close() {
    vm.close();
  }



  private void staffEntry(String key, Integer price) {
    store.createStaffEntry("42", new CreateGlobalKv(key, 1, "short", new KhronosValue.Text("meta"), "shop", false, null,
        new KhronosValue.Text("secret")), price);
    store.setReviewState(key, 1, "shop", ReviewState.APPROVED);
  }

  @Test
  void create_then_find_and_get_once_approved() {
    vm.run("""
        local ctx = ...
        ctx.GlobalKV:create({key = "my.list", version = 1, short = "A list", public_metadata = {tags = {"x"}},
          scope = "lists", public_data = true, long = "Longer", data = {1, 2, 3}})
        """);
    assertThat(vm.json("return #ctx.GlobalKV:find('%%', 'lists')")).isEqualTo("{\"Integer\":0}"); // pending review
    store.setReviewState("my.list", 1, "lists", ReviewState.APPROVED);
    assertThat(vm.json("""
        local found = ctx.GlobalKV:find('my%', 'lists')
        local kv = ctx.GlobalKV:get('my.list', 1, 'lists')
        local missing = ctx.GlobalKV:get('my.list', 2, 'lists')
        return {#found, found[1].key, found[1].owner_id, found[1].review_state, found[1].long == nil,
          kv.partial.short, kv.partial.long, kv.data.type, kv.data.data.data[3], kv.data.opaque, missing == nil,
          kv.partial.created_at ~= nil, kv.partial.public_metadata.tags[1]}
        """)).isEqualTo("{\"List\":[{\"Integer\":1},{\"Text\":\"my.list\"},{\"Text\":\"1234567890123\"},{\"Text\":\"approved\"},"
        + "{\"Boolean\":true},{\"Text\":\"A list\"},{\"Text\":\"Longer\"},{\"Text\":\"Value\"},{\"Integer\":3},{\"Boolean\":false},"
        + "{\"Boolean\":true},{\"Boolean\":true},{\"Text\":\"x\"}]}");
    vm.run("local ctx = ... ctx.GlobalKV:delete('my.list', 1, 'lists')");
    assertThat(vm.json("return ctx.GlobalKV:get('my.list', 1, 'lists') == nil")).isEqualTo("{\"Boolean\":true}");
  }

  @Test
  void a_priced_entry_needs_a_real_purchase() {
    staffEntry("premium", 500);
    assertThat(vm.json("local kv = ctx.GlobalKV:get('premium', 1, 'shop') return {kv.data.type, kv.data.purchase_url, kv.partial.price}"))
        .isEqualTo("{\"List\":[{\"Text\":\"PurchaseRequired\"},{\"Text\":\"https://shop.test/purchase/premium?version=1&scope=shop\"},"
            + "{\"Integer\":500}]}");
    store.recordPurchase(PluginHarness.TENANT, "premium", 1, "shop");
    assertThat(vm.json("local kv = ctx.GlobalKV:get('premium', 1, 'shop') return {kv.data.type, typeof(kv.data.data), kv.data.opaque}"))
        .isEqualTo("{\"List\":[{\"Text\":\"Value\"},{\"Text\":\"Opaque\"},{\"Boolean\":true}]}");
  }

  @Test
  void the_capability_is_per_scope() {
    staffEntry("free", null);
    assertThat(vm.json("""
        local function can(caps, f)
          local c = ctx:with({capabilities = caps})
          return (pcall(f, c.GlobalKV))
        end
        return {
          can({"globalkv:access:shop"}, function(g) return g:get("free", 1, "shop") end),
          can({"globalkv:access:shop"}, function(g) return g:find("%%", "shop") end),
          can({"globalkv:access:other"}, function(g) return g:get("free", 1, "shop") end),
          can({"globalkv:access:get"}, function(g) return g:get("free", 1, "shop") end),
        }
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":false}]}");
    assertThat(vm.error("local c = ctx:with({capabilities = {}}) c.GlobalKV:get('free', 1, 'shop')"))
        .contains("Global KV operation `get` not allowed in this template context for scope 'shop' (needs globalkv:access:shop)");
  }

  @Test
  void rate_limit_is_30_per_second() {
    vm.run("local ctx = ... for i = 1, 30 do ctx.GlobalKV:find('%%', 's') end");
    assertThat(vm.error("ctx.GlobalKV:find('%%', 's')")).contains("Global ratelimit hit for bucket 'find'");
    vm.advance(java.time.Duration.ofMillis(34));
    vm.run("local ctx = ... ctx.GlobalKV:find('%%', 's')");
  }

  @Test
  void bad_arguments_and_store_rules() {
    assertThat(vm.error("ctx.GlobalKV:get('k', 'one', 's')")).contains("invalid argument #2 (version) to 'GlobalKV:get' (number expected, got string)");
    assertThat(vm.error("ctx.GlobalKV:find(nil, 's')")).contains("invalid argument #1 (query) to 'GlobalKV:find' (string expected, got nil)");
    assertThat(vm.error("ctx.GlobalKV:create({key = 'ok.key', version = 1, scope = 's'})")).contains("(entry.short) to 'GlobalKV:create' (string expected, got nil)");
    assertThat(vm.error("ctx.GlobalKV:create({key = 'x', version = 1, short = 's', scope = 's'})")).contains("it must be");
    assertThat(vm.error("ctx.GlobalKV:delete('nothere', 1, 's')")).isNotEmpty();
  }
}
