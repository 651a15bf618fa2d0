package io.templateworker.worker.luau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.thread.ThreadPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Luau templates through the thread pool: isolates, require, ctx, limits. */
class LuauTemplatesTest {
  static final TenantId T = TenantId.guild((30L << 22) + 1);
  static final TenantId OTHER = TenantId.guild((32L << 22) + 1);

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  /** Private to the test, so compilation counts are not disturbed by other tests in the JVM. */
  final ChunkCache chunks = new ChunkCache(1 << 20);
  ThreadPool pool;

  final List<String> printed = new CopyOnWriteArrayList<>();
  final ErrorReporter reporter = new ErrorReporter() {
    @Override
    public void report(TenantId tenant, String template, String event, String error) {
      reported.add(template + ": " + error);
    }

    @Override
    public void print(TenantId tenant, String template, String text) {
      printed.add(template + ": " + text);
    }
  };

  @BeforeEach
  void start() {
    states.subscribe(T, "E", "F").subscribe(OTHER, "E");
    start(WorkerConfig.DEFAULTS, factory());
  }

  LuauIsolateFactory factory() {
    return new LuauIsolateFactory(Limits.defaults().withMemory(4L << 20).withTimeSlice(Duration.ofMillis(300)), chunks);
  }

  void start(WorkerConfig config, LuauIsolateFactory factory) {
    if (pool != null) {
      pool.kill();
    }
    pool = new ThreadPool(1, config, new TenantServices(states, templates, null), factory, reporter,
        KhronosValue.Null.INSTANCE).start();
  }

  @AfterEach
  void stop() {
    pool.kill();
  }

  @Test
  void a_template_waiting_does_not_hold_up_its_siblings() throws Exception {
    template(T, "a_slow", Map.of("init.luau", """
        return { E = function() print("a starts") task.wait(0.3) print("a done") return "slow" end }
        """), List.of("E"), List.of());
    template(T, "b_fast", Map.of("init.luau", "return { E = function() print('b ran') return 'fast' end }"), List.of("E"), List.of());

    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(r).extracting(v -> field(v, "value")).containsExactly(new KhronosValue.Text("slow"), new KhronosValue.Text("fast"));
    assertThat(printed).containsExactly("a_slow: a starts", "b_fast: b ran", "a_slow: a done");
  }

  @Test
  void a_template_still_running_after_the_wait_is_reported_and_stopped_at_its_time_limit() throws Exception {
    start(WorkerConfig.DEFAULTS.withFanOutTimeout(Duration.ofMillis(200)).withTemplateTimeLimit(Duration.ofMillis(700)), factory());
    template(T, "a_stuck", Map.of("init.luau", """
        return { E = function() task.wait(60) print("never") return 1 end, F = function() return "still works" end }
        """), List.of("E", "F"), List.of());
    template(T, "b_fine", Map.of("init.luau", "return { E = function() return 2 end }"), List.of("E"), List.of());

    long t0 = System.nanoTime();
    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertThat(field(r.get(0), "type")).isEqualTo(new KhronosValue.Text("err"));
    assertThat(((KhronosValue.Text) field(r.get(0), "value")).value())
        .contains("still running 200 ms after the event (limits.template_wait_ms)");
    assertThat(field(r.get(1), "value")).isEqualTo(new KhronosValue.Int(2));
    assertThat(tookMs).isLessThan(5_000);
    assertThat(reported).anyMatch(s -> s.startsWith("a_stuck: still running 200 ms"));

    // Nothing else happens for this tenant: the worker itself stops the handler at its time limit.
    await().atMost(Duration.ofSeconds(10)).until(() -> reported.stream().anyMatch(
        s -> s.startsWith("a_stuck: stopped: still running 700 ms after the event")));
    assertThat(pool.worker(0).liveVms()).isEqualTo(1);
    assertThat(field(dispatch(T, CreateEvent.of("F", KhronosValue.Null.INSTANCE)).get(0), "value"))
        .isEqualTo(new KhronosValue.Text("still works"));
    assertThat(printed).noneMatch(s -> s.contains("never"));
  }

  @Test
  void a_spinning_template_leaves_the_next_one_its_give_time() throws Exception {
    template(T, "a_spin", Map.of("init.luau", "return { E = function() while true do end end }"), List.of("E"), List.of());
    template(T, "b_after", Map.of("init.luau", """
        return { E = function() local n = 0 for i = 1, 1e5 do n += i end return n end }
        """), List.of("E"), List.of());

    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(((KhronosValue.Text) field(r.get(0), "value")).value()).contains("Script execution time limit exceeded");
    assertThat(field(r.get(1), "type")).isEqualTo(new KhronosValue.Text("ok"));
    assertThat(field(r.get(1), "value")).isEqualTo(new KhronosValue.Int(5000050000L));
  }

