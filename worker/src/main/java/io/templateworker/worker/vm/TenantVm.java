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
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A tenant's VM: one {@link TenantEngine} (opened on the first run) holding the tenant's templates, each loaded
 * as an isolate on its first event. {@link #dispatch} sends an event to the builtins (when configured, first,
 * with capabilities {@code *}) and to every unpaused template subscribed to it (by name, or {@code name[scope]}
 * for scoped events), and returns the list of {@code {type, id, value}} results (the builtins' own list spliced
 * in first).
 *
 * <p>The handlers run as tasks in the VM (UPSTREAM.md §7.6): one waiting on the host (KV, HTTP) or a timer does
 * not hold up the next. Results are collected for the fan-out timeout ({@code limits.template_wait_ms}); a
 * handler still running then gets an error result saying so, is reported, and is stopped once it has run the
 * template time limit counted from the event's start (upstream let it run unseen, gap 22).
 *
 * <p>Threading: every method except the {@link TaskListener} callbacks is called by the tenant's lane only, one
 * at a time; the VM is handed to its coroutines and back with a strict hand-off, so it is never run by two
 * threads at once.
 *
 * <p>Background tasks ({@code task.delay}, {@code task.wait}, tasks waiting on the host, handlers past the
 * collection window) run between events: after every run the VM asks its owner, through {@link TaskWakeups}, to
 * call {@link #driveTasks} when the next task is due (or a late handler must be stopped), and a task made ready
 * by a host completion asks for a drive at once. Task failures and prints go to the {@link ErrorReporter}.
 */
public final class TenantVm {
  private static final KhronosValue OK = new KhronosValue.Text("ok");
  private static final KhronosValue ERR = new KhronosValue.Text("err");
  private static final KhronosValue TYPE_KEY = new KhronosValue.Text("type");
  private static final KhronosValue ID_KEY = new KhronosValue.Text("id");
  private static final KhronosValue VALUE_KEY = new KhronosValue.Text("value");
  /** The entries a result shares with every other: its type ({@code ok} / {@code err}). Immutable. */
  private static final KhronosValue.Entry OK_ENTRY = new KhronosValue.Entry(TYPE_KEY, OK);
  private static final KhronosValue.Entry ERR_ENTRY = new KhronosValue.Entry(TYPE_KEY, ERR);
  /** The id of the builtins' entry in a dispatch result. */
  public static final String BUILTINS_ID = "$builtins";
  /** The event name under which failures of background tasks are reported. */
  public static final String TASK_EVENT = "task";

  private final TenantId tenant;
  private List<Template> templates;
  private final IsolateFactory factory;
  private final TenantServices services;
  private final ErrorReporter reporter;
  private final long waitNanos;
  private final long stopNanos;
  private final Supplier<KhronosValue> currentUser;
  private final TaskWakeups wakeups;
  private final TaskListener taskListener = new Tasks();
  private final Map<String, Slot> slots = new HashMap<>();
  private Slot builtins;
  /**
   * The targets of the last unscoped event name dispatched (null: none yet, or the templates changed): a tenant's
   * events mostly repeat a few names, and finding the targets is a scan of every template's event list. Lane only.
   */
  private String lastTargetsEvent;
  private List<Slot> lastTargets;
  /**
   * Handlers still running after their event's results were collected; lane only. Null while there are none (most
   * of the time): checked after every event, and with thousands of VMs an extra object is an extra cache miss.
   */
  private List<Late> late;
  /** Released by host completions while {@link #collecting}. */
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean collecting;
  private TenantEngine engine;
  private volatile boolean broken;
  private volatile boolean closed;
  /** Whether the engine had background tasks after the last run; read by idle eviction. */
  private volatile boolean tasksPending;

  /**
   * @param waitNanos how long {@link #dispatch} collects results ({@code limits.template_wait_ms})
   * @param stopNanos how long after its event a still-running handler is stopped (the template time limit)
   * @param wakeups asked to call {@link #driveTasks} when a background task is due
   */
  public TenantVm(TenantId tenant, List<Template> templates, IsolateFactory factory, TenantServices services,
      ErrorReporter reporter, long waitNanos, long stopNanos, Supplier<KhronosValue> currentUser, TaskWakeups wakeups) {
    this.tenant = tenant;
    this.templates = List.copyOf(templates);
    this.factory = factory;
    this.services = services;
    this.reporter = reporter;
    this.waitNanos = waitNanos;
    this.stopNanos = stopNanos;
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

  /** The templates this VM runs, in name order. */
  public List<Template> templates() {
    return templates;
  }

  /** Sends {@code event} to the builtins and every subscribed, unpaused template; returns their results. */
  public KhronosValue dispatch(CreateEvent event) {
    return dispatch(event, true);
  }

  /**
   * As {@link #dispatch(CreateEvent)}; with {@code reportResults} false the results are not given to the reporter's
   * {@link ErrorReporter#dispatched} (the caller reports them itself). Errors are reported either way.
   */
  public KhronosValue dispatch(CreateEvent event, boolean reportResults) {
    boolean unscoped = event.scopes().isEmpty();
    if (unscoped && lastTargets != null && event.name().equals(lastTargetsEvent)) {
      return run(lastTargets, event, reportResults);
    }
    List<Slot> targets = new ArrayList<>(templates.size() + 1);
    if (factory.hasBuiltins()) {
      targets.add(builtinsSlot());
    }
    for (int i = 0; i < templates.size(); i++) {
      Template t = templates.get(i);
      if (!t.paused() && EventMatch.matches(t.events(), event)) {
        targets.add(slotFor(t));
      }
    }
    if (unscoped) {
      lastTargets = List.copyOf(targets);
      lastTargetsEvent = event.name();
    }
    return run(targets, event, reportResults);
  }

  /**
   * Sends {@code event} to the template {@code name} alone, whatever its event list (unless it is paused or
   * gone): {@code OnStartup {reason = "updateTemplateCache"}} after the template changed.
   */
  public KhronosValue dispatchTo(String name, CreateEvent event) {
    for (Template t : templates) {
      if (t.name().equals(name) && !t.paused()) {
        return run(List.of(slotFor(t)), event, true);
      }
    }
    return new KhronosValue.ListValue(List.of());
  }

  /**
   * The tenant's templates changed: from now on the VM runs {@code now}. The isolates of templates that
   * changed or are gone are closed (rebuilt on their next event); the others keep their globals and store.
   */
  public void updateTemplates(List<Template> now) {
    Map<String, Template> byName = new HashMap<>();
    for (Template t : now) {
      byName.put(t.name(), t);
    }
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (!slot.template.equals(byName.get(slot.template.name()))) {
        if (slot.isolate != null) {
          slot.isolate.close();
        }
        it.remove();
      }
    }
    templates = List.copyOf(now);
    lastTargets = null;
  }

  private KhronosValue run(List<Slot> targets, CreateEvent event, boolean reportResults) {
    int n = targets.size();
    if (n == 0 || closed) {
      return new KhronosValue.ListValue(List.of());
    }
    long start = System.nanoTime();
    EventRun run = new EventRun(n);
    KhronosValue user = currentUser.get();
    try {
      List<TemplateIsolate> isolates;
      List<TemplateContext> contexts;
      if (n == 1) { // most events run one template: two one-element lists, without the ArrayLists' arrays
        Slot slot = targets.get(0);
        isolates = Collections.singletonList(isolateFor(run, 0, slot));
        contexts = Collections.singletonList(slot.caps == null ? TemplateContext.root(tenant, event, services, user)
            : new TemplateContext(tenant, event, slot.caps, services, user));
      } else {
        isolates = new ArrayList<>(n);
        contexts = new ArrayList<>(n);
        TemplateContext root = null; // the builtins' (capabilities *), made only when they run
        for (int i = 0; i < n; i++) {
          Slot slot = targets.get(i);
          isolates.add(isolateFor(run, i, slot));
          // A template's capabilities are a subset of the root's "*" by construction: no per-event check.
          if (slot.caps == null && root == null) {
            root = TemplateContext.root(tenant, event, services, user);
          }
          contexts.add(slot.caps == null ? root : new TemplateContext(tenant, event, slot.caps, services, user));
        }
      }
      if (run.pending() > 0 && !broken) {
        engine.start(run, isolates, contexts);
        if (run.pending() > 0) {
          collect(run, start);
        }
      }
      if (run.pending() > 0 && (broken || engine.isBroken())) {
        failPending(run, "not finished: a template of this tenant exhausted the VM's memory;"
            + " the VM is rebuilt on the next event", engine != null);
      }
    } catch (RuntimeException | StackOverflowError e) {
      failPending(run, "internal error in the template runtime: " + e, engine != null);
    }
    KhronosValue result = results(targets, run, event, start);
    if (reportResults) {
      reporter.dispatched(tenant, event, result);
    }
    checkLate();
    afterRun();
    return result;
  }

  /** The isolate of handler {@code i}'s slot, or null after marking the handler failed (it cannot load, or broken). */
  private TemplateIsolate isolateFor(EventRun run, int i, Slot slot) {
    TemplateIsolate isolate = broken ? null : isolate(slot);
    if (isolate == null) {
      run.failed(i, broken ? "not run: another template of this tenant exhausted the VM's memory;"
          + " the VM is rebuilt on the next event" : slot.createError, null, slot.createFatal);
    }
    return isolate;
  }

  /** Ends every handler of {@code run} still running with {@code why}, stopping its task when it has one. */
  private void failPending(EventRun run, String why, boolean stopTasks) {
    for (int i = 0; i < run.size(); i++) {
      if (!run.isDone(i)) {
        if (stopTasks && run.task(i) != null) {
          engine.stop(run, i, why);
        } else {
          run.failed(i, why, null, false);
        }
      }
    }
  }

  /** Drives the VM until every handler of {@code run} ended or the fan-out timeout passed. */
  private void collect(EventRun run, long start) {
    long waitUntil = start + waitNanos;
    collecting = true;
    try {
      while (run.pending() > 0 && !engine.isBroken()) {
        long due = engine.nanosUntilTasksDue();
        if (due == 0) {
          engine.runTasks();
          continue;
        }
        long left = waitUntil - System.nanoTime();
        if (left <= 0 || !engine.hasPendingTasks()) {
          break; // out of time, or nothing left that could resume the rest (a bare coroutine.yield)
        }
        if (wake.tryAcquire()) {
          wake.drainPermits();
          continue; // a task became ready meanwhile: no need to wait
        }
        wakeups.waitBegins();
        try {
          if (wake.tryAcquire(Math.min(left, due), TimeUnit.NANOSECONDS)) {
            wake.drainPermits();
          }
        } finally {
          wakeups.waitEnded();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      collecting = false;
    }
  }

  private KhronosValue results(List<Slot> targets, EventRun run, CreateEvent event, long start) {
    Results out = new Results(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Slot slot = targets.get(i);
      if (!run.isDone(i)) {
        boolean overdue = System.nanoTime() - (start + stopNanos) >= 0;
        String message = "still running " + millis(waitNanos) + " ms after the event (limits.template_wait_ms);"
            + (overdue ? " stopped, as it has reached its time limit of " + millis(stopNanos) + " ms"
                : " its result is left out and it is stopped if it still runs " + millis(stopNanos)
                    + " ms after the event (limits.execution_slice_ms)");
        reporter.report(tenant, slot.name, event.name(), message, null);
        out.add(entry(ERR_ENTRY, slot, new KhronosValue.Text(message)));
        if (overdue) {
          engine.stop(run, i, message);
        } else {
          if (late == null) {
            late = new ArrayList<>(1);
          }
          late.add(new Late(run, i, slot, event.name(), start + stopNanos));
        }
        continue;
      }
      String error = run.error(i);
      if (error == null) {
        KhronosValue value = run.value(i);
        if (slot == builtins && value instanceof KhronosValue.ListValue list) {
          for (KhronosValue item : list.items()) { // the builtins' own {type, id, value} entries
            out.add(item);
          }
        } else if (slot != builtins || value != KhronosValue.Null.INSTANCE) {
          out.add(entry(OK_ENTRY, slot, value));
        }
        continue;
      }
      if (run.fatal(i)) {
        broken = true;
      }
      String traceback = run.traceback(i);
      reporter.report(tenant, slot.name, event.name(), error, traceback);
      out.add(entry(ERR_ENTRY, slot, new KhronosValue.Text(traceback == null ? error : error + "\n" + traceback)));
    }
    return out.list();
  }

  /**
   * An event's result entries: most events have one, which becomes the result list itself ({@code List.of(entry)},
   * which {@link KhronosValue.ListValue} keeps as it is) without an ArrayList, its array and the list's copy of it.
   */
  private static final class Results {
    private final int expected;
    private KhronosValue first;
    private List<KhronosValue> all;

    Results(int expected) {
      this.expected = expected;
    }

    void add(KhronosValue entry) {
      if (all != null) {
        all.add(entry);
      } else if (first == null) {
        first = entry;
      } else {
        all = new ArrayList<>(Math.max(2, expected));
        all.add(first);
        all.add(entry);
      }
    }

    KhronosValue.ListValue list() {
      return new KhronosValue.ListValue(all != null ? all : first != null ? List.of(first) : List.of());
    }
  }

  /** {@code {type, id, value}}, built directly: one per template per event. */
  private static KhronosValue entry(KhronosValue.Entry type, Slot slot, KhronosValue value) {
    return new KhronosValue.MapValue(List.of(type, slot.idEntry, new KhronosValue.Entry(VALUE_KEY, value)));
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Reports handlers that ended after their results were collected and stops those past their time limit. */
  private void checkLate() {
    if (late == null) {
      return;
    }
    long now = System.nanoTime();
    for (Iterator<Late> it = late.iterator(); it.hasNext(); ) {
      Late l = it.next();
      if (l.run.isDone(l.index)) {
        if (l.run.error(l.index) != null) {
          if (l.run.fatal(l.index)) {
            broken = true;
          }
          reporter.report(tenant, l.slot.name, l.event, "failed after its result was collected: " + l.run.error(l.index),
              l.run.traceback(l.index));
        }
        it.remove();
      } else if (now - l.stopAt >= 0) {
        String message = "stopped: still running " + millis(stopNanos) + " ms after the event"
            + " (its time limit, limits.execution_slice_ms)";
        if (engine != null) {
          engine.stop(l.run, l.index, message);
        }
        reporter.report(tenant, l.slot.name, l.event, message, null);
        it.remove();
      }
    }
    if (late.isEmpty()) {
      late = null;
    }
  }

  private Slot slotFor(Template template) {
    Slot slot = slots.get(template.name());
    if (slot == null) {
      slot = new Slot(template);
      slots.put(template.name(), slot);
    }
    return slot;
  }

  private Slot builtinsSlot() {
    if (builtins == null) {
      builtins = new Slot(null);
    }
    return builtins;
  }

  /** The slot's isolate, loading it into the tenant's engine (opened first) if needed; null after a load error. */
  private TemplateIsolate isolate(Slot slot) {
    if (slot.isolate != null) {
      return slot.isolate;
    }
    if (slot.createError != null) {
      return null;
    }
    try {
      if (engine == null) {
        engine = factory.open(tenant);
        engine.setTaskListener(taskListener);
      }
      slot.isolate = slot.template == null ? engine.loadBuiltins() : engine.load(slot.template);
      return slot.isolate;
    } catch (TemplateFailure e) {
      // Kept until the template changes or the VM is rebuilt, so a broken file is not reloaded per event.
      slot.createError = "could not load " + (slot.template == null ? "the builtins" : "template") + ": " + e.describe();
      slot.createFatal = e.fatal();
      if (e.fatal()) {
        broken = true;
      }
    } catch (RuntimeException e) {
      slot.createError = "could not load " + (slot.template == null ? "the builtins" : "template") + ": " + e;
    }
    return null;
  }

  /**
   * Resumes the background tasks that are due (the owner calls this when {@link TaskWakeups} asks), within
   * one time slice, and stops handlers past their time limit; failures are reported per template.
   */
  public void driveTasks() {
    if (closed || broken || engine == null) {
      return;
    }
    try {
      engine.runTasks();
      checkLate();
    } catch (RuntimeException | StackOverflowError e) {
      reporter.report(tenant, null, TASK_EVENT, "internal error in the template runtime while running background tasks: " + e);
    } finally {
      afterRun();
    }
  }

  /** After every run: notes a broken engine and arms the next drive. */
  private void afterRun() {
    if (engine == null) {
      return;
    }
    if (engine.isBroken()) {
      broken = true;
    }
    boolean pending = !broken && (engine.hasPendingTasks() || late != null);
    if (tasksPending != pending) {
      tasksPending = pending; // a volatile write (a fence) only when it changes, not after every event
    }
    if (pending) {
      long due = engine.nanosUntilTasksDue();
      long now = System.nanoTime();
      if (late != null) {
        for (Late l : late) {
          due = Math.min(due, Math.max(0, l.stopAt - now));
        }
      }
      if (due != Long.MAX_VALUE) {
        wakeups.wakeIn(due);
      }
    }
  }

  /** Runs staff code in a fresh isolate with the root context (capabilities {@code *}). */
  public KhronosValue runScript(String name, String code, CreateEvent event) throws TemplateFailure {
    return factory.runScript(name, code, TemplateContext.root(tenant, event, services, currentUser.get()));
  }

  /** Closes the engine and its isolates; idempotent. */
  public void close() {
    closed = true;
    tasksPending = false;
    late = null;
    for (Slot slot : slots.values()) {
      if (slot.isolate != null) {
        slot.isolate.close();
        slot.isolate = null;
      }
    }
    if (builtins != null && builtins.isolate != null) {
      builtins.isolate.close();
      builtins.isolate = null;
    }
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  /** News from the engine: failures and prints to the reporter, host completions to the collector or the owner. */
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
      if (closed) {
        return;
      }
      if (collecting) {
        wake.release();
      } else {
        wakeups.wakeIn(0);
      }
    }

    @Override
    public void waitBegins() {
      wakeups.waitBegins();
    }

    @Override
    public void waitEnded() {
      wakeups.waitEnded();
    }

    @Override
    public void printed(String template, String text) {
      reporter.print(tenant, template, text);
    }
  }

  /** A template (or the builtins, {@code template == null}) and, once loaded, its isolate. Lane only. */
  static final class Slot {
    final Template template;
    final String name;
    /** Null for the builtins, which run with the root context ({@code *}). */
    final Capabilities caps;
    /** {@code id = <name>} of its results: the same in every one. */
    final KhronosValue.Entry idEntry;
    TemplateIsolate isolate;
    String createError;
    boolean createFatal;

    Slot(Template template) {
      this.template = template;
      this.name = template == null ? BUILTINS_ID : template.name();
      this.caps = template == null ? null : new Capabilities(template.allowedCaps());
      this.idEntry = idEntry(name);
    }
  }

  /**
   * Recent result ids ({@code id = <name>}) by template name, shared by every VM: tenants share template names, and
   * each event's reply reads its template's id (with 10 000 tenants an entry, a Text and a String of its own per
   * tenant were cache misses per event). Any thread: entries are immutable, and a racing miss only builds an equal one.
   */
  private static final KhronosValue.Entry[] ID_ENTRIES = new KhronosValue.Entry[256];

  static KhronosValue.Entry idEntry(String name) {
    int i = name.hashCode() & (ID_ENTRIES.length - 1);
    KhronosValue.Entry e = ID_ENTRIES[i];
    if (e == null || !(e.value() instanceof KhronosValue.Text t && t.value().equals(name))) {
      e = new KhronosValue.Entry(ID_KEY, new KhronosValue.Text(name));
      ID_ENTRIES[i] = e;
    }
    return e;
  }

  /** A handler still running after its event's results were collected. */
  private record Late(EventRun run, int index, Slot slot, String event, long stopAt) {}
}
