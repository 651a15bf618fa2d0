package io.templateworker.worker.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TaskListener;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import io.templateworker.worker.vm.TenantVm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's side of background tasks with an engine that stands in for a task waiting on the host: each
 * event starts a host operation; the test completes it from its own thread, and the worker must then drive
 * the VM on the tenant's lane, never alongside an event of the same tenant.
 */
class TaskDrivingTest {
  static final TenantId T = TenantId.guild((50L << 22) + 3);

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  final HostWaits engines = new HostWaits();
  ThreadPool pool;

  @BeforeEach
  void start() {
    states.subscribe(T, "E");
    templates.create(T, new TemplateSpec("waiter", Map.of("init.luau", "-"), List.of("E"), List.of(), false, null, "luau"));
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null), engines,
        (tenant, template, event, error) -> reported.add(tenant + " " + template + " " + event + ": " + error),
        KhronosValue.Null.INSTANCE).start();
  }

  @AfterEach
  void stop() {
    pool.kill();
  }

  void dispatch() throws Exception {
    pool.dispatchEvent(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void a_host_completion_drives_the_vm_on_its_lane_without_another_event() throws Exception {
    dispatch();
    assertThat(engines.resumed).isEmpty();

    engines.started.poll().complete("rows");

    await().atMost(Duration.ofSeconds(10)).until(() -> !engines.resumed.isEmpty());
    assertThat(engines.resumed).containsExactly("rows");
    assertThat(engines.driveThreads).singleElement().asString().isEqualTo("worker-0-lane");
    assertThat(engines.maxInside.get()).isEqualTo(1);
  }

  @Test
  void drives_and_events_of_one_tenant_never_overlap() throws Exception {
    // Completions arrive from another thread while events keep coming: drives and events interleave on the lane.
    Thread completer = Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < 200; i++) {
          engines.started.take().complete("op " + i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    List<CompletableFuture<KhronosValue>> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(pool.dispatchEvent(T, CreateEvent.of("E", KhronosValue.Null.INSTANCE)));
    }
    for (CompletableFuture<KhronosValue> e : events) {
      e.get(10, TimeUnit.SECONDS);
    }
    completer.join(10_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> engines.resumed.size() == 200);
    assertThat(engines.maxInside.get()).isEqualTo(1);
    assertThat(engines.driveThreads).allMatch(name -> name.equals("worker-0-lane"));
  }

  @Test
  void a_fatal_task_error_is_reported_and_the_vm_is_rebuilt_on_the_next_event() throws Exception {
    dispatch();

    engines.started.poll().complete("fatal");

    await().atMost(Duration.ofSeconds(10)).until(() -> pool.worker(0).liveVms() == 0);
    assertThat(reported).containsExactly(T + " waiter " + TenantVm.TASK_EVENT + ": not enough memory");
    dispatch();
    assertThat(engines.opened.get()).isEqualTo(2);
  }

  /**
   * Engines whose template handler starts a host operation (queued in {@link #started}); when it completes, the engine
   * has a ready task, which {@link TenantEngine#runTasks} resumes. A completion value "fatal" fails that task
   * with a fatal error.
   */
  static final class HostWaits implements IsolateFactory {
    final AtomicInteger opened = new AtomicInteger();
    final List<String> resumed = new CopyOnWriteArrayList<>();
    final List<String> driveThreads = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger maxInside = new AtomicInteger();
    final LinkedBlockingQueue<CompletableFuture<String>> started = new LinkedBlockingQueue<>();

    @Override
    public TenantEngine open(TenantId tenant) {
      opened.incrementAndGet();
      return new Engine();
    }

    @Override
    public KhronosValue runScript(String name, String code, TemplateContext ctx) {
      throw new UnsupportedOperationException("not used here");
    }

    void enter() {
      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    }

    void exit() {
      inside.decrementAndGet();
    }

    final class Engine implements TenantEngine {
      /** Host operations started by handlers, in order; read and written only while inside the VM. */
      final ArrayDeque<CompletableFuture<String>> waiting = new ArrayDeque<>();
      TaskListener listener;
      boolean broken;

      @Override
      public void setTaskListener(TaskListener listener) {
        this.listener = listener;
      }

      @Override
      public TemplateIsolate load(Template template) {
        return new TemplateIsolate() {
          @Override
          public KhronosValue handle(TemplateContext ctx) {
            enter();
            try {
              CompletableFuture<String> op = new CompletableFuture<>();
              waiting.add(op);
              started.add(op);
              op.whenComplete((v, e) -> listener.taskReady());
              return KhronosValue.Null.INSTANCE;
            } finally {
              exit();
            }
          }

          @Override
          public boolean isBroken() {
            return broken;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public boolean hasPendingTasks() {
        return !waiting.isEmpty();
      }

      @Override
      public void runTasks() {
        enter();
        try {
          while (!waiting.isEmpty() && waiting.peek().isDone()) {
            String value = waiting.poll().join();
            driveThreads.add(Thread.currentThread().getName());
            if (value.equals("fatal")) {
              broken = true;
              listener.taskFailed("waiter", "not enough memory", true);
            } else {
              resumed.add(value);
            }
          }
        } finally {
          exit();
        }
      }

      @Override
      public boolean isBroken() {
        return broken;
      }

      @Override
      public void close() {}
    }
  }
}
