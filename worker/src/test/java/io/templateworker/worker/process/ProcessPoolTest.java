package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.templateworker.mesophyll.client.MesophyllClient;
import io.templateworker.mesophyll.server.MesophyllServer;
import io.templateworker.mesophyll.server.MesophyllServerConfig;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.testing.MemoryKv;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.testing.ScriptedChildMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real process pool: two child JVMs, real Mesophyll WebSockets, the DB through the master. Shared by the tests. */
class ProcessPoolTest {
  static final TenantId ON_0 = TenantId.guild((20L << 22) + 3);
  static final TenantId ON_1 = TenantId.guild((21L << 22) + 3);
  static final TenantId ON_0_B = TenantId.guild((22L << 22) + 3);
  static final TenantId ON_1_B = TenantId.guild((23L << 22) + 3);
  static final TenantId ON_1_C = TenantId.guild((25L << 22) + 3);
  static final TenantId ON_0_C = TenantId.guild((26L << 22) + 3);
  static final TenantId ON_1_D = TenantId.guild((27L << 22) + 3);
  static final TenantId ON_1_E = TenantId.guild((29L << 22) + 3);
  /** What the children's tenant logs sent to the master. */
  static final List<String> masterLog = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Each event's results as the children sent them to the master's reporter. */
  static final List<String> masterDispatched = new java.util.concurrent.CopyOnWriteArrayList<>();

  static final MemoryTenantStates states = new MemoryTenantStates();
  static final MemoryTemplates templates = new MemoryTemplates();
  static final MemoryKv kv = new MemoryKv();
  static ProcessPool pool;
  /** The hog template spins until this file exists (the child cannot see the test's flags). */
  static final java.io.File STOP_HOG = new java.io.File("target/stop-hog-" + java.lang.ProcessHandle.current().pid()).getAbsoluteFile();

  /** A free port picked before the start: the Mesophyll server binds the address it is given (addrs.mesophyll_server). */
  static int mesophyllPort;

  @BeforeAll
  static void startPool() throws Exception {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      mesophyllPort = probe.getLocalPort();
    }
    for (TenantId t : List.of(ON_0, ON_1, ON_0_B, ON_1_B, ON_1_C, ON_0_C, ON_1_E)) {
      states.subscribe(t, "E", "S", "P", "OnStartup");
    }
    templates.add(ON_0, "echo", "echo", List.of("E")).add(ON_0, "pid", "pid", List.of("P"))
        .add(ON_1, "echo", "echo", List.of("E")).add(ON_1, "pid", "pid", List.of("P"))
        .add(ON_0_B, "count", "kvcount", List.of("E")).add(ON_0_B, "created", "created", List.of("S"))
        .add(ON_1_B, "append", "kvappend", List.of("E"))
        .add(ON_1_C, "boot", "kvcount", List.of("OnStartup"))
        .add(ON_0, "hog", "spinuntil " + STOP_HOG, List.of("S")).add(ON_0_C, "count", "kvcount", List.of("E"))
        .add(ON_1_E, "append", "kvappend", List.of("E")).add(ON_1_E, "hold", "kvappend 60000", List.of("H"));
    ProcessPoolConfig config = ProcessPoolConfig.defaults(2)
        .withMesophyll(new MesophyllServerConfig(Duration.ofMillis(1000), 5, Duration.ofSeconds(60)))
        .withRespawn(Duration.ofMillis(200), 10);
    pool = new ProcessPool(config, new TenantServices(states, templates, kv),
        ChildLauncher.sameJvm(ScriptedChildMain.class.getName(), List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx256m"), List.of(), new java.io.File("target")),
        new io.templateworker.worker.vm.ErrorReporter() {
          @Override
          public void report(TenantId tenant, String template, String event, String error) {
            masterLog.add(tenant + " " + template + " " + event + ": " + error);
          }

          @Override
          public void dispatched(TenantId tenant, CreateEvent event, KhronosValue results) {
            masterDispatched.add(tenant + " " + event.name() + " " + results);
          }
        })
        .start("127.0.0.1", mesophyllPort);
    // Generous: four JVMs (two children, two standbys) start at once, on a machine that may be busy.
    assertThat(pool.awaitConnected(Duration.ofSeconds(120))).isTrue();
  }

