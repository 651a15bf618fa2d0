package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.testing.MemoryKv;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.testing.ScriptedChildMain;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cap on calls in flight to a connected child, with a real child process behind a real Mesophyll session. */
class ProcessPoolInFlightLimitTest {
  static final TenantId T = TenantId.guild((40L << 22) + 3);
  /** The hold template spins until this file exists (the child cannot see the test's flags). */
  final File release = new File("target/release-in-flight-" + java.lang.ProcessHandle.current().pid()).getAbsoluteFile();
  final MemoryKv kv = new MemoryKv();
  ProcessPool pool;

  @AfterEach
  void stop() {
    release.delete();
    if (pool != null) {
      pool.kill();
    }
  }

  @Test
  void calls_beyond_the_cap_are_refused_at_once_and_the_accepted_ones_all_complete() throws Exception {
    release.delete();
    MemoryTenantStates states = new MemoryTenantStates();
    states.subscribe(T, "E", "H");
    MemoryTemplates templates = new MemoryTemplates()
        .add(T, "append", "kvappend", List.of("E")).add(T, "hold", "spinuntil " + release, List.of("H"))
        .add(T, "other", "echo", List.of("O"));
    ProcessPoolConfig config = ProcessPoolConfig.defaults(1).withStandby(false).withMaxInFlight(4);
    pool = new ProcessPool(config, new TenantServices(states, templates, kv),
        ChildLauncher.sameJvm(ScriptedChildMain.class.getName(), List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx256m"),
            List.of(), new File("target"))).start();
    assertThat(pool.awaitConnected(Duration.ofSeconds(120))).isTrue(); // generous: the machine may be busy
    ProcessHandle worker = pool.handle(0);

    // The held event keeps the tenant's lane busy, so the three behind it stay in flight (sent, not answered).
    List<CompletableFuture<KhronosValue>> accepted = new ArrayList<>();
    accepted.add(pool.dispatchEvent(T, CreateEvent.of("H", KhronosValue.Null.INSTANCE)));
    for (long i = 1; i <= 3; i++) {
      accepted.add(pool.dispatchEvent(T, CreateEvent.of("E", new KhronosValue.Int(i))));
    }
    assertThat(worker.inFlight()).isEqualTo(4);
    long refusedBefore = WorkerMetrics.EVENTS_DISPATCHED.value(WorkerMetrics.RESULT_REFUSED);

    CompletableFuture<KhronosValue> refused = pool.dispatchEvent(T, CreateEvent.of("E", new KhronosValue.Int(99)));
    CompletableFuture<KhronosValue> refusedScript = pool.runScript(T, "s", "return 1", CreateEvent.of("X", KhronosValue.Null.INSTANCE));
    // A template reload is not an event: refusing it would leave the child running the replaced template.
    CompletableFuture<Void> reload = pool.reloadTemplates(T, "other");

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("event E for tenant " + T + " on worker 0: worker 0 is busy: its child process already has 4"
            + " calls in flight; this one was refused");
    assertThatThrownBy(refusedScript::join).hasMessageContaining("script s for tenant " + T).hasMessageContaining("is busy");
    assertThat(WorkerMetrics.EVENTS_DISPATCHED.value(WorkerMetrics.RESULT_REFUSED)).isEqualTo(refusedBefore + 1);
    assertThat(accepted).noneMatch(CompletableFuture::isDone);

    assertThat(release.createNewFile()).isTrue();
    for (CompletableFuture<KhronosValue> reply : accepted) {
      reply.get(60, TimeUnit.SECONDS);
    }
    reload.get(60, TimeUnit.SECONDS);
    // Nothing stuck: the cap is free again and later calls go through, in order after the accepted ones.
    await().atMost(30, TimeUnit.SECONDS).until(() -> worker.inFlight() == 0);
    for (long i = 4; i <= 6; i++) {
      pool.dispatchEvent(T, CreateEvent.of("E", new KhronosValue.Int(i))).get(60, TimeUnit.SECONDS);
    }
    assertThat(seen()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L); // the refused 99 never ran
  }

  List<Long> seen() {
    List<Long> out = new ArrayList<>();
    var record = kv.get(T, List.of("test"), "seen");
    for (KhronosValue v : ((KhronosValue.ListValue) record.value()).items()) {
      out.add(((KhronosValue.Int) v).value());
    }
    return out;
  }
}