  @Test
  void print_goes_to_the_tenant_log_with_the_template_and_not_to_stdout() throws Exception {
    template(T, "printer", Map.of(
        "init.luau", "local m = require('./m') print('loaded') return { E = function(ctx) m.say(ctx.event.name) return true end }",
        "m.luau", "return { say = function(what) print('got', what, nil, 1.5, {} ~= nil) end }"), List.of("E"), List.of());

    dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(printed).containsExactly("printer: loaded", "printer: got	E	nil	1.5	true");
  }

  @Test
  void debug_global_exists_only_with_worker_debug() throws Exception {
    template(T, "dbg", Map.of("init.luau", """
        return { E = function() if _debug then _debug({ name = "x", list = { 1, 2 } }, "s") return "on" end return "off" end }
        """), List.of("E"), List.of());
    assertThat(field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Text("off"));
    assertThat(printed).isEmpty();

    start(WorkerConfig.DEFAULTS, factory().withDebug(true));
    assertThat(field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Text("on"));
    assertThat(printed).hasSize(1);
    assertThat(printed.get(0)).startsWith("dbg: {").contains("name = \"x\"").contains("[1] = 1").endsWith("\"s\"");
  }

  void template(TenantId tenant, String name, Map<String, String> files, List<String> events, List<String> caps) {
    templates.create(tenant, new TemplateSpec(name, files, events, caps, false, null, "luau"));
  }

  List<KhronosValue> dispatch(TenantId tenant, CreateEvent event) throws Exception {
    return ((KhronosValue.ListValue) pool.dispatchEvent(tenant, event).get(20, TimeUnit.SECONDS)).items();
  }

  static KhronosValue field(KhronosValue result, String key) {
    return ((KhronosValue.MapValue) result).get(key);
  }

  @Test
  void templates_require_the_core_modules_and_typed_values_keep_their_types() throws Exception {
    template(T, "typed", Map.of("init.luau", """
        local datetime = require("@antiraid/datetime")
        local typesext = require("@antiraid/typesext")
        return {
          E = function(ctx)
            local at = ctx.event.data.at
            return { kind = typeof(at), later = at + datetime.timedelta_hours(1), zone = datetime.new("IST"),
                     big = typesext.I64("9007199254740993"), snowflake = typesext.U64("18446744073709551615") }
          end,
        }
        """), List.of("E"), List.of());

    java.time.Instant at = java.time.Instant.parse("2026-02-27T12:00:00Z");
    KhronosValue value = field(dispatch(T, CreateEvent.of("E", KhronosValue.textMap("at", new KhronosValue.Timestamptz(at)))).get(0), "value");

    assertThat(((KhronosValue.MapValue) value).get("kind")).isEqualTo(new KhronosValue.Text("DateTime"));
    assertThat(((KhronosValue.MapValue) value).get("later")).isEqualTo(new KhronosValue.Timestamptz(at.plusSeconds(3600)));
    assertThat(((KhronosValue.MapValue) value).get("zone")).isEqualTo(new KhronosValue.TimeZone("Asia/Kolkata"));
    assertThat(((KhronosValue.MapValue) value).get("big")).isEqualTo(new KhronosValue.Int(9_007_199_254_740_993L));
    assertThat(((KhronosValue.MapValue) value).get("snowflake")).isEqualTo(new KhronosValue.UInt(-1L));
  }

