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
import io.templateworker.worker.vm.TenantVm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Background tasks of real Luau templates in the thread pool: {@code task.delay} and {@code task.wait} resume
 * between events, without another event arriving. Effects are observed through {@code print}, which the
 * factory sends to a buffer here, and through the error reporter.
 */
class BackgroundTasksTest {
  static final TenantId T = TenantId.guild((40L << 22) + 1);
  static final TenantId OTHER = TenantId.guild((41L << 22) + 1);
  static final Duration SLICE = Duration.ofMillis(300);

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  final List<String> printed = new CopyOnWriteArrayList<>();
  ThreadPool pool;

  void start(WorkerConfig config) {
    states.subscribe(T, "E", "F").subscribe(OTHER, "E");
    pool = new ThreadPool(1, config, new TenantServices(states, templates, null),
        new LuauIsolateFactory(Limits.defaults().withMemory(4L << 20).withTimeSlice(SLICE), new ChunkCache(1 << 20)),
        new ErrorReporter() {
          @Override
          public void report(TenantId tenant, String template, String event, String error) {
            reported.add(tenant + " " + template + " " + event + ": " + error);
          }

          @Override
          public void print(TenantId tenant, String template, String text) {
            printed.add(text);
          }
        },
        KhronosValue.Null.INSTANCE).start();
  }

