package io.templateworker.worker.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.expiry.KeyEventRouter;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.testing.ScriptedIsolates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadPoolTest {
  /** Guild ids that route to worker 0 and worker 1 of a 2-worker pool: (id >> 22) % 2. */
  static final TenantId ON_0 = TenantId.guild((10L << 22) + 7);
  static final TenantId ON_1 = TenantId.guild((11L << 22) + 7);
  static final TenantId ON_0_TOO = TenantId.guild((12L << 22) + 9);

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final ScriptedIsolates isolates = new ScriptedIsolates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  ThreadPool pool;

  ThreadPool start(WorkerConfig config) {
    pool = new ThreadPool(2, config, new TenantServices(states, templates, null), isolates,
        (tenant, template, event, error) -> reported.add(tenant + " " + template + " " + event + ": " + error),
        KhronosValue.Null.INSTANCE).start();
    return pool;
  }

  @AfterEach
  void stop() {
    ScriptedIsolates.stopSpinning = true;
    if (pool != null) {
      pool.kill();
    }
    ScriptedIsolates.stopSpinning = false;
  }

  static CreateEvent event(String name) {
    return CreateEvent.of(name, KhronosValue.Null.INSTANCE);
  }

  static KhronosValue result(String type, String id, KhronosValue value) {
    return KhronosValue.textMap("type", new KhronosValue.Text(type), "id", new KhronosValue.Text(id), "value", value);
  }

  static KhronosValue get(CompletableFuture<KhronosValue> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void routes_guilds_to_their_workers_and_returns_template_results() throws Exception {
    states.subscribe(ON_0, "MESSAGE_CREATE").subscribe(ON_1, "MESSAGE_CREATE");
    templates.add(ON_0, "a", "echo", List.of("MESSAGE_CREATE")).add(ON_1, "b", "echo", List.of("MESSAGE_CREATE"));
    start(WorkerConfig.DEFAULTS);

    assertThat(get(pool.dispatchEvent(ON_0, event("MESSAGE_CREATE"))))
        .isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got MESSAGE_CREATE"))));
    assertThat(get(pool.dispatchEvent(ON_1, event("MESSAGE_CREATE"))))
        .isEqualTo(KhronosValue.list(result("ok", "b", new KhronosValue.Text("b got MESSAGE_CREATE"))));
    assertThat(pool.len()).isEqualTo(2);
    assertThat(pool.worker(0).liveVms()).isEqualTo(1);
    assertThat(pool.worker(1).liveVms()).isEqualTo(1);
    assertThat(pool.workerFor(ON_1).id()).isEqualTo(1);
  }

  @Test
  void results_go_to_the_reporter_unless_the_caller_reports_them_itself() throws Exception {
    templates.add(ON_0, "a", "echo", List.of("E"));
    List<String> dispatched = new CopyOnWriteArrayList<>();
    pool = new ThreadPool(2, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null), isolates,
        new io.templateworker.worker.vm.ErrorReporter() {
          @Override
          public void report(TenantId tenant, String template, String event, String error) {
            reported.add(error);
          }

          @Override
          public void dispatched(TenantId tenant, CreateEvent event, KhronosValue results) {
            dispatched.add(event.name() + " " + results);
          }
        }, KhronosValue.Null.INSTANCE).start();
    WorkerThread worker = pool.workerFor(ON_0);

    KhronosValue own = get(worker.dispatchEvent(ON_0, event("E"), null, false));
    assertThat(own).isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got E"))));
    KhronosValue reportedToo = get(worker.dispatchEvent(ON_0, event("E")));
    // The lane runs in order: once the second reply is in, the first event's report would have been made.
    assertThat(dispatched).containsExactly("E " + reportedToo);
    assertThat(reported).isEmpty();
  }

  @Test
  void an_outcome_handed_to_a_callback_is_the_result_or_the_refusal_a_future_would_hold() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "a", "echo", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    WorkerThread worker = pool.workerFor(ON_0);

    CompletableFuture<KhronosValue> ran = new CompletableFuture<>();
    worker.dispatchEvent(ON_0, event("E"), null, false, (value, error) -> {
      if (error != null) {
        ran.completeExceptionally(error);
      } else {
        ran.complete(value);
      }
    });
    assertThat(get(ran)).isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got E"))));

    CompletableFuture<Throwable> notStarted = new CompletableFuture<>();
    worker.dispatchEvent(ON_0, event("E"), () -> false, false, (value, error) -> notStarted.complete(error));
    assertThat(notStarted.get(10, TimeUnit.SECONDS)).isInstanceOf(WorkerException.class)
        .hasMessageContaining("not started");

    pool.kill();
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    worker.dispatchEvent(ON_0, event("E"), null, false, (value, error) -> refused.complete(error));
    assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(WorkerException.class)
        .hasMessageContaining("not dispatched");
  }

  @Test
  void a_banned_tenants_events_run_nothing_until_the_worker_reads_its_state_again() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "a", "echo", List.of("E"));
    states.setBanned(ON_0, true);
    start(WorkerConfig.DEFAULTS);
    WorkerThread worker = pool.workerFor(ON_0);

    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).as("the ban kept on the lane").isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(worker.vmsCreated()).isZero();
    states.setBanned(ON_0, false);
    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).as("not read again yet").isEqualTo(KhronosValue.Null.INSTANCE);
    pool.dropTenant(ON_0).get(10, TimeUnit.SECONDS); // forgets the lane's copy of the state
    assertThat(get(pool.dispatchEvent(ON_0, event("E"))))
        .isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got E"))));
  }

  @Test
  void event_nothing_listens_to_returns_null_without_building_a_vm() throws Exception {
    states.subscribe(ON_0, "MESSAGE_CREATE");
    templates.add(ON_0, "a", "echo", List.of("GUILD_MEMBER_ADD"))
        .add(ON_0, "p", "echo", List.of("GUILD_ROLE_CREATE"), List.of("*"), true);
    start(WorkerConfig.DEFAULTS);

    assertThat(get(pool.dispatchEvent(ON_0, event("TYPING_START")))).isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(get(pool.dispatchEvent(ON_0, event("GUILD_ROLE_CREATE")))).as("only a paused template lists it")
        .isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(get(pool.dispatchEvent(ON_1, event("MESSAGE_CREATE")))).isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(pool.worker(0).vmsCreated() + pool.worker(1).vmsCreated()).isZero();
  }

  @Test
  void a_tenant_hears_the_defaults_its_subscriptions_and_every_event_its_templates_list() throws Exception {
    // No tenant state was ever stored for ON_0: listing an event in a template is enough (upstream dropped it).
    templates.add(ON_0, "a", "echo", List.of("GUILD_MEMBER_ADD"));
    states.subscribe(ON_1, "MESSAGE_CREATE");
    start(WorkerConfig.DEFAULTS);

    assertThat(get(pool.dispatchEvent(ON_0, event("GUILD_MEMBER_ADD"))))
        .isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got GUILD_MEMBER_ADD"))));
    for (String always : List.of("INTERACTION_CREATE", "GetSettings", "ExecuteSetting")) {
      assertThat(get(pool.dispatchEvent(ON_1, event(always)))).as(always).isEqualTo(KhronosValue.list());
    }
    assertThat(get(pool.dispatchEvent(ON_1, event("MESSAGE_CREATE")))).isEqualTo(KhronosValue.list());
    assertThat(get(pool.dispatchEvent(ON_1, event("WebGetSettings")))).isEqualTo(KhronosValue.Null.INSTANCE);
  }

  @Test
  void a_template_change_reaches_the_worker_at_once_and_the_template_gets_on_startup() throws Exception {
    templates.add(ON_0, "a", "count", List.of("E")).add(ON_0, "b", "created", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    get(pool.dispatchEvent(ON_0, event("E")));
    assertThat(isolates.createdPerTenant.get(ON_0).get()).isEqualTo(2);

    // "a" is replaced: only its isolate is rebuilt, and it alone receives OnStartup.
    templates.update(ON_0, "a", new io.templateworker.runtime.store.TemplateSpec("a",
        java.util.Map.of("init.luau", "echo"), List.of("E", "NEW_EVENT"), List.of(), false, null, "luau"));
    pool.reloadTemplates(ON_0, "a").get(10, TimeUnit.SECONDS);

    assertThat(isolates.createdPerTenant.get(ON_0).get()).isEqualTo(3);
    assertThat(isolates.counters.get(ON_0).get()).as("the old \"a\" counted the first E; the new one does not count").isEqualTo(1);
    assertThat(get(pool.dispatchEvent(ON_0, event("NEW_EVENT")))).as("the new event passes the filter at once")
        .isEqualTo(KhronosValue.list(result("ok", "a", new KhronosValue.Text("a got NEW_EVENT"))));
    assertThat(pool.worker(0).vmsCreated()).as("no restart, no new VM").isEqualTo(1);

    templates.delete(ON_0, "a");
    pool.reloadTemplates(ON_0, "a").get(10, TimeUnit.SECONDS);
    assertThat(get(pool.dispatchEvent(ON_0, event("NEW_EVENT")))).isEqualTo(KhronosValue.Null.INSTANCE);
  }

  @Test
  void fan_out_skips_paused_and_unsubscribed_templates_and_matches_scoped_names() throws Exception {
    states.subscribe(ON_0, "KeyExpiry[reminders]", "MESSAGE_CREATE");
    templates.add(ON_0, "a-reminder", "echo", List.of("KeyExpiry[reminders]"))
        .add(ON_0, "b-other-scope", "echo", List.of("KeyExpiry[bans]"))
        .add(ON_0, "c-paused", "echo", List.of("KeyExpiry[reminders]"), List.of("*"), true)
        .add(ON_0, "d-failing", "fail attempt to index nil with 'x'", List.of("KeyExpiry", "MESSAGE_CREATE"))
        .add(ON_0, "e-caps", "caps", List.of("KeyExpiry[reminders]"), List.of("kv:get"), false);
    start(WorkerConfig.DEFAULTS);

    KhronosValue r = get(pool.dispatchEvent(ON_0, CreateEvent.scoped("KeyExpiry", KhronosValue.Null.INSTANCE, List.of("reminders"))));

    assertThat(r).isEqualTo(KhronosValue.list(
        result("ok", "a-reminder", new KhronosValue.Text("a-reminder got KeyExpiry")),
        result("err", "d-failing", new KhronosValue.Text("init.luau:3: attempt to index nil with 'x'")),
        result("ok", "e-caps", KhronosValue.textMap("kv_get", KhronosValue.Bool.TRUE, "caps", new KhronosValue.Text("kv:get")))));
    assertThat(reported).containsExactly("guild/" + ON_0.id() + " d-failing KeyExpiry: init.luau:3: attempt to index nil with 'x'");
  }

  @Test
  void key_expiry_engine_events_reach_scoped_subscribers() throws Exception {
    states.subscribe(ON_1, "KeyExpiry[reminders]");
    templates.add(ON_1, "reminder", "echo", List.of("KeyExpiry[reminders]"));
    start(WorkerConfig.DEFAULTS);
    KeyEventRouter router = new KeyEventRouter(pool);

    router.dispatch(new KeyEvent(KeyEvent.Kind.EXPIRY, ON_1, "id1", "k", List.of("reminders"), Instant.EPOCH, "d1", 1))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(pool.worker(1).vmsCreated()).isEqualTo(1);
    assertThat(isolates.created.get()).isEqualTo(1);
  }

  @Test
  void exactly_one_vm_under_concurrent_first_events() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "a", "count", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<KhronosValue>> replies = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 64; i++) {
      callers.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        replies.add(pool.dispatchEvent(ON_0, event("E")));
      });
    }
    go.countDown();
    callers.shutdown();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<KhronosValue> f : replies) {
      get(f);
    }
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(1);
    assertThat(isolates.created.get()).isEqualTo(1);
    assertThat(isolates.counters.get(ON_0).get()).isEqualTo(64);
  }

  @Test
  void events_of_one_tenant_run_in_arrival_order() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "r", "record", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    CompletableFuture<KhronosValue> last = null;
    for (long i = 0; i < 2_000; i++) {
      if (i % 3 == 0) {
        last = pool.dispatchEvent(ON_0, CreateEvent.of("E", new KhronosValue.Int(i)));
      } else {
        pool.dispatchEventNoWait(ON_0, CreateEvent.of("E", new KhronosValue.Int(i)));
      }
    }
    get(last);
    await().atMost(10, TimeUnit.SECONDS).until(() -> isolates.recorded.get(ON_0).size() == 2_000);
    List<Long> seen = isolates.recorded.get(ON_0);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void broken_vm_is_dropped_and_rebuilt_on_the_next_event() throws Exception {
    states.subscribe(ON_0, "E", "F");
    templates.add(ON_0, "boom", "fatal", List.of("E")).add(ON_0, "ok", "echo", List.of("F"));
    start(WorkerConfig.DEFAULTS);

    KhronosValue r = get(pool.dispatchEvent(ON_0, event("E")));
    assertThat(r).isEqualTo(KhronosValue.list(result("err", "boom", new KhronosValue.Text("not enough memory"))));
    assertThat(pool.worker(0).liveVms()).isZero();

    assertThat(get(pool.dispatchEvent(ON_0, event("F"))))
        .isEqualTo(KhronosValue.list(result("ok", "ok", new KhronosValue.Text("ok got F"))));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
    assertThat(isolates.closed.get()).isEqualTo(1);
  }

  @Test
  void a_tenant_has_one_vm_for_all_its_templates_and_a_fatal_error_rebuilds_it() throws Exception {
    states.subscribe(ON_0, "E", "F");
    templates.add(ON_0, "a", "echo", List.of("E")).add(ON_0, "b", "count", List.of("E")).add(ON_0, "boom", "fatal", List.of("F"));
    start(WorkerConfig.DEFAULTS);

    get(pool.dispatchEvent(ON_0, event("E")));
    assertThat(isolates.opened.get()).isEqualTo(1);
    assertThat(isolates.created.get()).isEqualTo(2);

    get(pool.dispatchEvent(ON_0, event("F")));
    assertThat(isolates.enginesClosed.get()).isEqualTo(1);
    assertThat(isolates.closed.get()).isEqualTo(3); // every isolate of the VM went with it

    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).isEqualTo(KhronosValue.list(
        result("ok", "a", new KhronosValue.Text("a got E")), result("ok", "b", new KhronosValue.Int(2))));
    assertThat(isolates.opened.get()).isEqualTo(2);
  }

  @Test
  void idle_vm_is_closed_and_rebuilt_keeping_tenant_state() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "c", "count", List.of("E"));
    start(WorkerConfig.DEFAULTS.withIdleTimeout(Duration.ofMillis(100)));

    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).isEqualTo(KhronosValue.list(result("ok", "c", new KhronosValue.Int(1))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> pool.worker(0).liveVms() == 0);
    assertThat(isolates.closed.get()).isEqualTo(1);

    assertThat(get(pool.dispatchEvent(ON_0, event("E")))).isEqualTo(KhronosValue.list(result("ok", "c", new KhronosValue.Int(2))));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(2);
  }

  @Test
  void vm_cap_evicts_the_least_recently_used_tenant() throws Exception {
    TenantId[] tenants = {TenantId.guild((2L << 22) + 1), TenantId.guild((4L << 22) + 1), TenantId.guild((6L << 22) + 1)};
    for (TenantId t : tenants) {
      states.subscribe(t, "E");
      templates.add(t, "c", "count", List.of("E"));
    }
    start(WorkerConfig.DEFAULTS.withMaxVms(2));
    get(pool.dispatchEvent(tenants[0], event("E")));
    get(pool.dispatchEvent(tenants[1], event("E")));
    get(pool.dispatchEvent(tenants[0], event("E"))); // tenants[1] is now the least recently used

    get(pool.dispatchEvent(tenants[2], event("E")));

    await().atMost(10, TimeUnit.SECONDS).until(() -> pool.worker(0).liveVms() == 2);
    assertThat(isolates.closed.get()).isEqualTo(1);
    get(pool.dispatchEvent(tenants[0], event("E")));
    assertThat(pool.worker(0).vmsCreated()).isEqualTo(3); // tenants[0] kept its VM
  }

  @Test
  void drop_tenant_closes_the_vm_and_reloads_templates() throws Exception {
    states.subscribe(ON_1, "E");
    templates.add(ON_1, "v1", "echo", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    get(pool.dispatchEvent(ON_1, event("E")));
    templates.delete(ON_1, "v1");
    templates.add(ON_1, "v2", "echo", List.of("E"));

    pool.dropTenant(ON_1).get(10, TimeUnit.SECONDS);

    assertThat(pool.worker(1).liveVms()).isZero();
    assertThat(get(pool.dispatchEvent(ON_1, event("E"))))
        .isEqualTo(KhronosValue.list(result("ok", "v2", new KhronosValue.Text("v2 got E"))));
  }

  @Test
  void compile_error_is_an_err_result_and_other_templates_still_run() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "bad", "syntax error", List.of("E")).add(ON_0, "good", "echo", List.of("E"));
    start(WorkerConfig.DEFAULTS);

    KhronosValue r = get(pool.dispatchEvent(ON_0, event("E")));

    assertThat(r).isEqualTo(KhronosValue.list(
        result("err", "bad", new KhronosValue.Text("could not load template: init.luau:1: Expected identifier when parsing expression, got <eof>")),
        result("ok", "good", new KhronosValue.Text("good got E"))));
  }

  @Test
  void on_startup_reaches_subscribed_tenants_when_the_worker_starts() throws Exception {
    TenantId listening = TenantId.guild((4L << 22) + 9); // routed to worker 0, no tenant state stored
    states.subscribe(ON_0, "OnStartup").subscribe(ON_1, "MESSAGE_CREATE");
    templates.add(ON_0, "boot", "count", List.of("OnStartup")).add(ON_1, "boot", "count", List.of("MESSAGE_CREATE"))
        .add(listening, "boot", "count", List.of("OnStartup"));
    start(WorkerConfig.DEFAULTS);

    await().atMost(10, TimeUnit.SECONDS).until(() -> isolates.counters.containsKey(ON_0) && isolates.counters.containsKey(listening));
    assertThat(isolates.counters.get(ON_0).get()).isEqualTo(1);
    assertThat(isolates.counters.get(listening).get()).as("its template lists OnStartup").isEqualTo(1);
    assertThat(isolates.counters).doesNotContainKey(ON_1);
  }

  @Test
  void flooded_tenant_gets_a_clear_refusal_beyond_its_queue_limit() throws Exception {
    states.subscribe(ON_0, "E");
    templates.add(ON_0, "b", "block", List.of("E"));
    start(new WorkerConfig(Duration.ofSeconds(5), Duration.ofMinutes(1), 100, 3));
    List<CompletableFuture<KhronosValue>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(pool.dispatchEvent(ON_0, event("E")));
    }
    CompletableFuture<KhronosValue> refused = replies.get(5);
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("already has 3 events waiting on worker 0");
    isolates.release.countDown();
    get(replies.get(0));
  }

  @Test
  void run_script_uses_a_root_context() throws Exception {
    start(WorkerConfig.DEFAULTS);
    assertThat(get(pool.runScript(ON_1, "staff", "return 1", event("Run"))))
        .isEqualTo(new KhronosValue.Text("ran staff for guild/" + ON_1.id() + " with [*]"));
    assertThatThrownBy(() -> get(pool.runScript(ON_1, "staff", "error oops", event("Run"))))
        .hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("script staff failed for tenant guild/" + ON_1.id() + " on worker 1: staff:1: oops");
  }

  @Test
  void hostile_tenant_does_not_hold_up_other_tenants_on_the_same_worker() throws Exception {
    states.subscribe(ON_0, "E").subscribe(ON_0_TOO, "E");
    templates.add(ON_0, "hog", "spin", List.of("E")).add(ON_0_TOO, "nice", "count", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    CompletableFuture<KhronosValue> hog = pool.dispatchEvent(ON_0, event("E"));
    pool.dispatchEventNoWait(ON_0, event("E")); // queued behind the first: the hog's own lane

    for (int i = 1; i <= 50; i++) {
      assertThat(get(pool.dispatchEvent(ON_0_TOO, event("E")))).isEqualTo(KhronosValue.list(result("ok", "nice", new KhronosValue.Int(i))));
    }
    // The polite tenant was fully served while the hog, on the same worker, was still burning CPU.
    assertThat(hog).isNotDone();
    ScriptedIsolates.stopSpinning = true;
    get(hog);
  }

  @Test
  void more_tenants_waiting_on_the_host_than_runners_do_not_hold_up_another_tenant() throws Exception {
    // More blocked lanes than the worker has runner slots (one per core): each blocked job's slot passes on.
    List<TenantId> blocked = new ArrayList<>();
    for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 2; i++) {
      TenantId tenant = TenantId.guild(((20L + 2 * i) << 22) + 3); // even: worker 0
      states.subscribe(tenant, "E");
      templates.add(tenant, "b", "block", List.of("E"));
      blocked.add(tenant);
    }
    states.subscribe(ON_0_TOO, "E");
    templates.add(ON_0_TOO, "nice", "count", List.of("E"));
    start(WorkerConfig.DEFAULTS);
    List<CompletableFuture<KhronosValue>> waiting = new ArrayList<>();
    for (TenantId tenant : blocked) {
      waiting.add(pool.dispatchEvent(tenant, event("E")));
    }

    assertThat(get(pool.dispatchEvent(ON_0_TOO, event("E")))).isEqualTo(KhronosValue.list(result("ok", "nice", new KhronosValue.Int(1))));
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    isolates.release.countDown();
    for (CompletableFuture<KhronosValue> reply : waiting) {
      assertThat(get(reply)).isEqualTo(KhronosValue.list(result("ok", "b", new KhronosValue.Text("released"))));
    }
  }
}
