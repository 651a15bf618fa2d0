package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.thread.ThreadPool;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plugins as templates reach them: through the thread pool, each template with its own capabilities. */
class PluginsInThreadPoolTest {
  static final TenantId T = TenantId.guild((40L << 22) + 1);

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  ThreadPool pool;

  @BeforeEach
  void start() {
    PostgresKvStore kv = new PostgresKvStore(TestPostgres.freshDatabase(), InstantSource.system(), (t, id, key, scopes, at) -> { });
    Plugins plugins = Plugins.builder().add(new KvPlugin()).add(new RuntimePlugin(RuntimeInfo.minimal(Instant.EPOCH))).build();
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(states, templates, kv),
        new LuauIsolateFactory(Limits.defaults()).withPlugins(plugins),
        (tenant, template, event, error) -> reported.add(template + ": " + error), KhronosValue.Null.INSTANCE).start();
  }

  @AfterEach
  void stop() {
    pool.kill();
  }

  void template(String name, String init, List<String> events, List<String> caps) {
    templates.create(T, new TemplateSpec(name, Map.of("init.luau", init), events, caps, false, null, "luau"));
  }

  KhronosValue dispatch(String event) throws Exception {
    return pool.dispatchEvent(T, CreateEvent.of(event, KhronosValue.Null.INSTANCE)).get(20, TimeUnit.SECONDS);
  }

  @Test
  void each_template_gets_executors_of_its_own_capabilities() throws Exception {
    states.subscribe(T, "E");
    template("a_writer", "return { E = function(ctx) ctx.KV:set('n', 41, {'s'}) return (ctx.KV:get('n', {'s'})) + 1 end }",
        List.of("E"), List.of("kv:*"));
    template("b_reader", "return { E = function(ctx) return ctx.KV:get('n', {'s'}) end }", List.of("E"), List.of("kv:get:*"));
    template("c_nothing", "return { E = function(ctx) return (pcall(function() return ctx.KV:get('n', {'s'}) end)) end }",
        List.of("E"), List.of());
    // The templates run as concurrent tasks: the reader sees the writer's key from the first event on the second.
    dispatch("E");
    KhronosValue r = dispatch("E");
    assertThat(r.toString()).contains("Int[value=42]").contains("Int[value=41]").contains("Bool[value=false]");
  }

  @Test
  void settenantstate_changes_which_events_reach_the_tenant_at_once() throws Exception {
    states.subscribe(T, "Sub");
    template("subscriber", """
        return {
          Sub = function(ctx)
            local s = ctx.Runtime:gettenantstate()
            table.insert(s.events, "Later")
            ctx.Runtime:settenantstate(s)
            return "subscribed"
          end,
          Later = function(ctx) return "later arrived" end,
        }
        """, List.of("Sub", "Later"), List.of("runtime:*"));
    // (the filter is now the union of the tenant state and the templates' own events, so Later is admitted anyway)
    assertThat(dispatch("Sub").toString()).contains("subscribed");
    assertThat(dispatch("Later").toString()).contains("later arrived");
    assertThat(states.get(T).events()).contains("Sub", "Later");
  }
}