  void start() {
    start(WorkerConfig.DEFAULTS);
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.kill();
    }
  }

  String printed() {
    return String.join("\n", printed);
  }

  void template(TenantId tenant, String name, String init) {
    templates.create(tenant, new TemplateSpec(name, Map.of("init.luau", init), List.of("E", "F"), List.of(), false, null, "luau"));
  }

  KhronosValue dispatch(TenantId tenant, String event, KhronosValue data) throws Exception {
    List<KhronosValue> r = ((KhronosValue.ListValue) pool.dispatchEvent(tenant, CreateEvent.of(event, data))
        .get(20, TimeUnit.SECONDS)).items();
    return ((KhronosValue.MapValue) r.get(0)).get("value");
  }

  KhronosValue dispatch(TenantId tenant, String event) throws Exception {
    return dispatch(tenant, event, KhronosValue.Null.INSTANCE);
  }

  @Test
  void a_delay_started_by_a_handler_runs_without_another_event() throws Exception {
    start();
    template(T, "later", """
        return {
          E = function(ctx)
            task.delay(0.1, function(n) ctx.store.ran = n; print("delayed " .. n) end, ctx.event.data.n)
            return "scheduled"
          end,
          F = function(ctx) return ctx.store.ran end,
        }
        """);

    assertThat(dispatch(T, "E", KhronosValue.textMap("n", new KhronosValue.Float(7)))).isEqualTo(new KhronosValue.Text("scheduled"));

    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("delayed 7"));
    // The store write happened in that drive, before this event: its handler sees it.
    assertThat(dispatch(T, "F")).isEqualTo(new KhronosValue.Int(7)); // a whole number is an Integer, as upstream
    assertThat(reported).isEmpty();
  }

  @Test
  void a_spawned_task_resumes_after_task_wait() throws Exception {
    start();
    template(T, "waiter", """
        return { E = function(ctx)
          task.spawn(function()
            print("before")
            local waited = task.wait(0.1)
            print("woke after at least 0.1 s: " .. tostring(waited >= 0.1))
          end)
          return "spawned"
        end }
        """);

    assertThat(dispatch(T, "E")).isEqualTo(new KhronosValue.Text("spawned"));

    assertThat(printed()).contains("before").doesNotContain("woke");
    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("woke after at least 0.1 s: true"));
  }

  @Test
  void a_cancelled_delay_never_runs() throws Exception {
    start();
    template(T, "canceller", """
        return { E = function(ctx)
          local doomed = task.delay(0.05, function() print("cancelled delay ran") end)
          task.cancel(doomed)
          task.delay(0.15, function() print("marker") end)
        end }
        """);

    dispatch(T, "E");

    // The marker is due after the cancelled delay would have been: once it ran, the other had its chance.
    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("marker"));
    assertThat(printed()).doesNotContain("cancelled delay ran");
  }

  @Test
  void dropping_the_tenant_cancels_its_pending_timers() throws Exception {
    start();
    template(T, "dropped", "return { E = function() task.delay(0.1, function() print('ran after drop') end) end }");
    template(OTHER, "marker", "return { E = function() task.delay(0.3, function() print('marker') end) end }");

    dispatch(T, "E");
    pool.dropTenant(T).get(10, TimeUnit.SECONDS);
    dispatch(OTHER, "E");

    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("marker"));
    assertThat(printed()).doesNotContain("ran after drop");
    assertThat(pool.worker(0).liveVms()).isEqualTo(1);
  }

  @Test
  void evicting_the_vm_for_the_vm_cap_cancels_its_pending_timers() throws Exception {
    start(WorkerConfig.DEFAULTS.withMaxVms(1));
    template(T, "evicted", "return { E = function() task.delay(0.3, function() print('ran after eviction') end) end }");
    template(OTHER, "marker", "return { E = function() task.delay(0.5, function() print('marker') end) end }");

    dispatch(T, "E");
    dispatch(OTHER, "E"); // the cap is one VM: T's, the least recently used, is closed

    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("marker"));
    assertThat(printed()).doesNotContain("ran after eviction");
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
    assertThat(pool.worker(0).liveVms()).isEqualTo(1);
  }

  @Test
  void a_failing_task_is_reported_with_its_tenant_and_template() throws Exception {
    start();
    template(T, "a_quiet", "return { E = function() end }");
    template(T, "b_faulty", """
        return { E = function()
          task.delay(0.05, function() local t = nil; return t.x end)
        end }
        """);

    dispatch(T, "E");

    await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
    assertThat(reported).singleElement().asString()
        .startsWith(T + " b_faulty " + TenantVm.TASK_EVENT + ": ")
        .contains("/init.luau:2:").contains("attempt to index nil");
  }

  @Test
  void a_task_looping_on_task_wait_does_not_block_other_tenants_or_its_own_events() throws Exception {
    start();
    template(T, "spinner", """
        return {
          E = function(ctx)
            task.spawn(function() while true do ctx.store.laps = (ctx.store.laps or 0) + 1; task.wait() end end)
          end,
          F = function(ctx) return ctx.store.laps end,
        }
        """);
    template(OTHER, "fine", "return { E = function() return 'fine' end }");

    dispatch(T, "E");

    for (int i = 0; i < 20; i++) {
      assertThat(dispatch(OTHER, "E")).isEqualTo(new KhronosValue.Text("fine"));
    }
    // The loop keeps going between the tenant's own events, which are still answered.
    long first = ((KhronosValue.Int) dispatch(T, "F")).value();
    await().atMost(Duration.ofSeconds(10)).until(() -> ((KhronosValue.Int) dispatch(T, "F")).value() > first);
    assertThat(reported).isEmpty();
  }

  @Test
  void a_busy_task_is_stopped_by_the_time_slice_of_its_drive_and_others_still_run() throws Exception {
    start();
    template(T, "busy", """
        return {
          E = function() task.delay(0.05, function() while true do end end) end,
          F = function() return "still here" end,
        }
        """);
    template(OTHER, "fine", "return { E = function() return 'fine' end }");

    dispatch(T, "E");
    await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());

    assertThat(reported).singleElement().asString()
        .startsWith(T + " busy " + TenantVm.TASK_EVENT + ": ").contains("Script execution time limit exceeded");
    assertThat(dispatch(OTHER, "E")).isEqualTo(new KhronosValue.Text("fine"));
    assertThat(dispatch(T, "F")).isEqualTo(new KhronosValue.Text("still here"));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
  }

  @Test
  void a_vm_with_a_pending_timer_is_not_closed_as_idle() throws Exception {
    start(WorkerConfig.DEFAULTS.withIdleTimeout(Duration.ofMillis(40)));
    template(T, "patient", "return { E = function() task.delay(0.4, function() print('fired') end) end }");

    dispatch(T, "E");

    // Sweeps run every 20 ms, so an idle-closed VM would have dropped the timer long before it fired.
    await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("fired"));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(1);
    // Once nothing is pending, the VM is idle like any other.
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.worker(0).liveVms() == 0);
  }
}
