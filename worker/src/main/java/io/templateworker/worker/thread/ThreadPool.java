package io.templateworker.worker.thread;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.Gauge;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerPool;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.vm.IsolateFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** N {@link WorkerThread}s in this process; a tenant goes to worker {@code (id >> 22) % N}. */
public final class ThreadPool implements WorkerPool {
  private final WorkerThread[] workers;
  private final ScheduledExecutorService janitor;
  private Gauge.Tracking queueGauge;

  public ThreadPool(int size, WorkerConfig config, TenantServices services, IsolateFactory isolates,
      ErrorReporter reporter, KhronosValue currentUser) {
    this(size, config, services, isolates, reporter, () -> currentUser);
  }

  /** As above, with the bot user ({@code ctx.current_user}) read at each event (the gateway learns it from READY). */
  public ThreadPool(int size, WorkerConfig config, TenantServices services, IsolateFactory isolates,
      ErrorReporter reporter, Supplier<KhronosValue> currentUser) {
    if (size < 1) {
      throw new IllegalArgumentException("a thread pool needs at least one worker, got " + size);
    }
    this.janitor = WorkerThread.newTimer();
    this.workers = new WorkerThread[size];
    for (int i = 0; i < size; i++) {
      workers[i] = new WorkerThread(i, size, config, services, isolates, reporter, currentUser, janitor);
    }
  }

  /** Loads each worker's tenant states and sends OnStartup to subscribed tenants. */
  public ThreadPool start() {
    for (WorkerThread w : workers) {
      w.start();
    }
    queueGauge = WorkerMetrics.QUEUED_EVENTS.track("tenant", () -> {
      long waiting = 0;
      for (WorkerThread w : workers) {
        waiting += w.queuedEvents();
      }
      return waiting;
    });
    return this;
  }

  @Override
  public WorkerThread workerFor(TenantId tenant) {
    return workers[tenant.workerOf(workers.length)];
  }

  public WorkerThread worker(int id) {
    return workers[id];
  }

  @Override
  public int len() {
    return workers.length;
  }

  @Override
  public void kill() {
    for (WorkerThread w : workers) {
      w.kill();
    }
    janitor.shutdownNow();
    if (queueGauge != null) {
      queueGauge.close();
    }
  }
}