  @AfterAll
  static void stopPool() {
    if (pool != null) {
      pool.kill();
    }
  }

  @BeforeEach
  void allConnected() throws Exception {
    assertThat(pool.awaitConnected(Duration.ofSeconds(30))).isTrue();
  }

  static CreateEvent event(String name) {
    return CreateEvent.of(name, KhronosValue.Null.INSTANCE);
  }

  static KhronosValue only(KhronosValue results) {
    List<KhronosValue> items = ((KhronosValue.ListValue) results).items();
    assertThat(items).hasSize(1);
    KhronosValue.MapValue m = (KhronosValue.MapValue) items.get(0);
    assertThat(m.get("type")).isEqualTo(new KhronosValue.Text("ok"));
    return m.get("value");
  }

  static KhronosValue call(TenantId tenant, String event) throws Exception {
    return pool.dispatchEvent(tenant, event(event)).get(60, TimeUnit.SECONDS); // generous: the machine may be loaded
  }

  static long kvCount(TenantId tenant) {
    KvRecord r = kv.get(tenant, List.of("test"), "count");
    return r == null ? 0 : ((KhronosValue.Int) r.value()).value();
  }

  @Test
  void guilds_on_different_workers_run_in_their_own_child_processes() throws Exception {
    assertThat(pool.mesophyllPort()).isEqualTo(mesophyllPort);
    assertThat(only(call(ON_0, "E"))).isEqualTo(new KhronosValue.Text("echo got E"));
    assertThat(only(call(ON_1, "E"))).isEqualTo(new KhronosValue.Text("echo got E"));
    assertThat(only(call(ON_0, "P"))).isEqualTo(new KhronosValue.Int(pool.handle(0).pid()));
    assertThat(only(call(ON_1, "P"))).isEqualTo(new KhronosValue.Int(pool.handle(1).pid()));
    assertThat(pool.handle(0).pid()).isNotEqualTo(pool.handle(1).pid()).isNotEqualTo(java.lang.ProcessHandle.current().pid());
  }

