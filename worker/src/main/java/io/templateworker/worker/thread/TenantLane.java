package io.templateworker.worker.thread;

import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.TenantVm;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One tenant's queue of jobs, run in arrival order by at most one runner ({@link LaneRunners}) at a time. The lane
 * is the only owner of the tenant's {@link TenantVm}, so VM creation happens exactly once however many first
 * events arrive together. After {@value #BATCH} jobs the lane goes to the back of the ready queue, so a busy tenant
 * shares the runners with the others; a job that runs long or waits on the host holds up only its own lane (its
 * runner's slot passes to another runner).
 */
final class TenantLane {
  static final int BATCH = 32;

  /**
   * Work for a lane; runs on the lane's thread with exclusive access to its VM. A job is its own queue node
   * (no queue object and no node per event: with thousands of tenants each is a cache miss), so it can be offered
   * once only.
   */
  abstract static class Job {
    /** The job queued after this one on its lane; set once, by the offer that queues it. */
    private volatile Job next;

    public abstract void run(TenantLane lane);

    /** Called instead of {@link #run} when the worker is stopping. */
    public abstract void cancel(String reason);
  }

  final TenantId tenant;
  /** The tenant's id and type, which {@link LaneTable} compares without reading the TenantId (a cache miss). */
  final long tenantId;
  final TenantId.Type tenantType;
  private final LaneRunners runners;
  /**
   * The lane's jobs, a linked list through {@link Job#next} that any thread appends to and one runner at a time
   * takes from. {@code tail} is the last job offered, null when the list is empty and starts again at {@code
   * first}; {@code head} the last job taken (null: the next is {@code first}). An offer swaps the tail, then links
   * the job to the previous tail, or to {@code first} when there was none. The start lives in the lane rather than
   * in a node of its own: with thousands of lanes every object an event touches is a cache miss.
   */
  private volatile Job first;
  private Job head;
  private volatile Job tail;
  private static final VarHandle TAIL;
  /**
   * Jobs queued and not yet finished; a field of the lane rather than an AtomicInteger of its own, as with
   * thousands of tenants every object an event touches is a cache miss of its own.
   */
  private volatile int pending;
  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(TenantLane.class, "pending", int.class);
      TAIL = MethodHandles.lookup().findVarHandle(TenantLane.class, "tail", Job.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Only read and written on the lane's thread, except the volatile summaries the janitor reads. */
  TenantVm vm;
  /** The wake-ups of {@link #vm}; cancelled when the VM is closed. Lane thread only. */
  WorkerThread.TaskTimer taskTimer;
  /** The tenant's templates while it has a VM or since its filter was computed; null = load. Lane thread only. */
  java.util.List<io.templateworker.runtime.store.Template> templates;
  /** The tenant's state as last read (the worker's map lookup costs a cache miss per event); null = read again. */
  volatile io.templateworker.runtime.store.TenantState state;
  /** {@link #state}'s ban, kept here so an event does not read the state object (another miss). Lane thread only. */
  boolean banned;
  /** The tenant's event filter ({@link io.templateworker.worker.vm.EventFilter}); null = compute again. */
  volatile java.util.Set<String> filter;
  /** The last event name {@link #admittedBy} (the filter then current) admitted by name. Lane thread only. */
  String admittedName;
  java.util.Set<String> admittedBy;
  volatile boolean hasVm;
  /** The runner of the lane's current job (stale between jobs). Lane thread only. */
  LaneRunners.Runner runner;
  volatile long lastUsedNanos;

  TenantLane(TenantId tenant, LaneRunners runners) {
    this.tenant = tenant;
    this.tenantId = tenant.id();
    this.tenantType = tenant.type();
    this.runners = runners;
  }

  /** Enqueues a job unless {@code limit} jobs already wait; returns false when full. */
  boolean offer(Job job, int limit) {
    if (pending >= limit) {
      return false;
    }
    Job previous = (Job) TAIL.getAndSet(this, job);
    if (previous == null) {
      first = job;
    } else {
      previous.next = job;
    }
    if ((int) PENDING.getAndAdd(this, 1) == 0) {
      runners.schedule(this);
    }
    return true;
  }

  /**
   * The next job, which has been counted in {@code pending}: its offer linked it before counting it, but an earlier
   * offer (which swapped the tail first) may not have linked its own yet; that takes a few instructions.
   */
  private Job takeNext() {
    Job job;
    if (head == null) {
      while ((job = first) == null) {
        Thread.onSpinWait();
      }
      first = null;
    } else {
      while ((job = head.next) == null) {
        Thread.onSpinWait();
      }
    }
    head = job;
    return job;
  }

  /**
   * After the last job queued ran: empties the list unless an offer came meanwhile, so an idle lane does not keep
   * its last job (an event's data, its result) alive.
   */
  private void restart(Job last) {
    if (TAIL.compareAndSet(this, last, null)) {
      head = null;
    }
  }

  int waiting() {
    return pending;
  }

  /** Runs up to {@value #BATCH} jobs on {@code runner}; returns true when jobs are left (the lane must be queued again). */
  boolean runBatch(LaneRunners.Runner runner) {
    int done = 0;
    while (true) {
      Job job = takeNext();
      this.runner = runner; // set per job: once pending reaches 0, the lane's next batch may already run elsewhere
      runner.jobStarted();
      try {
        job.run(this);
      } catch (Throwable t) {
        // A job reports its own failures; anything else must not kill the lane and strand its queue.
        job.cancel("internal error: " + t);
      } finally {
        runner.jobEnded();
      }
      if (pending == 1) {
        restart(job);
      }
      if ((int) PENDING.getAndAdd(this, -1) == 1) {
        return false;
      }
      if (++done >= BATCH || !runner.holdsSlot()) {
        return true;
      }
    }
  }
}
