package io.templateworker.worker.vm;

import io.templateworker.runtime.context.Capabilities;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.EventMatch;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A tenant's VM: one {@link TenantEngine} (opened on the first template run) holding the tenant's templates,
 * each loaded as an isolate on its first event. {@link #dispatch} sends an event to every unpaused template
 * subscribed to it (by name, or by {@code name[scope]} for scoped events) and returns the list of
 * {@code {type, id, value}} results.
 *
 * <p>Threading: {@link #dispatch}, {@link #runScript} and {@link #close} are called by the tenant's lane only,
 * one at a time. The engine is single-threaded, so every use of it holds {@link #vmLock}. With several
 * templates, they run one after another, in template order, on a virtual thread while the lane waits at most
 * the fan-out timeout: a template still running then is left out of the results (as upstream) and finishes
 * in the VM before the tenant's next event gets it; those queued behind it are left out too.
 *
 * <p>Background tasks ({@code task.delay}, {@code task.wait}, tasks waiting on the host) run between events:
 * after every run in the VM it asks its owner, through {@link TaskWakeups}, to call {@link #driveTasks} when
 * the next task is due, and a task made ready by a host completion asks for a drive at once. Task failures go
 * to the {@link ErrorReporter} with the template named and event {@value #TASK_EVENT}.
 */
public final class TenantVm {
  private static final KhronosValue OK = new KhronosValue.Text("ok");
  private static final KhronosValue ERR = new KhronosValue.Text("err");
  /** The event name under which failures of background tasks are reported. */
  public static final String TASK_EVENT = "task";

  private final TenantId tenant;
  private final List<Template> templates;
  private final IsolateFactory factory;
  private final TenantServices services;
  private final ErrorReporter reporter;
  private final long fanOutNanos;
  private final Executor fanOutExecutor;
  private final KhronosValue currentUser;
  private final TaskWakeups wakeups;
  private final TaskListener taskListener = new Tasks();
  private final Map<String, Slot> slots = new HashMap<>();
  /** Fair, so runs take the VM in the order they were queued (events stay in arrival order). */
  private final ReentrantLock vmLock = new ReentrantLock(true);
  private TenantEngine engine;
  private volatile boolean broken;
  private volatile boolean closed;
  /** Whether the engine had background tasks after the last run; read by idle eviction. */
  private volatile boolean tasksPending;

  /** @param wakeups asked to call {@link #driveTasks} when a background task is due */
  public TenantVm(TenantId tenant, List<Template> templates, IsolateFactory factory, TenantServices services,
      ErrorReporter reporter, long fanOutNanos, Executor fanOutExecutor, KhronosValue currentUser,
      TaskWakeups wakeups) {
    this.tenant = tenant;
    this.templates = List.copyOf(templates);
    this.factory = factory;
    this.services = services;
    this.reporter = reporter;
    this.fanOutNanos = fanOutNanos;
    this.fanOutExecutor = fanOutExecutor;
    this.currentUser = currentUser;
    this.wakeups = wakeups;
  }

  public TenantId tenant() {
    return tenant;
  }

  /** True once a template hit a fatal error; the owner drops this VM and builds a new one on the next event. */
  public boolean isBroken() {
    return broken;
  }

  /** True when a background task was scheduled, sleeping or waiting on the host after the last run. */
  public boolean hasPendingTasks() {
    return tasksPending;
  }

  /** The templates this VM was built with, in name order. */
  public List<Template> templates() {
    return templates;
  }

  public KhronosValue dispatch(CreateEvent event) {
    List<Slot> targets = new ArrayList<>(2);
    for (int i = 0; i < templates.size(); i++) {
      Template t = templates.get(i);
      if (!t.paused() && EventMatch.matches(t.events(), event)) {
        targets.add(slotFor(t));
      }
    }
    TemplateContext root = TemplateContext.root(tenant, event, services, currentUser);
    if (targets.size() == 1) {
      // Fast path: nothing to wait alongside, so run on the lane itself (its time is bounded by the engine's limits).
      Slot slot = targets.get(0);
      return new KhronosValue.ListValue(List.of(result(slot, runGuarded(slot, root), event)));
    }
    return fanOut(targets, root, event);
  }

  private KhronosValue fanOut(List<Slot> targets, TemplateContext root, CreateEvent event) {
    int n = targets.size();
    @SuppressWarnings("unchecked")
    CompletableFuture<Outcome>[] running = new CompletableFuture[n];
    // Chained, so templates take the one VM in template order and a result is final as soon as it is ready.
    running[0] = CompletableFuture.supplyAsync(new Run(this, targets.get(0), root), fanOutExecutor);
    for (int i = 1; i < n; i++) {
      running[i] = running[i - 1].handleAsync(new Run(this, targets.get(i), root), fanOutExecutor);
    }
    long deadline = System.nanoTime() + fanOutNanos;
    List<KhronosValue> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Slot slot = targets.get(i);
      try {
        Outcome outcome = running[i].get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        results.add(result(slot, outcome, event));
      } catch (TimeoutException e) {
        reporter.report(tenant, slot.template.name(), event.name(), "did not finish within the fan-out timeout of "
            + TimeUnit.NANOSECONDS.toMillis(fanOutNanos) + " ms; its result is omitted and it keeps running");
      } catch (ExecutionException e) {
        results.add(result(slot, Outcome.failure(String.valueOf(e.getCause()), false), event));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new KhronosValue.ListValue(results);
  }

  private KhronosValue result(Slot slot, Outcome outcome, CreateEvent event) {
    if (outcome.error == null) {
      return KhronosValue.textMap("type", OK, "id", slot.id, "value", outcome.value);
    }
    if (outcome.fatal) {
      broken = true;
    }
    reporter.report(tenant, slot.template.name(), event.name(), outcome.error);
    return KhronosValue.textMap("type", ERR, "id", slot.id,
        "value", new KhronosValue.Text(outcome.error));
  }

  private Slot slotFor(Template template) {
    Slot slot = slots.get(template.name());
    if (slot == null) {
      slot = new Slot(template);
      slots.put(template.name(), slot);
    }
    return slot;
  }

  /** Runs one template with its capabilities, loading it into the VM first if needed; never throws. */
  Outcome runGuarded(Slot slot, TemplateContext root) {
    vmLock.lock();
    try {
      if (closed) {
        return Outcome.failure("the tenant's VM was closed before this template ran", false);
      }
      if (broken) {
        return Outcome.failure("not run: another template of this tenant exhausted the VM's memory;"
            + " the VM is rebuilt on the next event", false);
      }
      if (slot.createError != null) {
        return Outcome.failure(slot.createError, false);
      }
      if (slot.isolate == null && !load(slot)) {
        return Outcome.failure(slot.createError, slot.createFatal);
      }
      // The template's capabilities are a subset of the root's "*" by construction: no per-event check or copy.
      TemplateContext ctx = new TemplateContext(tenant, root.event(), slot.caps, services, currentUser);
      KhronosValue value = slot.isolate.handle(ctx);
      return Outcome.success(value == null ? KhronosValue.Null.INSTANCE : value);
    } catch (TemplateFailure e) {
      return Outcome.failure(e.getMessage(), e.fatal() || engine.isBroken());
    } catch (RuntimeException | StackOverflowError e) {
      return Outcome.failure("internal error in the template runtime: " + e, engine != null && engine.isBroken());
    } finally {
      afterRun();
      vmLock.unlock();
    }
  }

  /**
   * Resumes the background tasks that are due (the owner calls this when {@link TaskWakeups} asks), within
   * one time slice; failures are reported per template. Called by the tenant's lane, like {@link #dispatch}.
   */
  public void driveTasks() {
    vmLock.lock();
    try {
      if (closed || broken || engine == null) {
        return;
      }
      engine.runTasks();
    } catch (RuntimeException | StackOverflowError e) {
      reporter.report(tenant, null, TASK_EVENT, "internal error in the template runtime while running background tasks: " + e);
    } finally {
      afterRun();
      vmLock.unlock();
    }
  }

  /** Under {@link #vmLock}, after every run: notes a broken engine, closes a closed one, arms the next drive. */
  private void afterRun() {
    if (engine == null) {
      return;
    }
    if (engine.isBroken()) {
      broken = true;
    }
    if (closed) {
      closeEngine();
      return;
    }
    boolean pending = !broken && engine.hasPendingTasks();
    if (pending != tasksPending) {
      tasksPending = pending;
    }
    if (pending) {
      long due = engine.nanosUntilTasksDue();
      if (due != Long.MAX_VALUE) {
        wakeups.wakeIn(due);
      }
    }
  }

  /** Loads the slot's template into the tenant's engine (opening it first); under {@link #vmLock}. */
  private boolean load(Slot slot) {
    try {
      if (engine == null) {
        engine = factory.open(tenant);
        engine.setTaskListener(taskListener);
      }
      slot.isolate = engine.load(slot.template);
      return true;
    } catch (TemplateFailure e) {
      // Kept until the VM is rebuilt (templates changed → drop_tenant), so a broken file is not reloaded per event.
      slot.createError = "could not load template: " + e.getMessage();
      slot.createFatal = e.fatal();
    } catch (RuntimeException e) {
      slot.createError = "could not load template: " + e;
    }
    return false;
  }

  /** Runs staff code in a fresh isolate with the root context (capabilities {@code *}). */
  public KhronosValue runScript(String name, String code, CreateEvent event) throws TemplateFailure {
    return factory.runScript(name, code, TemplateContext.root(tenant, event, services, currentUser));
  }

  /** Closes the engine and its isolates; if a timed-out template is still running, when it ends. */
  public void close() {
    closed = true;
    if (vmLock.tryLock()) {
      try {
        closeEngine();
      } finally {
        vmLock.unlock();
      }
    }
  }

  /** Under {@link #vmLock}; idempotent. */
  private void closeEngine() {
    tasksPending = false;
    for (Slot slot : slots.values()) {
      if (slot.isolate != null) {
        slot.isolate.close();
        slot.isolate = null;
      }
    }
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  /** Task news from the engine: failures to the reporter, host completions to the owner's wake-ups. */
  private final class Tasks implements TaskListener {
    @Override
    public void taskFailed(String template, String error, boolean fatal) {
      if (fatal) {
        broken = true;
      }
      reporter.report(tenant, template, TASK_EVENT, error);
    }

    @Override
    public void taskReady() {
      if (!closed) {
        wakeups.wakeIn(0);
      }
    }
  }

  /** A template and, once loaded, its isolate (both guarded by the VM lock). */
  static final class Slot {
    final Template template;
    final Capabilities caps;
    final KhronosValue id;
    TemplateIsolate isolate;
    String createError;
    boolean createFatal;

    Slot(Template template) {
      this.template = template;
      this.caps = new Capabilities(template.allowedCaps());
      this.id = new KhronosValue.Text(template.name());
    }
  }

  /** A template's value or error. */
  record Outcome(KhronosValue value, String error, boolean fatal) {
    static Outcome success(KhronosValue value) {
      return new Outcome(value, null, false);
    }

    static Outcome failure(String error, boolean fatal) {
      return new Outcome(null, error, fatal);
    }
  }

  /** One template's run: first of a fan-out as a Supplier, the following ones chained after their predecessor. */
  private static final class Run implements Supplier<Outcome>, BiFunction<Outcome, Throwable, Outcome> {
    private final TenantVm vm;
    private final Slot slot;
    private final TemplateContext root;

    Run(TenantVm vm, Slot slot, TemplateContext root) {
      this.vm = vm;
      this.slot = slot;
      this.root = root;
    }

    @Override
    public Outcome get() {
      return vm.runGuarded(slot, root);
    }

    @Override
    public Outcome apply(Outcome previous, Throwable previousFailure) {
      return vm.runGuarded(slot, root);
    }
  }
}
