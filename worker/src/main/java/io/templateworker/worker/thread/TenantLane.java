package io.templateworker.worker.thread;

import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.TenantVm;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tenant's queue of jobs, run in arrival order by at most one (virtual) thread at a time. The lane is
 * the only owner of the tenant's {@link TenantVm}, so VM creation happens exactly once however many first
 * events arrive together. After {@value #BATCH} jobs the lane yields its thread and re-enqueues itself, so a
 * busy tenant shares the carriers with the others; a job blocked on host I/O parks only its own virtual thread.
 */
final class TenantLane implements Runnable {
  static final int BATCH = 32;

  /** Work for a lane; runs on the lane's thread with exclusive access to its VM. */
  interface Job {
    void run(TenantLane lane);

    /** Called instead of {@link #run} when the worker is stopping. */
    void cancel(String reason);
  }

  final TenantId tenant;
  private final Executor executor;
  private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /** Only read and written on the lane's thread, except the volatile summaries the janitor reads. */
  TenantVm vm;
  /** The wake-ups of {@link #vm}; cancelled when the VM is closed. Lane thread only. */
  WorkerThread.TaskTimer taskTimer;
  /** The tenant's templates while it has a VM or since its filter was computed; null = load. Lane thread only. */
  java.util.List<io.templateworker.runtime.store.Template> templates;
  /** The tenant's event filter ({@link io.templateworker.worker.vm.EventFilter}); null = compute again. */
  volatile java.util.Set<String> filter;
  volatile boolean hasVm;
  volatile long lastUsedNanos;

  TenantLane(TenantId tenant, Executor executor) {
    this.tenant = tenant;
    this.executor = executor;
  }

  /** Enqueues a job unless {@code limit} jobs already wait; returns false when full. */
  boolean offer(Job job, int limit) {
    if (pending.get() >= limit) {
      return false;
    }
    queue.add(job);
    if (pending.getAndIncrement() == 0) {
      executor.execute(this);
    }
    return true;
  }

  int waiting() {
    return pending.get();
  }

  @Override
  public void run() {
    int done = 0;
    while (true) {
      Job job = queue.poll(); // non-null: offer adds before it counts
      try {
        job.run(this);
      } catch (Throwable t) {
        // A job reports its own failures; anything else must not kill the lane and strand its queue.
        job.cancel("internal error: " + t);
      }
      if (pending.decrementAndGet() == 0) {
        return;
      }
      if (++done >= BATCH) {
        executor.execute(this);
        return;
      }
    }
  }
}
