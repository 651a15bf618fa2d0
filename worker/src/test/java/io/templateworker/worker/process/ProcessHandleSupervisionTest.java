package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.templateworker.mesophyll.server.MesophyllServerConfig;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Supervision without real children: a launcher that cannot start anything. */
class ProcessHandleSupervisionTest {
  static final TenantId T = TenantId.guild(7);

  static ProcessPoolConfig config(int maxFailures, int maxQueued) {
    return new ProcessPoolConfig(1, MesophyllServerConfig.DEFAULTS, Duration.ofMillis(1), 5, maxFailures, maxQueued, 100, false);
  }

  @Test
  void calls_wait_in_a_bounded_queue_while_no_child_is_connected() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    ChildLauncher never = (id, n, token, addr, socket, standby) -> {
      starts.incrementAndGet();
      throw new IOException("no java here");
    };
    ProcessHandle handle = new ProcessHandle(0, 1, config(1_000_000, 2), never, "t", "127.0.0.1:1");
    handle.start();

    CompletableFuture<KhronosValue> first = handle.dispatchEvent(T, CreateEvent.of("E", null));
    handle.dispatchEventNoWait(T, CreateEvent.of("E", null));
    CompletableFuture<KhronosValue> third = handle.dispatchEvent(T, CreateEvent.of("E", null));

    assertThat(handle.queued()).isEqualTo(2);
    assertThat(first).isNotDone();
    assertThatThrownBy(() -> third.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("worker 0 is restarting and already holds 2 queued calls");
    await().atMost(10, TimeUnit.SECONDS).until(() -> starts.get() > 3); // it keeps trying meanwhile
    handle.kill();
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasMessageContaining("worker 0 has been stopped");
  }

  @Test
  void gives_up_after_the_configured_consecutive_failures_and_fails_what_waits() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    ChildLauncher never = (id, n, token, addr, socket, standby) -> {
      starts.incrementAndGet();
      throw new IOException("no java here");
    };
    ProcessHandle handle = new ProcessHandle(0, 1, config(3, 100), never, "t", "127.0.0.1:1");
    CompletableFuture<KhronosValue> waiting = handle.dispatchEvent(T, CreateEvent.of("E", null));

    handle.start();

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("worker 0 gave up after 3 consecutive failed child starts");
    assertThat(starts.get()).isEqualTo(3);
    assertThatThrownBy(() -> handle.dispatchEvent(T, CreateEvent.of("E", null)).get(5, TimeUnit.SECONDS))
        .hasMessageContaining("gave up");
  }

  @Test
  void a_child_that_exits_before_connecting_counts_as_a_failure() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    ChildLauncher dies = (id, n, token, addr, socket, standby) -> {
      starts.incrementAndGet();
      return new ProcessBuilder("true").start();
    };
    ProcessHandle handle = new ProcessHandle(0, 1, config(4, 100), dies, "t", "127.0.0.1:1");
    CompletableFuture<KhronosValue> waiting = handle.dispatchEvent(T, CreateEvent.of("E", null));

    handle.start();

    assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS)).hasMessageContaining("gave up after 4 consecutive failed");
    assertThat(starts.get()).isEqualTo(4);
    assertThat(handle.spawns()).isEqualTo(4);
  }
}