  @Test
  void handler_gets_ctx_and_event_and_can_require_its_own_files() throws Exception {
    template(T, "greeter", Map.of(
        "init.luau", """
            local fmt = require("./lib/fmt")
            return {
              E = function(ctx)
                return { greeting = fmt.greet(ctx.event.data.who), name = ctx:event().name,
                         caps = ctx.allowed_caps, can_get = ctx:has_cap("kv:get"), can_set = ctx:has_cap("kv:set") }
              end,
            }
            """,
        "lib/fmt.luau", "return { greet = function(who) return 'hello ' .. who end }"),
        List.of("E"), List.of("kv:get"));

    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.textMap("who", new KhronosValue.Text("ana"))));

    assertThat(r).hasSize(1);
    assertThat(field(r.get(0), "type")).isEqualTo(new KhronosValue.Text("ok"));
    KhronosValue.MapValue value = (KhronosValue.MapValue) field(r.get(0), "value");
    assertThat(value.get("greeting")).isEqualTo(new KhronosValue.Text("hello ana"));
    assertThat(value.get("name")).isEqualTo(new KhronosValue.Text("E"));
    assertThat(value.get("caps")).isEqualTo(KhronosValue.list(new KhronosValue.Text("kv:get")));
    assertThat(value.get("can_get")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(value.get("can_set")).isEqualTo(KhronosValue.Bool.FALSE);
  }

  @Test
  void with_refuses_capabilities_the_parent_lacks() throws Exception {
    template(T, "escalate", Map.of("init.luau", """
        return { E = function(ctx)
          local ok, err = pcall(function() return ctx:with({ capabilities = { "discord:ban" } }) end)
          local sub = ctx:with({ capabilities = {} })
          return { ok = ok, err = tostring(err), sub_caps = #sub.allowed_caps }
        end }
        """), List.of("E"), List.of("kv:get"));

    KhronosValue.MapValue v = (KhronosValue.MapValue) field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value");

    assertThat(v.get("ok")).isEqualTo(KhronosValue.Bool.FALSE);
    assertThat(((KhronosValue.Text) v.get("err")).value()).contains("Missing capability: discord:ban");
    assertThat(v.get("sub_caps")).isEqualTo(new KhronosValue.Int(0));
  }

  @Test
  void each_event_gets_a_fresh_frozen_ctx_and_event_table_that_a_kept_reference_does_not_see_change() throws Exception {
    template(T, "keep", Map.of("init.luau", """
        local kept
        local function keys(t) local n = {} for k in pairs(t) do table.insert(n, k) end table.sort(n) return table.concat(n, ",") end
        return { E = function(ctx)
          local r = { data = ctx.event.data, author = ctx.event.author == nil, name = ctx:event().name,
                      frozen = table.isfrozen(ctx) and table.isfrozen(ctx.event), keys = keys(ctx), event_keys = keys(ctx.event),
                      guild = ctx.guild_id, limit = ctx.memory_limit, caps = #ctx.allowed_caps,
                      write = select(2, pcall(function() ctx.event = 1 end)), meta = getmetatable(ctx) }
          if kept then
            r.fresh = kept.ctx ~= ctx and kept.event ~= ctx.event and kept.store == ctx.store
            r.kept_data = kept.event.data
          end
          kept = { ctx = ctx, event = ctx.event, store = ctx.store }
          return r
        end }
        """), List.of("E"), List.of("kv:get"));

    KhronosValue.MapValue first = (KhronosValue.MapValue) field(dispatch(T, CreateEvent.of("E", new KhronosValue.Int(1))).get(0), "value");
    KhronosValue.MapValue second = (KhronosValue.MapValue) field(dispatch(T, CreateEvent.of("E", new KhronosValue.Int(2))).get(0), "value");

    assertThat(first.get("data")).isEqualTo(new KhronosValue.Int(1));
    assertThat(first.get("fresh")).isNull();
    assertThat(second.get("data")).isEqualTo(new KhronosValue.Int(2));
    assertThat(second.get("fresh")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(second.get("kept_data")).as("the first event's tables still hold the first event").isEqualTo(new KhronosValue.Int(1));
    for (KhronosValue.MapValue v : List.of(first, second)) {
      assertThat(v.get("name")).isEqualTo(new KhronosValue.Text("E"));
      assertThat(v.get("author")).isEqualTo(KhronosValue.Bool.TRUE);
      assertThat(v.get("frozen")).isEqualTo(KhronosValue.Bool.TRUE);
      assertThat(v.get("keys")).isEqualTo(new KhronosValue.Text(
          "__context,allowed_caps,available_extra_plugins,event,guild_id,has_any_cap,has_cap,memory_limit,store,with"));
      assertThat(v.get("event_keys")).isEqualTo(new KhronosValue.Text("data,name"));
      assertThat(v.get("guild")).isEqualTo(new KhronosValue.Text(Long.toString(T.id())));
      assertThat(v.get("limit")).isEqualTo(new KhronosValue.Int(4L << 20));
      assertThat(v.get("caps")).isEqualTo(new KhronosValue.Int(1));
      assertThat(((KhronosValue.Text) v.get("write")).value()).contains("readonly");
      assertThat(v.get("meta")).isEqualTo(new KhronosValue.Text("The metatable is locked"));
    }
  }

  @Test
  void a_handlers_coroutine_ends_with_its_event_as_upstreams_does() throws Exception {
    template(T, "co", Map.of("init.luau", """
        local last
        return { E = function(ctx)
          local prev = last and { coroutine.status(last), coroutine.resume(last) }
          last = coroutine.running()
          return prev
        end }
        """), List.of("E"), List.of());

    dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    KhronosValue second = field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value");

    assertThat(second).isEqualTo(new KhronosValue.ListValue(List.of(new KhronosValue.Text("dead"), KhronosValue.Bool.FALSE,
        new KhronosValue.Text("cannot resume dead coroutine"))));
  }

  @Test
  void templates_do_not_share_globals_and_keep_their_store_across_events() throws Exception {
    template(T, "a", Map.of("init.luau", """
        return { E = function(ctx) shared = "from a"; ctx.store.n = (ctx.store.n or 0) + 1; return ctx.store.n end }
        """), List.of("E"), List.of());
    template(T, "b", Map.of("init.luau", "return { E = function(ctx) return shared == nil end }"), List.of("E"), List.of());

    dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(field(r.get(0), "value")).isEqualTo(new KhronosValue.Int(2));
    assertThat(field(r.get(1), "value")).isEqualTo(KhronosValue.Bool.TRUE);
  }

  @Test
  void templates_of_one_tenant_share_a_vm_but_not_globals_or_modules() throws Exception {
    template(T, "a", Map.of(
        "init.luau", """
            local util = require("./util")
            secret = "a's global"
            return { E = function() return util.who end }
            """,
        "util.luau", "return { who = 'util of a' }",
        "private.luau", "return 'only a has this file'"), List.of("E"), List.of());
    template(T, "b", Map.of(
        "init.luau", """
            local util = require("./util")
            return { E = function()
              local ok, err = pcall(require, "./private")
              return { who = util.who, secret = secret == nil, private = tostring(err), rawget_g = rawget(_G, "secret") == nil }
            end }
            """,
        "util.luau", "return { who = 'util of b' }"), List.of("E"), List.of());

    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(field(r.get(0), "value")).isEqualTo(new KhronosValue.Text("util of a"));
    KhronosValue.MapValue b = (KhronosValue.MapValue) field(r.get(1), "value");
    assertThat(b.get("who")).isEqualTo(new KhronosValue.Text("util of b"));
    assertThat(b.get("secret")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(b.get("rawget_g")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(((KhronosValue.Text) b.get("private")).value()).contains("could not resolve child component \"private\"");
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(1);
  }

  @Test
  void memory_bomb_in_one_template_breaks_the_tenant_vm_which_comes_back_with_its_templates() throws Exception {
    template(T, "bomb", Map.of("init.luau", """
        return { F = function() local t = {} for i = 1, 1e6 do t[i] = string.rep("x", 100000) .. i end end }
        """), List.of("F"), List.of());
    template(T, "steady", Map.of("init.luau", """
        local loads = 0
        loads += 1
        return { E = function(ctx) ctx.store.n = (ctx.store.n or 0) + 1; return { loads = loads, n = ctx.store.n } end }
        """), List.of("E"), List.of());
    template(OTHER, "fine", Map.of("init.luau", "return { E = function() return 'fine' end }"), List.of("E"), List.of());
    dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    dispatch(OTHER, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    KhronosValue boom = dispatch(T, CreateEvent.of("F", KhronosValue.Null.INSTANCE)).get(0);
    assertThat(((KhronosValue.Text) field(boom, "value")).value()).contains("not enough memory");
    assertThat(pool.worker(0).liveVms()).isEqualTo(1); // only OTHER's VM is left

    // The next event builds a new VM: the tenant's subscriptions and templates are intact, its heap is new.
    KhronosValue after = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0);
    assertThat(field(after, "type")).isEqualTo(new KhronosValue.Text("ok"));
    KhronosValue.MapValue fresh = (KhronosValue.MapValue) field(after, "value");
    assertThat(fresh.get("loads")).isEqualTo(new KhronosValue.Int(1)); // init.luau ran again in the new VM
    assertThat(fresh.get("n")).isEqualTo(new KhronosValue.Int(1)); // the old VM's store went with it
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(3);
    assertThat(field(dispatch(OTHER, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value"))
        .isEqualTo(new KhronosValue.Text("fine"));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(3); // OTHER kept its VM
  }

  @Test
  void a_second_tenant_with_the_same_template_source_does_not_recompile() throws Exception {
    Map<String, String> files = Map.of(
        "init.luau", "local m = require('./m') return { E = function() return m.v end }",
        "m.luau", "return { v = 'same' }");
    template(T, "copy", files, List.of("E"), List.of());
    template(OTHER, "copy", files, List.of("E"), List.of());

    dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    long afterFirst = chunks.compilations();
    List<KhronosValue> r = dispatch(OTHER, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(field(r.get(0), "value")).isEqualTo(new KhronosValue.Text("same"));
    assertThat(afterFirst).isEqualTo(2); // init.luau and m.luau
    assertThat(chunks.compilations()).isEqualTo(2);
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
  }

  @Test
  void work_a_handler_defers_runs_before_the_next_event() throws Exception {
    template(T, "later", Map.of("init.luau", """
        return { E = function(ctx)
          task.defer(function() ctx.store.deferred = (ctx.store.deferred or 0) + 1 end)
          return ctx.store.deferred or 0
        end }
        """), List.of("E"), List.of());

    assertThat(field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Int(0));
    assertThat(field(dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Int(1));
  }

  @Test
  void a_template_whose_init_fails_leaves_its_siblings_and_the_vm_alone() throws Exception {
    template(T, "a_broken", Map.of("init.luau", "leaked = true\nerror('init failed')"), List.of("E"), List.of());
    template(T, "b_fine", Map.of("init.luau", "return { E = function() return leaked == nil end }"), List.of("E"), List.of());

    List<KhronosValue> first = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    List<KhronosValue> second = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(((KhronosValue.Text) field(first.get(0), "value")).value()).contains("could not load template").contains("init failed");
    assertThat(field(first.get(1), "value")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(field(second.get(0), "type")).isEqualTo(new KhronosValue.Text("err"));
    assertThat(field(second.get(1), "value")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(1);
  }

  @Test
  void runtime_error_is_an_err_result_with_position_and_is_reported() throws Exception {
    template(T, "buggy", Map.of("init.luau", "return {\n E = function(ctx)\n  local t = nil\n  return t.x\n end }"),
        List.of("E"), List.of());

    KhronosValue r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0);

    assertThat(field(r, "type")).isEqualTo(new KhronosValue.Text("err"));
    assertThat(((KhronosValue.Text) field(r, "value")).value()).contains("/init.luau:4:").contains("attempt to index nil");
    assertThat(reported).anyMatch(s -> s.startsWith("buggy: ") && s.contains("attempt to index nil"));
  }

  @Test
  void endless_loop_hits_the_time_limit_and_other_tenants_still_run() throws Exception {
    template(T, "loop", Map.of("init.luau", "return { E = function() while true do end end }"), List.of("E"), List.of());
    template(OTHER, "fine", Map.of("init.luau", "return { E = function() return 'fine' end }"), List.of("E"), List.of());

    var looping = pool.dispatchEvent(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));
    assertThat(field(dispatch(OTHER, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0), "value"))
        .isEqualTo(new KhronosValue.Text("fine"));

    KhronosValue r = ((KhronosValue.ListValue) looping.get(20, TimeUnit.SECONDS)).items().get(0);
    assertThat(((KhronosValue.Text) field(r, "value")).value()).contains("Script execution time limit exceeded");
  }

  @Test
  void memory_error_breaks_the_vm_which_is_rebuilt_on_the_next_event() throws Exception {
    template(T, "hog", Map.of("init.luau", """
        local calls = 0
        return {
          E = function() local t = {} for i = 1, 1e6 do t[i] = string.rep("x", 100000) .. i end end,
          F = function() calls += 1; return calls end,
        }
        """), List.of("E", "F"), List.of());

    assertThat(field(dispatch(T, CreateEvent.of("F", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Int(1));
    KhronosValue r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(0);
    assertThat(((KhronosValue.Text) field(r, "value")).value()).contains("not enough memory");
    assertThat(pool.worker(0).liveVms()).isZero();

    // A fresh VM: the template's upvalue starts again.
    assertThat(field(dispatch(T, CreateEvent.of("F", KhronosValue.Null.INSTANCE)).get(0), "value")).isEqualTo(new KhronosValue.Int(1));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
  }

  @Test
  void init_that_does_not_return_a_table_is_an_err_result() throws Exception {
    template(T, "noreturn", Map.of("init.luau", "local x = 1"), List.of("E"), List.of());
    template(T, "syntax", Map.of("init.luau", "return {"), List.of("E"), List.of());

    List<KhronosValue> r = dispatch(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE));

    assertThat(((KhronosValue.Text) field(r.get(0), "value")).value()).contains("init.luau must return a table of handlers");
    assertThat(field(r.get(1), "type")).isEqualTo(new KhronosValue.Text("err"));
  }
}