  @Test
  void the_children_connect_over_the_masters_unix_socket() throws Exception {
    java.nio.file.Path socket = pool.mesophyllSocket();
    assertThat(socket).isNotNull();
    assertThat(java.nio.file.Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).isOther())
        .isTrue(); // a socket file, not a regular one
    for (int worker = 0; worker < 2; worker++) {
      assertThat(pool.childAddress(worker)).isInstanceOf(java.net.UnixDomainSocketAddress.class);
    }
  }

  @Test
  void each_events_results_reach_the_masters_reporter() throws Exception {
    // The dev UI's live panel shows each template's result: the child sends them whether or not anyone asked for
    // the reply (a gateway event is fire-and-forget), so both kinds of dispatch reach the master's reporter.
    KhronosValue replied = call(ON_1_B, "E");
    String expected = ON_1_B + " E " + replied;
    await().atMost(30, TimeUnit.SECONDS).until(() -> masterDispatched.contains(expected));
    pool.dispatchEventNoWait(ON_0, event("E"));
    await().atMost(30, TimeUnit.SECONDS).until(() -> masterDispatched.stream()
        .anyMatch(d -> d.startsWith(ON_0 + " E ") && d.contains("echo got E")));
  }

  @Test
  void the_childrens_vms_reach_the_masters_metrics() throws Exception {
    call(ON_0, "E");
    call(ON_1, "E");
    // Each child reports its own metrics about once a second; the master's gauge sums them.
    await().atMost(30, TimeUnit.SECONDS).until(() -> WorkerMetrics.LIVE_VMS.value() >= 2);
  }

  @Test
  void on_startup_reaches_subscribed_tenants_through_the_db_proxy() {
    // The child listed its tenant states through the master and dispatched OnStartup; the template wrote KV via the master.
    await().atMost(60, TimeUnit.SECONDS).until(() -> kvCount(ON_1_C) >= 1);
  }

  @Test
  void one_vm_under_concurrent_first_events_and_rebuild_keeps_tenant_state() throws Exception {
    List<CompletableFuture<KhronosValue>> replies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replies.add(pool.dispatchEvent(ON_0_B, event("E")));
    }
    for (CompletableFuture<KhronosValue> r : replies) {
      r.get(20, TimeUnit.SECONDS);
    }
    assertThat(kvCount(ON_0_B)).isEqualTo(40);
    assertThat(only(call(ON_0_B, "S"))).isEqualTo(new KhronosValue.Int(2)); // "count" + "created": one VM, two isolates

    pool.dropTenant(ON_0_B).get(20, TimeUnit.SECONDS);

    assertThat(only(call(ON_0_B, "E"))).isEqualTo(new KhronosValue.Int(41));
    assertThat(only(call(ON_0_B, "S"))).isEqualTo(new KhronosValue.Int(4)); // rebuilt VM: two new isolates
  }

  @Test
  void a_template_change_reaches_the_child_at_once_and_its_errors_reach_the_masters_log() throws Exception {
    long ok = WorkerMetrics.EVENTS_DISPATCHED.value(WorkerMetrics.RESULT_OK);
    templates.add(ON_1_D, "x", "echo", List.of("E"));
    assertThat(only(call(ON_1_D, "E"))).isEqualTo(new KhronosValue.Text("x got E"));
    assertThat(WorkerMetrics.EVENTS_DISPATCHED.value(WorkerMetrics.RESULT_OK)).as("counted by the master").isGreaterThan(ok);

    templates.update(ON_1_D, "x", new io.templateworker.runtime.store.TemplateSpec("x",
        java.util.Map.of("init.luau", "fail boom"), List.of("E"), List.of(), false, null, "luau"));
    pool.reloadTemplates(ON_1_D, "x").get(20, TimeUnit.SECONDS);

    KhronosValue.MapValue r = (KhronosValue.MapValue) ((KhronosValue.ListValue) call(ON_1_D, "E")).items().get(0);
    assertThat(r.get("type")).isEqualTo(new KhronosValue.Text("err"));
    String prefix = "guild/" + ON_1_D.id() + " x ";
    assertThat(masterLog).contains(prefix + "OnStartup: init.luau:3: boom"); // the reload's OnStartup, sent before its reply
    await().atMost(60, TimeUnit.SECONDS).until(() -> masterLog.contains(prefix + "E: init.luau:3: boom"));
  }

  @Test
  void kill_9_of_a_child_loses_nothing_sent_while_it_was_down() throws Exception {
    for (long i = 0; i < 10; i++) {
      pool.dispatchEvent(ON_1_B, CreateEvent.of("E", new KhronosValue.Int(i))).get(60, TimeUnit.SECONDS);
    }
    ProcessHandle worker1 = pool.handle(1);
    long oldPid = worker1.pid();
    int spawns = worker1.spawns();
    long restarts = WorkerMetrics.PROCESS_RESTARTS.value("process");
    long promotions = worker1.standbyPromotions();
    // Warm and connected as the worker's standby (its session is promoted: no new connection on takeover).
    await().atMost(120, TimeUnit.SECONDS).until(worker1::standbyReady);
    long spare = worker1.standbyPid();

    java.lang.ProcessHandle.of(oldPid).orElseThrow().destroyForcibly(); // SIGKILL
    // The warm standby can take over within a poll interval, so "down" may already be over: either state counts.
    await().pollInterval(Duration.ofMillis(1)).atMost(60, TimeUnit.SECONDS)
        .until(() -> !worker1.isConnected() || worker1.pid() != oldPid);
    List<CompletableFuture<KhronosValue>> sentWhileDown = new ArrayList<>();
    for (long i = 10; i < 40; i++) {
      if (i % 2 == 0) {
        sentWhileDown.add(pool.dispatchEvent(ON_1_B, CreateEvent.of("E", new KhronosValue.Int(i))));
      } else {
        pool.dispatchEventNoWait(ON_1_B, CreateEvent.of("E", new KhronosValue.Int(i)));
      }
    }

    for (CompletableFuture<KhronosValue> r : sentWhileDown) {
      r.get(90, TimeUnit.SECONDS);
    }
    await().atMost(60, TimeUnit.SECONDS).until(() -> seen(ON_1_B).size() >= 40);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      expected.add(i);
    }
    assertThat(seen(ON_1_B)).isEqualTo(expected); // each exactly once, in order
    assertThat(worker1.pid()).isNotEqualTo(oldPid).isEqualTo(spare); // the warm standby took over
    assertThat(pool.childAddress(1)).isInstanceOf(java.net.UnixDomainSocketAddress.class);
    assertThat(worker1.standbyPromotions()).isEqualTo(promotions + 1);
    assertThat(worker1.spawns()).isEqualTo(spawns + 1);
    assertThat(WorkerMetrics.PROCESS_RESTARTS.value("process")).isGreaterThan(restarts);
    assertThat(worker1.lastRecoveryNanos()).isPositive();
  }

  @Test
  void kill_9_redelivers_every_call_the_child_had_not_started_and_fails_only_the_one_it_had() throws Exception {
    ProcessHandle worker1 = pool.handle(1);
    long oldPid = worker1.pid();
    long redeliveredBefore = worker1.redelivered();
    // Started: appends 0 to "seen", then holds the tenant's lane, so what follows waits unstarted in the child.
    CompletableFuture<KhronosValue> started = pool.dispatchEvent(ON_1_E, CreateEvent.of("H", new KhronosValue.Int(0)));
    await().atMost(60, TimeUnit.SECONDS).until(() -> seen(ON_1_E).equals(List.of(0L)));
    List<CompletableFuture<KhronosValue>> replies = new ArrayList<>();
    for (long i = 1; i <= 10; i++) { // queued in the child behind the held event
      replies.add(pool.dispatchEvent(ON_1_E, CreateEvent.of("E", new KhronosValue.Int(i))));
    }
    CompletableFuture<KhronosValue> script = pool.runScript(ON_1_E, "s", "return 1", event("X"));
    pool.dispatchEventNoWait(ON_1_E, CreateEvent.of("E", new KhronosValue.Int(11)));
    await().atMost(60, TimeUnit.SECONDS).until(() -> pool.handle(1).queued() == 0); // all of them on the wire

    java.lang.ProcessHandle.of(oldPid).orElseThrow().destroyForcibly(); // SIGKILL
    for (long i = 12; i <= 30; i++) { // sent before the death is noticed, while the child is down, and after
      if (i % 3 == 0) {
        pool.dispatchEventNoWait(ON_1_E, CreateEvent.of("E", new KhronosValue.Int(i)));
      } else {
        replies.add(pool.dispatchEvent(ON_1_E, CreateEvent.of("E", new KhronosValue.Int(i))));
      }
    }

    for (CompletableFuture<KhronosValue> r : replies) {
      r.get(90, TimeUnit.SECONDS); // none fails
    }
    assertThat(((KhronosValue.Text) script.get(90, TimeUnit.SECONDS)).value()).startsWith("ran s for");
    assertThatThrownBy(() -> started.get(90, TimeUnit.SECONDS)).hasMessageContaining("may have run");
    await().atMost(60, TimeUnit.SECONDS).until(() -> seen(ON_1_E).size() >= 31);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i <= 30; i++) {
      expected.add(i);
    }
    assertThat(seen(ON_1_E)).isEqualTo(expected); // each once, in order; the started one not again
    assertThat(worker1.pid()).isNotEqualTo(oldPid);
    assertThat(worker1.redelivered() - redeliveredBefore).isGreaterThanOrEqualTo(12); // at least 1..11 and the script
  }

  static List<Long> seen(TenantId tenant) {
    KvRecord r = kv.get(tenant, List.of("test"), "seen");
    List<Long> out = new ArrayList<>();
    if (r != null) {
      for (KhronosValue v : ((KhronosValue.ListValue) r.value()).items()) {
        out.add(((KhronosValue.Int) v).value());
      }
    }
    return out;
  }

  @Test
  void a_child_exits_when_the_master_end_of_its_stdin_closes() throws Exception {
    Process child = ChildLauncher.sameJvm(ScriptedChildMain.class.getName(), List.of("-Xshare:auto"), List.of(),
        new java.io.File("target")).start(0, 2, "x".repeat(64), "127.0.0.1:1", null, true);
    assertThat(child.isAlive()).isTrue();

    child.getOutputStream().close(); // what the kernel does when the master dies, however it dies

    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void child_that_stops_heartbeating_is_replaced() throws Exception {
    ProcessHandle worker0 = pool.handle(0);
    long oldPid = worker0.pid();

    new ProcessBuilder("kill", "-STOP", Long.toString(oldPid)).start().waitFor();

    await().atMost(90, TimeUnit.SECONDS).until(() -> worker0.isConnected() && worker0.pid() != oldPid);
    assertThat(java.lang.ProcessHandle.of(oldPid).map(java.lang.ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(only(call(ON_0, "E"))).isEqualTo(new KhronosValue.Text("echo got E"));
  }

  @Test
  void wrong_tokens_and_malformed_frames_do_not_harm_the_pool() throws Exception {
    int port = pool.mesophyllPort();
    assertThat(handshake(port, "1", "x".repeat(64))).isEqualTo(401);
    assertThat(handshake(port, "7", pool.tokenFor(1))).isEqualTo(404);

    // An impostor with worker 1's real token takes over its session and then sends garbage.
    MesophyllClient impostor = new MesophyllClient("127.0.0.1", port, 1, pool.tokenFor(1), Duration.ofHours(1),
        Duration.ofSeconds(5), message -> {});
    impostor.connect();
    impostor.sendRawForTest(new byte[] {(byte) 0xc1, 0x00});
    impostor.close();

    // The real child reconnects by itself; both workers serve again.
    await().atMost(60, TimeUnit.SECONDS).until(() -> pool.handle(1).isConnected());
    assertThat(only(call(ON_1, "E"))).isEqualTo(new KhronosValue.Text("echo got E"));
    assertThat(only(call(ON_0, "E"))).isEqualTo(new KhronosValue.Text("echo got E"));
  }

  static int handshake(int port, String id, String token) throws Exception {
    try {
      HttpClient.newHttpClient().newWebSocketBuilder().header(MesophyllServer.TOKEN_HEADER, token)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?id=" + id), new WebSocket.Listener() {})
          .get(5, TimeUnit.SECONDS).abort();
      return 101;
    } catch (ExecutionException e) {
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void hostile_template_on_one_tenant_leaves_other_tenants_served() throws Exception {
    STOP_HOG.delete();
    CompletableFuture<KhronosValue> hog = pool.dispatchEvent(ON_0, event("S")); // burns CPU in child 0 until told
    long before = kvCount(ON_0_C);
    for (int i = 1; i <= 30; i++) {
      assertThat(only(call(ON_0_C, "E"))).isEqualTo(new KhronosValue.Int(before + i)); // same child as the hog
    }
    assertThat(hog).isNotDone();
    assertThat(STOP_HOG.createNewFile()).isTrue();
    hog.get(90, TimeUnit.SECONDS);
    STOP_HOG.delete();
  }
}
