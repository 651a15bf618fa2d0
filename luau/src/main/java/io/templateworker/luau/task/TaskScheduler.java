package io.templateworker.luau.task;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.sandbox.Clock;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Roblox-style task scheduling for one VM. Threads are resumed only from {@link #runReady()} (driven by the
 * host), {@link #spawn} (immediately, like {@code task.spawn}) and nested spawns from Luau. Three sources feed
 * the ready queue: {@code task.defer}, timers that came due ({@code task.wait}, {@code task.delay}) and host
 * operations that completed (yields to the host, possibly on other threads).
 *
 * <p>A task that fails does not fail its spawner: the error goes to the error handler (by default collected
 * in {@link #errors()}), as Roblox reports errors of spawned threads to the output.
 *
 * <p>Confined to the VM's thread of control, except host completions, which any thread may deliver.
 */
public final class TaskScheduler implements AutoCloseable {
  /** Upper bound of resumptions per {@link #runReady()}, so a defer loop cannot monopolise the VM. */
  public static final int MAX_RESUMES_PER_RUN = 10_000;

  private record Ready(LuauThread thread, Object[] args) {
  }

  private record Timer(LuauThread thread, long due, long seq, long startedAt, Object[] args) {
  }

  private record Completion(LuauThread thread, Object[] values, Throwable error) {
  }

  private final LuauVM vm;
  private final Clock clock;
  // The queues below are created on first use (VM thread): a VM whose tasks never defer, sleep or wait on the host
  // (most event handlers) keeps none, so checking for pending work reads this object's fields only. A host with
  // thousands of VMs checks after every event, and each extra queue would be a cache miss there.
  private ArrayDeque<Ready> ready;
  private PriorityQueue<Timer> timers;
  /** Written by the VM thread before the first host operation it awaits; completions arrive after that. */
  private ConcurrentLinkedQueue<Completion> completions;
  private final Semaphore wake = new Semaphore(0);
  /**
   * The tasks this scheduler holds until they end (suspended, or running inside another); created with the first, as
   * the queues above. A task the host spawns while none runs is held here only once it suspends: most event handlers
   * end first, and with thousands of VMs the set's entry and removal were cache misses per event.
   */
  private Set<LuauThread> tasks;
  /** That task while it runs, before its first suspension (or end); a task like those in {@link #tasks}. */
  private LuauThread starting;
  private Set<LuauThread> waitingOnHost;
  private Map<LuauThread, Throwable> hostErrors;
  private final List<LuauError> errors = new ArrayList<>();
  private BiConsumer<LuauThread, LuauError> errorHandler = (task, e) -> errors.add(e);
  private long seq;
  private volatile Runnable wakeListener;

  public TaskScheduler(LuauVM vm, Clock clock) {
    this.vm = vm;
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  /** Where errors of tasks go (default: {@link #errors()}). */
  public void setErrorHandler(Consumer<LuauError> handler) {
    this.errorHandler = (task, e) -> handler.accept(e);
  }

  /** Where errors of tasks go, with the task that failed (so a host can name the code that owns it). */
  public void setTaskErrorHandler(BiConsumer<LuauThread, LuauError> handler) {
    this.errorHandler = handler;
  }

  /** Errors of failed tasks collected by the default handler. */
  public List<LuauError> errors() {
    return errors;
  }

  /** Called (on any thread) when a host operation completes, so a sleeping event loop can wake up. */
  public void setWakeListener(Runnable listener) {
    this.wakeListener = listener;
  }

  /** The threads this scheduler still owns (for the live-heap walk). */
  public LuauThread[] liveTasks() {
    LuauThread[] held = tasks == null ? new LuauThread[0] : tasks.toArray(new LuauThread[0]);
    LuauThread running = starting;
    if (running == null) {
      return held;
    }
    LuauThread[] all = java.util.Arrays.copyOf(held, held.length + 1);
    all[held.length] = running;
    return all;
  }

  /** Whether {@code L} is a thread this scheduler owns (spawned, deferred or delayed). */
  public boolean isTask(LuauThread L) {
    return L == starting || tasks != null && tasks.contains(L);
  }

  // ---- scheduling (from the host and from the task library) -----------------------------------------

  /** A task thread for {@code fnOrThread}: the thread itself, or a new coroutine running the function. */
  public LuauThread toThread(Object fnOrThread) {
    // A task it creates is its own: held in the task set until it ends, closed by close(), a root of the heap walk.
    LuauThread t = fnOrThread instanceof LuauThread th ? th : vm.newOwnedThread((LuauFunction) fnOrThread);
    taskSet().add(t);
    return t;
  }

  private Set<LuauThread> taskSet() {
    if (tasks == null) {
      tasks = Collections.newSetFromMap(new IdentityHashMap<>());
    }
    return tasks;
  }

  /** task.spawn from the host: creates the task and runs it now until it yields or ends. */
  public LuauThread spawn(Object fnOrThread, Object[] args) {
    return spawn(vm.mainThread(), fnOrThread, args);
  }

  /** task.spawn: resumes the task from {@code from} (the calling thread) right away. */
  public LuauThread spawn(LuauThread from, Object fnOrThread, Object[] args) {
    // A new task from the host while no task runs is held only if it suspends (see tasks).
    boolean held = starting != null || from != vm.mainThread() || !(fnOrThread instanceof LuauFunction);
    LuauThread t = held ? toThread(fnOrThread) : vm.newOwnedThread((LuauFunction) fnOrThread);
    // An outermost entry starts a whole slice: there is nothing to give (and no clock to read, once per event).
    boolean sliceRunning = vm.budget().isActive();
    if (!held) {
      starting = t;
    }
    vm.budget().enter();
    try {
      resume(from, t, args, sliceRunning);
    } finally {
      vm.budget().exit();
      if (!held) {
        starting = null;
        if (t.status() == LuauThread.Status.SUSPENDED) {
          taskSet().add(t);
        }
      }
    }
    return t;
  }

  /**
   * Resumes {@code t}, a suspended task this scheduler already owns (a host's idle worker coroutine between
   * events), from the host, as {@link #spawn(Object, Object[])} does but without adding it to the task set again:
   * with thousands of VMs on one host, that set lookup is a cache miss (three objects) per event. A {@code t} that
   * is not suspended is left alone, as {@code spawn} would.
   */
  public void resumeOwned(LuauThread t, Object[] args) {
    boolean sliceRunning = vm.budget().isActive();
    vm.budget().enter();
    try {
      resume(vm.mainThread(), t, args, sliceRunning);
    } finally {
      vm.budget().exit();
    }
  }

  /** task.defer: resumes the task at the next {@link #runReady()}. */
  public LuauThread defer(Object fnOrThread, Object[] args) {
    LuauThread t = toThread(fnOrThread);
    readyQueue().add(new Ready(t, args));
    return t;
  }

  /** task.delay: resumes the task with {@code args} once {@code nanos} have passed. */
  public LuauThread delay(long nanos, Object fnOrThread, Object[] args) {
    LuauThread t = toThread(fnOrThread);
    long now = clock.nanoTime();
    timerQueue().add(new Timer(t, now + Math.max(0, nanos), seq++, now, args));
    return t;
  }

  /**
   * task.wait: suspends {@code L} (a coroutine) for at least {@code nanos} (0 = until the next run) and returns
   * the seconds that actually passed.
   */
  public Object[] sleep(LuauThread L, long nanos) {
    if (!L.isYieldable()) {
      throw LuauError.runtime("attempt to yield from outside a coroutine (run the script as a task to use task.wait)");
    }
    long now = clock.nanoTime();
    timerQueue().add(new Timer(L, now + Math.max(0, nanos), seq++, now, null));
    return L.yield(LuauFunction.NONE);
  }

  /** task.cancel: the thread will not be resumed by this scheduler again and is closed. */
  public void cancel(LuauThread t) {
    if (ready != null) {
      ready.removeIf(r -> r.thread == t);
    }
    if (timers != null) {
      timers.removeIf(r -> r.thread == t);
    }
    if (waitingOnHost != null) {
      waitingOnHost.remove(t);
    }
    if (tasks != null) {
      tasks.remove(t);
    }
    if (t.status() == LuauThread.Status.SUSPENDED || t.status() == LuauThread.Status.DEAD) {
      t.close();
    } else {
      throw LuauError.runtime("cannot cancel a " + t.status().label() + " thread");
    }
  }

  /**
   * Yield to the host from a task: the task is suspended until {@code op} completes (on any thread), then
   * resumed by a later {@link #runReady()} with its values; a failure is raised in the task as a Luau error.
   */
  public Object[] awaitHost(LuauThread L, CompletionStage<Object[]> op) {
    if (waitingOnHost == null) {
      waitingOnHost = Collections.newSetFromMap(new IdentityHashMap<>());
      hostErrors = new IdentityHashMap<>();
      completions = new ConcurrentLinkedQueue<>();
    }
    waitingOnHost.add(L);
    ConcurrentLinkedQueue<Completion> done = completions;
    op.whenComplete((values, error) -> {
      done.add(new Completion(L, values, error));
      wake.release();
      Runnable listener = wakeListener;
      if (listener != null) {
        listener.run();
      }
    });
    Object[] r = L.yield(LuauFunction.NONE);
    Throwable failure = hostErrors.remove(L);
    if (failure != null) {
      if (failure instanceof CompletionException ce && ce.getCause() != null) {
        failure = ce.getCause();
      }
      if (failure instanceof LuauError le) {
        throw le;
      }
      throw LuauError.runtime(failure.getMessage() == null ? failure.toString() : failure.getMessage());
    }
    return r;
  }

  // ---- driving (host) ---------------------------------------------------------------------------------

  /**
   * Resumes everything that is ready now: completed host operations, due timers, deferred tasks (including
   * tasks deferred while this runs, up to {@link #MAX_RESUMES_PER_RUN}). Returns the number of resumptions.
   */
  public int runReady() {
    vm.budget().enter();
    try {
      collectCompletions();
      collectDueTimers();
      int n = 0;
      Ready r;
      while (n < MAX_RESUMES_PER_RUN && ready != null && (r = ready.poll()) != null) {
        if (resume(vm.mainThread(), r.thread, r.args, true)) {
          n++;
        }
        if (ready.isEmpty()) {
          collectCompletions();
          collectDueTimers();
        }
      }
      return n;
    } finally {
      vm.budget().exit();
    }
  }

  private void collectCompletions() {
    if (completions == null) {
      return;
    }
    Completion c;
    while ((c = completions.poll()) != null) {
      if (waitingOnHost.remove(c.thread)) {
        if (c.error != null) {
          hostErrors.put(c.thread, c.error);
        }
        readyQueue().add(new Ready(c.thread, c.values == null ? LuauFunction.NONE : c.values));
      }
    }
  }

  private void collectDueTimers() {
    if (timers == null || timers.isEmpty()) {
      return;
    }
    long now = clock.nanoTime();
    Timer t;
    while ((t = timers.peek()) != null && t.due - now <= 0) {
      timers.poll();
      Object[] args = t.args != null ? t.args : new Object[] {(now - t.startedAt) / 1e9};
      readyQueue().add(new Ready(t.thread, args));
    }
  }

  /**
   * Resumes one task, first extending the running slice to the give time when {@code give}; its failure goes to the
   * error handler. Returns false when it could not run.
   */
  private boolean resume(LuauThread from, LuauThread t, Object[] args, boolean give) {
    if (t.status() != LuauThread.Status.SUSPENDED) {
      return false;
    }
    if (give) {
      vm.budget().giveTime();
    }
    try {
      from.resume(t, args);
    } catch (LuauError e) {
      errorHandler.accept(t, e);
    }
    if (t.status() == LuauThread.Status.DEAD && tasks != null) {
      tasks.remove(t);
    }
    return true;
  }

  /** Clock time when work is next due: now if something is ready, the earliest timer, else Long.MAX_VALUE. */
  public long nextWakeUpNanos() {
    if (hasReady() || completions != null && !completions.isEmpty()) {
      return clock.nanoTime();
    }
    Timer t = timers == null ? null : timers.peek();
    return t == null ? Long.MAX_VALUE : t.due;
  }

  /** Whether anything is still scheduled or waiting on the host. */
  public boolean hasPendingWork() {
    return hasReady() || timers != null && !timers.isEmpty() || waitingOnHost != null && !waitingOnHost.isEmpty()
        || completions != null && !completions.isEmpty();
  }

  private boolean hasReady() {
    return ready != null && !ready.isEmpty();
  }

  private ArrayDeque<Ready> readyQueue() {
    if (ready == null) {
      ready = new ArrayDeque<>();
    }
    return ready;
  }

  private PriorityQueue<Timer> timerQueue() {
    if (timers == null) {
      timers = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    }
    return timers;
  }

  /**
   * Blocks the calling (host) thread until work may be ready: a host operation completed, the next timer is
   * due, or {@code maxNanos} passed. Uses real time; a host with a fake clock drives {@link #runReady()} itself.
   */
  public void awaitWork(long maxNanos) throws InterruptedException {
    long wait = maxNanos;
    long next = nextWakeUpNanos();
    if (next != Long.MAX_VALUE) {
      wait = Math.min(wait, next - clock.nanoTime());
    }
    if (wait > 0 && (completions == null || completions.isEmpty())) {
      wake.tryAcquire(wait, TimeUnit.NANOSECONDS);
    }
    wake.drainPermits();
  }

  /** Runs until nothing is scheduled or waiting any more, sleeping between due times (CLI, tests). */
  public void runUntilIdle() throws InterruptedException {
    runReady();
    while (hasPendingWork()) {
      awaitWork(TimeUnit.SECONDS.toNanos(1));
      runReady();
    }
  }

  /** Drops all scheduled work and closes suspended tasks. */
  @Override
  public void close() {
    ready = null;
    timers = null;
    if (waitingOnHost != null) {
      waitingOnHost.clear();
    }
    if (tasks != null) {
      for (LuauThread t : tasks.toArray(new LuauThread[0])) {
        if (t.status() == LuauThread.Status.SUSPENDED) {
          t.close();
        }
      }
      tasks.clear();
    }
  }
}
