package io.templateworker.worker.thread;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.EventMatch;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.vm.EventFilter;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TaskWakeups;
import io.templateworker.worker.vm.TemplateFailure;
import io.templateworker.worker.vm.TenantVm;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker: owns the VMs of the tenants routed to it. Each tenant has a {@link TenantLane} that runs its
 * events in arrival order on virtual threads, so a tenant that is slow or blocked on host I/O holds up only
 * itself. The tenant's event filter is {@link EventFilter}'s union (always-admitted names, tenant state,
 * templates' events), kept per tenant and recomputed when its state or templates change. VM lifecycle
 * (UPSTREAM.md §2.7, with its gaps fixed): a VM is built on the first event that passes
 * the tenant's event filter; a broken VM is dropped and rebuilt on the next event; a VM idle for
 * {@code idleTimeout} is closed, and beyond {@code maxVms} the least recently used one is.
 *
 * <p>Background tasks: after every event or drive a VM asks (through {@link TaskWakeups}) to be driven when its
 * next task is due; the worker's timer then queues a drive job on the tenant's lane, so tasks resume between
 * events, never alongside one, each drive bounded by the time slice like an event. A host completion queues a
 * drive at once. Dropping, evicting or breaking the VM cancels its timer. A VM with pending tasks is not idle
 * (they keep it alive against the idle timeout, not against the VM cap).
 */
public final class WorkerThread implements WorkerLike {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerThread.class);
  private static final String ON_STARTUP = "OnStartup";

  private final int id;
  private final int workers;
  private final WorkerConfig config;
  private final TenantServices services;
  private final TenantStateStore rawStates;
  private final IsolateFactory isolates;
  private final ErrorReporter reporter;
  private final Supplier<KhronosValue> currentUser;
  private final LaneTable lanes = new LaneTable();
  private final ConcurrentHashMap<TenantId, TenantState> states = new ConcurrentHashMap<>();
  private final LaneRunners runners;
  private final ScheduledExecutorService janitor;
  private final ScheduledFuture<?> janitorTask;
  private final AtomicInteger liveVms = new AtomicInteger();
  private final AtomicInteger vmsCreated = new AtomicInteger();
  private volatile boolean killed;

  /**
   * @param id this worker's id, {@code 0 <= id < workers}
   * @param workers how many workers share the tenants (routing modulus)
   * @param janitor runs idle-eviction sweeps and the task wake-ups (shared by a pool; see {@link #newTimer()});
   *     its jobs only queue work on lanes
   */
  public WorkerThread(int id, int workers, WorkerConfig config, TenantServices services, IsolateFactory isolates,
      ErrorReporter reporter, KhronosValue currentUser, ScheduledExecutorService janitor) {
    this(id, workers, config, services, isolates, reporter, () -> currentUser, janitor);
  }

  /**
   * As above, with the bot user ({@code ctx.current_user}) read at each event: the gateway learns it from READY,
   * after the workers started.
   */
  public WorkerThread(int id, int workers, WorkerConfig config, TenantServices services, IsolateFactory isolates,
      ErrorReporter reporter, Supplier<KhronosValue> currentUser, ScheduledExecutorService janitor) {
    this.id = id;
    this.workers = workers;
    this.config = config;
    // Templates reach the tenant state through these services: writes keep this worker's cache and filters current.
    this.rawStates = services.tenantStates();
    this.services = services.withTenantStates(new CachedStates(rawStates));
    this.isolates = isolates;
    this.reporter = reporter;
    this.currentUser = currentUser;
    // Runners are virtual threads, so a job waiting on the host parks only its runner. One fixed name per worker,
    // so no per-thread name is built.
    ThreadFactory runnerThreads = Thread.ofVirtual().name("worker-" + id + "-lane").factory();
    this.runners = new LaneRunners(Runtime.getRuntime().availableProcessors(), runnerThreads, janitor);
    this.janitor = janitor;
    long sweep = Math.max(10, config.idleTimeout().toMillis() / 2);
    this.janitorTask = janitor.scheduleWithFixedDelay(this::sweepIdle, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /**
   * The timer a worker (or a pool of them) shares: one daemon thread; cancelled wake-ups leave its queue at
   * once, as a VM re-arms after every event.
   */
  public static ScheduledExecutorService newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "worker-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * Loads the states of this worker's tenants and sends {@code OnStartup} (reason {@code worker_startup}) to
   * those subscribed to it. A store failure is logged; the states then load per tenant on first use.
   */
  public void start() {
    Map<TenantId, TenantState> loaded;
    try {
      loaded = rawStates.listForWorker(id, workers);
    } catch (RuntimeException e) {
      LOG.error("worker={}: could not load tenant states ({}); they load per tenant on first event", id, e.toString());
      return;
    }
    states.putAll(loaded);
    java.util.Set<TenantId> starting = new java.util.LinkedHashSet<>();
    for (Map.Entry<TenantId, TenantState> e : loaded.entrySet()) {
      if (e.getValue().events().contains(ON_STARTUP) && !e.getValue().banned()) {
        starting.add(e.getKey());
      }
    }
    try {
      for (TenantId t : services.templates().tenantsListening(ON_STARTUP, id, workers)) {
        TenantState state = loaded.get(t);
        if (state == null || !state.banned()) {
          starting.add(t);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("worker={}: could not list the tenants whose templates listen to OnStartup ({})", id, e.toString());
    }
    for (TenantId t : starting) {
      dispatchEventNoWait(t, CreateEvent.of(ON_STARTUP, KhronosValue.textMap("reason", new KhronosValue.Text("worker_startup"))));
    }
    int started = starting.size();
    LOG.info("worker={}: {} tenant states loaded, OnStartup sent to {}", id, loaded.size(), started);
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public int len() {
    return 0;
  }

  /** Live VMs on this worker. */
  public int liveVms() {
    return liveVms.get();
  }

  /** Events waiting in this worker's tenant lanes (the {@code worker_queued_events{queue="tenant"}} gauge). */
  public int queuedEvents() {
    int waiting = 0;
    for (TenantLane lane : lanes.values()) {
      waiting += lane.waiting();
    }
    return waiting;
  }

  /** VMs built since start (a rebuilt VM counts again). */
  public int vmsCreated() {
    return vmsCreated.get();
  }

  @Override
  public CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event) {
    return dispatchEvent(tenant, event, null);
  }

  /**
   * As {@link #dispatchEvent(TenantId, CreateEvent)}; {@code start} (may be null) is asked on the tenant's lane
   * right before the event runs. A process-pool child acknowledges the start to the master there; when it returns
   * false (the master's connection is gone, so the master redelivers the event elsewhere) the event is not run.
   */
  public CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event, BooleanSupplier start) {
    return dispatchEvent(tenant, event, start, true);
  }

  /**
   * As {@link #dispatchEvent(TenantId, CreateEvent, BooleanSupplier)}; with {@code reportResults} false the results
   * are not given to the reporter's {@link ErrorReporter#dispatched}: the caller reports them itself (a process-pool
   * child's master reports the results it gets in the reply).
   */
  public CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event, BooleanSupplier start,
      boolean reportResults) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    submit(tenant, new DispatchJob(event, reply, null, start, reportResults));
    return reply;
  }

  /**
   * As {@link #dispatchEvent(TenantId, CreateEvent, BooleanSupplier, boolean)}, with the outcome handed to {@code done}
   * (a result, or a {@link WorkerException}) instead of completing a future: a process-pool child answers each event
   * from its master this way, without a future and a completion stage per event. {@code done} runs on the tenant's
   * lane, or on the caller's thread when the event is refused; what it throws is logged.
   */
  public void dispatchEvent(TenantId tenant, CreateEvent event, BooleanSupplier start, boolean reportResults,
      BiConsumer<? super KhronosValue, ? super Throwable> done) {
    submit(tenant, new DispatchJob(event, null, done, start, reportResults));
  }

  @Override
  public void dispatchEventNoWait(TenantId tenant, CreateEvent event) {
    submit(tenant, new DispatchJob(event, null, null, null, true));
  }

  @Override
  public CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event) {
    return runScript(tenant, name, code, event, null);
  }

  /** As {@link #runScript(TenantId, String, String, CreateEvent)} with a start check (see {@link #dispatchEvent(TenantId, CreateEvent, BooleanSupplier)}). */
  public CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event,
      BooleanSupplier start) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    submit(tenant, new ScriptJob(name, code, event, reply, start));
    return reply;
  }

  /** Refused by its start check: the caller is gone and the work is redelivered elsewhere. */
  private static final String NOT_STARTED = "not started: the master's connection ended before it ran (the master"
      + " delivers it again)";

  @Override
  public CompletableFuture<Void> dropTenant(TenantId tenant) {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    states.remove(tenant);
    TenantLane lane = lanes.get(tenant);
    if (lane != null) {
      lane.state = null;
    }
    if (lane == null) {
      reply.complete(null);
      return reply;
    }
    // Bypasses the queue limit: dropping must work even for a flooded tenant.
    lane.offer(new DropJob(reply), Integer.MAX_VALUE);
    return reply;
  }

  @Override
  public CompletableFuture<Void> reloadTemplates(TenantId tenant, String name) {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    TenantLane lane = lanes.get(tenant);
    if (lane == null && name == null) {
      reply.complete(null); // nothing loaded yet: the first event reads the templates anyway
      return reply;
    }
    if (killed) {
      reply.completeExceptionally(new WorkerException("worker " + id + " has been stopped"));
      return reply;
    }
    if (lane == null) {
      lane = lanes.computeIfAbsent(tenant, this::newLane);
    }
    // Bypasses the queue limit: a template change must not be lost behind a flood of events.
    lane.offer(new ReloadJob(name, reply), Integer.MAX_VALUE);
    return reply;
  }

  @Override
  public void kill() {
    if (killed) {
      return;
    }
    killed = true;
    janitorTask.cancel(false);
    for (TenantLane lane : lanes.values()) {
      lane.offer(new DropJob(new CompletableFuture<>()), Integer.MAX_VALUE);
    }
    // The runners stay open: the drop jobs above still need to run.
    LOG.info("worker={}: stopped", id);
  }

  private void submit(TenantId tenant, TenantLane.Job job) {
    if (killed) {
      job.cancel("worker " + id + " has been stopped");
      return;
    }
    TenantLane lane = lanes.get(tenant);
    if (lane == null) {
      lane = lanes.computeIfAbsent(tenant, this::newLane);
    }
    if (!lane.offer(job, config.maxQueuedPerTenant())) {
      job.cancel("tenant " + tenant + " already has " + config.maxQueuedPerTenant()
          + " events waiting on worker " + id + "; this event was refused (its templates are too slow for the event rate)");
    }
  }

  private TenantLane newLane(TenantId tenant) {
    return new TenantLane(tenant, runners);
  }

  /** The tenant's state, kept on its lane; the worker's map is read again after a change. Runs on the lane. */
  private TenantState stateOf(TenantLane lane) {
    TenantState state = lane.state;
    if (state == null) {
      state = stateOf(lane.tenant);
      lane.banned = state.banned(); // before the state: a lane that sees a state has its flag
      lane.state = state;
    }
    return state;
  }

  private TenantState stateOf(TenantId tenant) {
    TenantState state = states.get(tenant);
    if (state == null) {
      state = rawStates.get(tenant);
      states.put(tenant, state);
    }
    return state;
  }

  /** The tenant's templates, loaded once while it has a VM (and for computing its filter). Runs on the lane. */
  private List<Template> templatesOf(TenantLane lane) {
    List<Template> templates = lane.templates;
    if (templates == null) {
      templates = services.templates().list(lane.tenant);
      lane.templates = templates;
    }
    return templates;
  }

  /** The tenant's event filter, computed once and again after its state or templates change. Runs on the lane. */
  private Set<String> filterOf(TenantLane lane, TenantState state) {
    Set<String> filter = lane.filter;
    if (filter == null) {
      filter = EventFilter.of(state, templatesOf(lane));
      lane.filter = filter;
      if (lane.vm == null) {
        lane.templates = null; // no VM to build now: do not keep the sources of an idle tenant in memory
      }
    }
    return filter;
  }

  /**
   * Whether the tenant's filter admits {@code event}. The last name it admitted is kept on the lane with that
   * filter: a tenant's events mostly repeat a few names, and with thousands of tenants the set lookup is a cache
   * miss. Compared by equality: a process-pool child decodes a new String per event, and comparing a short name
   * costs less than hashing it for the set. Runs on the lane.
   */
  private static boolean admits(TenantLane lane, Set<String> filter, CreateEvent event) {
    String name = event.name();
    if (filter == lane.admittedBy && name.equals(lane.admittedName)) {
      return true;
    }
    if (filter.contains(name)) {
      lane.admittedName = name;
      lane.admittedBy = filter;
      return true;
    }
    return EventMatch.matches(filter, event);
  }

  /** Returns the lane's VM, building it first if needed. Runs on the lane. */
  private TenantVm vmOf(TenantLane lane) {
    TenantVm vm = lane.vm;
    if (vm != null) {
      return vm;
    }
    if (liveVms.get() >= config.maxVms()) {
      evictLeastRecentlyUsed(lane);
    }
    List<Template> templates = templatesOf(lane);
    TaskTimer timer = new TaskTimer(lane);
    vm = new TenantVm(lane.tenant, templates, isolates, services, reporter, config.fanOutTimeout().toNanos(),
        config.templateTimeLimit().toNanos(), currentUser, timer);
    timer.vm = vm;
    lane.vm = vm;
    lane.taskTimer = timer;
    lane.lastUsedNanos = System.nanoTime();
    lane.hasVm = true;
    liveVms.incrementAndGet();
    WorkerMetrics.LIVE_VMS.add(1);
    vmsCreated.incrementAndGet();
    return vm;
  }

  private void closeVm(TenantLane lane, String why) {
    TenantVm vm = lane.vm;
    if (vm == null) {
      return;
    }
    lane.vm = null;
    lane.hasVm = false;
    lane.templates = null;
    lane.taskTimer.disarm();
    lane.taskTimer = null;
    liveVms.decrementAndGet();
    WorkerMetrics.LIVE_VMS.add(-1);
    try {
      vm.close();
    } catch (RuntimeException e) {
      LOG.warn("worker={} tenant={}: closing the VM failed: {}", id, lane.tenant, e.toString());
    }
    LOG.debug("worker={} tenant={}: VM closed ({})", id, lane.tenant, why);
  }

  /** Asks the least recently used other lane to close its VM. Linear in live lanes; runs only above the cap. */
  private void evictLeastRecentlyUsed(TenantLane except) {
    TenantLane oldest = null;
    for (TenantLane lane : lanes.values()) {
      if (lane != except && lane.hasVm && (oldest == null || lane.lastUsedNanos - oldest.lastUsedNanos < 0)) {
        oldest = lane;
      }
    }
    if (oldest != null) {
      oldest.offer(new EvictJob(0, true), Integer.MAX_VALUE);
    }
  }

  private void sweepIdle() {
    long now = System.nanoTime();
    long idle = config.idleTimeout().toNanos();
    for (TenantLane lane : lanes.values()) {
      if (lane.hasVm && now - lane.lastUsedNanos >= idle) {
        lane.offer(new EvictJob(idle, false), Integer.MAX_VALUE);
      }
    }
  }

  private String where(TenantId tenant) {
    return "tenant " + tenant + " on worker " + id;
  }

  /** An event to run; its outcome goes to {@code reply} or to {@code done} (at most one of them is set), or nowhere. */
  private final class DispatchJob extends TenantLane.Job {
    private final CreateEvent event;
    private final CompletableFuture<KhronosValue> reply;
    private final BiConsumer<? super KhronosValue, ? super Throwable> done;
    private final BooleanSupplier start;
    private final boolean reportResults;

    DispatchJob(CreateEvent event, CompletableFuture<KhronosValue> reply,
        BiConsumer<? super KhronosValue, ? super Throwable> done, BooleanSupplier start, boolean reportResults) {
      this.event = event;
      this.reply = reply;
      this.done = done;
      this.start = start;
      this.reportResults = reportResults;
    }

    @Override
    public void run(TenantLane lane) {
      if (start != null && !start.getAsBoolean()) {
        fail(NOT_STARTED);
        return;
      }
      KhronosValue result;
      try {
        TenantState state = stateOf(lane);
        if (lane.banned || !admits(lane, filterOf(lane, state), event)) {
          WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_FILTERED);
          complete(KhronosValue.Null.INSTANCE);
          return;
        }
        TenantVm vm = vmOf(lane);
        result = vm.dispatch(event, reportResults);
        lane.lastUsedNanos = lane.runner.jobStartedAt(); // the job's start is recent enough, and already read
        if (vm.isBroken()) {
          LOG.warn("worker={} tenant={}: VM broken by a fatal template error; it is rebuilt on the next event", id, lane.tenant);
          closeVm(lane, "broken");
        }
      } catch (RuntimeException e) {
        String message = "dispatching " + event.name() + " to " + where(lane.tenant) + " failed: " + e.getMessage();
        reporter.report(lane.tenant, null, event.name(), message);
        WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_ERROR);
        fail(message);
        return;
      }
      WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_OK);
      complete(result);
    }

    private void complete(KhronosValue value) {
      if (reply != null) {
        reply.complete(value);
      } else if (done != null) {
        tell(value, null);
      }
    }

    private void fail(String message) {
      if (reply != null) {
        reply.completeExceptionally(new WorkerException(message));
      } else if (done != null) {
        tell(null, new WorkerException(message));
      }
    }

    /** Hands the outcome to {@code done}; what it throws stays out of the lane (as a future's stage would keep it). */
    private void tell(KhronosValue value, Throwable error) {
      try {
        done.accept(value, error);
      } catch (RuntimeException e) {
        LOG.warn("worker={}: handling the outcome of event {} failed: {}", id, event.name(), e.toString(), e);
      }
    }

    @Override
    public void cancel(String reason) {
      WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_REFUSED);
      if (reply != null) {
        reply.completeExceptionally(new WorkerException("event " + event.name() + " not dispatched: " + reason));
      } else if (done != null) {
        tell(null, new WorkerException("event " + event.name() + " not dispatched: " + reason));
      } else {
        LOG.warn("worker={}: event {} dropped: {}", id, event.name(), reason);
      }
    }
  }

  private final class ScriptJob extends TenantLane.Job {
    private final String name;
    private final String code;
    private final CreateEvent event;
    private final CompletableFuture<KhronosValue> reply;
    private final BooleanSupplier start;

    ScriptJob(String name, String code, CreateEvent event, CompletableFuture<KhronosValue> reply, BooleanSupplier start) {
      this.name = name;
      this.code = code;
      this.event = event;
      this.reply = reply;
      this.start = start;
    }

    @Override
    public void run(TenantLane lane) {
      if (start != null && !start.getAsBoolean()) {
        reply.completeExceptionally(new WorkerException("script " + name + " " + NOT_STARTED));
        return;
      }
      try {
        reply.complete(vmOf(lane).runScript(name, code, event));
        lane.lastUsedNanos = System.nanoTime();
      } catch (TemplateFailure e) {
        reply.completeExceptionally(new WorkerException("script " + name + " failed for " + where(lane.tenant) + ": " + e.getMessage()));
      } catch (RuntimeException e) {
        reply.completeExceptionally(new WorkerException("script " + name + " could not run for " + where(lane.tenant) + ": " + e.getMessage(), e));
      }
    }

    @Override
    public void cancel(String reason) {
      reply.completeExceptionally(new WorkerException("script " + name + " not run: " + reason));
    }
  }

  /**
   * One VM's wake-ups: a timer armed for the earliest requested drive, and the drive job it (or a host
   * completion) queues on the lane, at most once at a time.
   */
  final class TaskTimer implements TaskWakeups, Runnable {
    private final TenantLane lane;
    /** Set right after the VM is built; the drive applies only while the lane still holds this VM. */
    volatile TenantVm vm;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Guarded by {@code this}. */
    private ScheduledFuture<?> armed;
    private long armedAt;
    private volatile boolean cancelled;

    TaskTimer(TenantLane lane) {
      this.lane = lane;
    }

    @Override
    public void wakeIn(long delayNanos) {
      if (delayNanos <= 0) {
        queueDrive();
        return;
      }
      long at = System.nanoTime() + delayNanos;
      synchronized (this) {
        if (cancelled || armed != null && armedAt - at <= 0) {
          return; // an earlier wake-up is armed; that drive re-arms for this one
        }
        if (armed != null) {
          armed.cancel(false);
        }
        try {
          armed = janitor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
          armedAt = at;
        } catch (RejectedExecutionException stopping) {
          armed = null; // the pool is shutting down: nothing will drive this VM again
        }
      }
    }

    @Override
    public void waitBegins() {
      LaneRunners.Runner runner = lane.runner;
      if (runner != null) {
        runner.waitBegins();
      }
    }

    @Override
    public void waitEnded() {
      LaneRunners.Runner runner = lane.runner;
      if (runner != null) {
        runner.waitEnded();
      }
    }

    /** The timer fired. */
    @Override
    public void run() {
      synchronized (this) {
        armed = null;
        if (cancelled) {
          return;
        }
      }
      queueDrive();
    }

    private void queueDrive() {
      if (!cancelled && queued.compareAndSet(false, true)) {
        // Bypasses the queue limit: at most one drive per VM waits, and refusing it would stall the tasks.
        lane.offer(new Drive(), Integer.MAX_VALUE); // a job is a queue node of its own: a fresh one per drive
      }
    }

    synchronized void disarm() {
      cancelled = true;
      if (armed != null) {
        armed.cancel(false);
        armed = null;
      }
    }

    /** The drive, queued on the lane. */
    private final class Drive extends TenantLane.Job {
      @Override
      public void run(TenantLane on) {
        drive(on);
      }

      @Override
      public void cancel(String reason) {
        queued.set(false);
      }
    }

    private void drive(TenantLane on) {
      queued.set(false);
      TenantVm target = vm;
      if (on.vm != target || target == null) {
        return; // this VM was dropped or replaced meanwhile
      }
      target.driveTasks();
      if (target.isBroken()) {
        LOG.warn("worker={} tenant={}: VM broken by a fatal error in a background task; it is rebuilt on the next event",
            id, on.tenant);
        closeVm(on, "broken");
      }
    }
  }

  /** A template change: reload the list, rebuild what changed, send OnStartup to the changed template. */
  private final class ReloadJob extends TenantLane.Job {
    private final String name;
    private final CompletableFuture<Void> reply;

    ReloadJob(String name, CompletableFuture<Void> reply) {
      this.name = name;
      this.reply = reply;
    }

    @Override
    public void run(TenantLane lane) {
      try {
        List<Template> fresh = services.templates().list(lane.tenant);
        lane.templates = fresh;
        lane.filter = null;
        if (lane.vm != null) {
          lane.vm.updateTemplates(fresh);
        }
        if (name != null && !stateOf(lane.tenant).banned() && runs(fresh, name)) {
          TenantVm vm = vmOf(lane);
          vm.dispatchTo(name, CreateEvent.of(ON_STARTUP,
              KhronosValue.textMap("reason", new KhronosValue.Text("updateTemplateCache"))));
          lane.lastUsedNanos = System.nanoTime();
          if (vm.isBroken()) {
            closeVm(lane, "broken");
          }
        } else if (lane.vm == null) {
          lane.templates = null;
        }
        reply.complete(null);
      } catch (RuntimeException e) {
        String message = "reloading the templates of " + where(lane.tenant) + " failed: " + e.getMessage();
        reporter.report(lane.tenant, name, ON_STARTUP, message);
        reply.completeExceptionally(new WorkerException(message));
      }
    }

    private boolean runs(List<Template> templates, String template) {
      for (Template t : templates) {
        if (t.name().equals(template)) {
          return !t.paused();
        }
      }
      return false;
    }

    @Override
    public void cancel(String reason) {
      reply.completeExceptionally(new WorkerException("templates not reloaded: " + reason));
    }
  }

  /**
   * The tenant-state store as this worker's VMs see it: reads go through the worker's cache, writes (e.g.
   * {@code Runtime:settenantstate}) update it and the tenant's filter at once.
   */
  private final class CachedStates implements TenantStateStore {
    private final TenantStateStore store;

    CachedStates(TenantStateStore store) {
      this.store = store;
    }

    @Override
    public TenantState get(TenantId tenant) {
      return stateOf(tenant);
    }

    @Override
    public void set(TenantId tenant, TenantState state) {
      store.set(tenant, state);
      TenantState cached = states.get(tenant);
      states.put(tenant, new TenantState(state.events(), cached != null && cached.banned(), state.data()));
      invalidateFilter(tenant);
    }

    @Override
    public void setBanned(TenantId tenant, boolean banned) {
      store.setBanned(tenant, banned);
      states.remove(tenant);
      invalidateFilter(tenant);
    }

    @Override
    public Map<TenantId, TenantState> listForWorker(int workerId, int workerCount) {
      return store.listForWorker(workerId, workerCount);
    }

    private void invalidateFilter(TenantId tenant) {
      TenantLane lane = lanes.get(tenant);
      if (lane != null) {
        lane.state = null;
        lane.filter = null;
      }
    }
  }

  private final class DropJob extends TenantLane.Job {
    private final CompletableFuture<Void> reply;

    DropJob(CompletableFuture<Void> reply) {
      this.reply = reply;
    }

    @Override
    public void run(TenantLane lane) {
      closeVm(lane, "dropped");
      reply.complete(null);
    }

    @Override
    public void cancel(String reason) {
      reply.complete(null);
    }
  }

  private final class EvictJob extends TenantLane.Job {
    private final long idleNanos;
    private final boolean force;

    EvictJob(long idleNanos, boolean force) {
      this.idleNanos = idleNanos;
      this.force = force;
    }

    @Override
    public void run(TenantLane lane) {
      // Re-checked on the lane: the VM may have been used since the sweep queued this.
      if (lane.vm != null && (force || System.nanoTime() - lane.lastUsedNanos >= idleNanos && !lane.vm.hasPendingTasks())) {
        closeVm(lane, force ? "evicted (VM cap " + config.maxVms() + ")" : "idle");
      }
    }

    @Override
    public void cancel(String reason) {}
  }
}
