package io.templateworker.luau.embed;

import io.templateworker.luau.errors.InternalFailure;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.lib.StandardLibrary;
import io.templateworker.luau.lib.TaskLib;
import io.templateworker.luau.require.RequireLib;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Meta;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.VmOptions;
import io.templateworker.luau.task.TaskScheduler;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * A sandboxed Luau VM as the runtime uses it: one set of builtins (standard library, {@code task},
 * {@code require}), frozen once and shared by any number of per-tenant environments; the limits of
 * {@link StateOptions}; a task scheduler the host drives; and the calls in and out (host functions, yields to
 * the host, userdata).
 *
 * <p>Confined: one thread of control at a time (the worker's lane for this VM). Only {@link #interrupt()} may
 * be called from another thread.
 *
 * <p>Lifecycle: create, {@link #defineGlobal} host libraries, then create environments and call in. The
 * builtins are sealed (frozen, in sandbox mode) by the first {@link #newEnvironment()}.
 */
public final class LuauState implements AutoCloseable {
  private static final LuauString G = LuauString.of("_G");
  /** How often a blocking host wait looks at the interrupt flag. */
  private static final long HOST_WAIT_POLL_MS = 20;

  private final StateOptions options;
  private final LuauVM vm;
  private final LuauTable builtins = new LuauTable();
  /** Metatable of every tenant environment: reads fall back to the builtins; locked against changes. */
  private final LuauTable envMeta = new LuauTable();
  private final Set<Object> roots = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private final TaskScheduler scheduler;
  private boolean sealed;

  private LuauState(StateOptions options) {
    this.options = options;
    Limits limits = options.limits();
    VmOptions vmOptions = VmOptions.defaults().withStdout(options.stdout())
        .withLegacyEnvFunctions(!options.sandbox())
        .withMaxCallDepth(Math.min(limits.maxCallDepth(), Limits.stackSafeDepth()))
        .withMemoryLimit(limits.memoryBytes());
    this.vm = LuauVM.create(vmOptions);
    vm.budget().setClock(options.clock());
    vm.budget().setSlice(limits.timeSlice().toNanos());
    this.scheduler = new TaskScheduler(vm, options.clock());
    vm.memory().setProbe(new HeapWalker(vm, roots, scheduler));
    roots.add(builtins);
    LongConsumer prev = bindAccount();
    try {
      StandardLibrary.install(vm, builtins);
      TaskLib.install(scheduler, builtins);
      if (options.modules() != null) {
        RequireLib.install(vm, builtins, options.modules());
      }
      if (options.allowLoad()) {
        LoadLib.install(vm, builtins);
      }
    } finally {
      LuauTable.GROWTH_ACCOUNT.set(prev);
    }
    envMeta.rawset(Meta.INDEX, builtins);
    envMeta.rawset(Meta.METATABLE, LuauString.of("The metatable is locked"));
    envMeta.freeze();
  }

  public static LuauState create(StateOptions options) {
    WarmUp.once();
    return new LuauState(options);
  }

  /**
   * Runs the error paths once per JVM on a shallow stack, so the call sites they use are linked before any
   * script can reach them near the end of a thread's stack (linking needs stack of its own).
   */
  private static final class WarmUp {
    static {
      try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMaxCallDepth(20))) {
        LuauTable g = Luau.standardGlobals(vm);
        String src = "local function f() return 1 + f() end\n"
            + "pcall(f) pcall(function() local t = nil return t.x end) pcall(error, 'x')\n"
            + "pcall(string.rep) local ok = pcall(function() error(setmetatable({}, {})) end)";
        vm.load(Luau.compile(src, "warm-up"), g).call(vm.mainThread(), LuauFunction.NONE);
      }
    }

    static void once() {
      // class initialisation above does the work exactly once
    }
  }

  public static LuauState create() {
    return new LuauState(StateOptions.defaults());
  }

  public LuauVM vm() {
    return vm;
  }

  public StateOptions options() {
    return options;
  }

  public TaskScheduler scheduler() {
    return scheduler;
  }

  /** The shared builtins table (frozen once sealed in sandbox mode). */
  public LuauTable builtins() {
    return builtins;
  }

  /** Adds a global every environment sees (a host library or function); only before the first environment. */
  public void defineGlobal(String name, Object value) {
    if (sealed) {
      throw new IllegalStateException("builtins of this LuauState are sealed: define global '" + name
          + "' before the first newEnvironment()");
    }
    builtins.rawset(LuauString.of(name), value);
  }

  /** Adds a host function as a global; only before the first environment. */
  public void defineFunction(String name, HostFunction fn) {
    defineGlobal(name, LuauFunction.host(name, fn));
  }

  /** Freezes the builtins (sandbox mode); done by the first {@link #newEnvironment()}. */
  public void seal() {
    if (sealed) {
      return;
    }
    sealed = true;
    if (options.sandbox()) {
      freezeLibraries(builtins);
      vm.stringMetatable().freeze();
      builtins.freeze();
    }
  }

  private static void freezeLibraries(LuauTable g) {
    for (int p = g.nextSlot(0); p >= 0; p = g.nextSlot(p + 1)) {
      if (g.valueAt(p) instanceof LuauTable lib && lib != g && !lib.isFrozen()) {
        lib.freeze();
      }
    }
  }

  /**
   * A new global environment (a tenant's or a template's): its own table whose reads fall back to the shared
   * builtins. Writes stay in it, so environments cannot see or change each other's globals; {@code _G} is the
   * environment itself. Costs one small table.
   */
  public LuauTable newEnvironment() {
    seal();
    LuauTable env = new LuauTable(0, 1);
    env.rawset(G, env);
    env.setMetatable(envMeta);
    roots.add(env);
    return env;
  }

  /**
   * A standalone globals table with its own copy of every builtin (no fallback table), as the reference CLI
   * gives each script: {@code pairs(_G)} lists the builtins. For trusted scripts; tenants get
   * {@link #newEnvironment()}.
   */
  public LuauTable newStandaloneGlobals() {
    seal();
    LuauTable g = builtins.copy();
    g.rawset(G, g);
    roots.add(g);
    return g;
  }

  /**
   * The globals of one script as the reference {@code luau} CLI sets them up (luaL_sandbox, then
   * luaL_sandboxthread): the builtins and every library table frozen ({@code _G} is the frozen builtins table,
   * so {@code _G.x = 1} fails as there), and a fresh table for the script's own globals whose reads fall back to
   * them through a frozen metatable. Unlike {@link #newEnvironment()} this freezes the builtins whether or not
   * the state is sandboxed; the legacy functions (getfenv, setfenv, loadstring) stay when it is not.
   */
  public LuauTable newScriptEnvironment() {
    sealed = true;
    if (!builtins.isFrozen()) {
      freezeLibraries(builtins);
      vm.stringMetatable().freeze();
      builtins.freeze();
    }
    LuauTable meta = new LuauTable(0, 1);
    meta.rawset(Meta.INDEX, builtins);
    meta.freeze();
    LuauTable env = new LuauTable();
    env.setMetatable(meta);
    roots.add(env);
    return env;
  }

  /** Forgets an environment (a dropped tenant): its modules and globals no longer count as live. */
  public void dropEnvironment(LuauTable env) {
    roots.remove(env);
  }

  /** Keeps a host-held Luau value (a stored handler, a registry table) in the live-heap measurement. */
  public void retain(Object value) {
    roots.add(value);
  }

  public void release(Object value) {
    roots.remove(value);
  }

  /** Loads a compiled chunk as a function whose globals are {@code env}. The chunk is shared, not copied. */
  public LuauFunction load(Chunk chunk, LuauTable env) {
    return vm.load(chunk, env);
  }

  /**
   * Calls a Luau value from Java on the main thread with a fresh CPU slice (nested calls share the outer
   * slice). A Luau error comes back as {@link LuauError} carrying the error value and a traceback; limit
   * violations as {@link LimitExceeded}.
   */
  public Object[] call(Object fn, Object... args) {
    LongConsumer prev = bindAccount();
    vm.budget().enter();
    try {
      return Ops.call(vm.mainThread(), fn, args);
    } catch (StackOverflowError so) {
      throw new LimitExceeded(LimitExceeded.Kind.STACK);
    } catch (LuauError e) {
      throw e;
    } catch (RuntimeException bug) { // a host function called directly, outside any Luau frame
      throw InternalFailure.of(bug, fn instanceof LuauFunction f ? f.name() : null);
    } finally {
      vm.budget().exit();
      LuauTable.GROWTH_ACCOUNT.set(prev);
    }
  }

  /** Compiles (no caching) and runs source in {@code env}; for tests, the REPL and one-off scripts. */
  public Object[] run(String source, String chunkName, LuauTable env) {
    return call(load(Luau.compile(source, chunkName), env));
  }

  /**
   * Runs {@code fn} as a task: a coroutine the scheduler owns, so it may {@code task.wait} and yield to the
   * host. Runs until its first yield; the rest happens in {@link #runPending()}.
   */
  public LuauThread spawn(Object fn, Object... args) {
    LongConsumer prev = bindAccount();
    try {
      return scheduler.spawn(fn, args);
    } finally {
      LuauTable.GROWTH_ACCOUNT.set(prev);
    }
  }

  /**
   * Resumes {@code task}, a suspended task of this state's scheduler (one {@link #spawn} returned, parked by a
   * yield), until it yields or ends; cheaper than spawning it again ({@link TaskScheduler#resumeOwned}).
   */
  public void resumeTask(LuauThread task, Object[] args) {
    LongConsumer prev = bindAccount();
    try {
      scheduler.resumeOwned(task, args);
    } finally {
      LuauTable.GROWTH_ACCOUNT.set(prev);
    }
  }

  /** Runs ready tasks and due timers once; returns how many tasks were resumed. */
  public int runPending() {
    LongConsumer prev = bindAccount();
    try {
      return scheduler.runReady();
    } finally {
      LuauTable.GROWTH_ACCOUNT.set(prev);
    }
  }

  /**
   * Yield to the host: suspends the calling Luau code until {@code operation} completes, then returns its
   * values (or raises its failure as a Luau error). Called by a host function on the VM's thread. When the
   * caller is a scheduler task, the task yields and other tasks run meanwhile; otherwise (main thread, a
   * coroutine of the script's own, inside pcall) the calling thread waits. Either way the CPU slice is
   * paused while waiting.
   */
  public Object[] await(LuauThread L, CompletionStage<Object[]> operation) {
    if (scheduler.isTask(L)) {
      return scheduler.awaitHost(L, operation);
    }
    vm.budget().pauseForHost();
    java.util.concurrent.CompletableFuture<Object[]> f = operation.toCompletableFuture();
    try {
      while (true) {
        try {
          return f.get(HOST_WAIT_POLL_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillWaiting) {
          if (vm.budget().interruptRequested()) {
            // interrupt() must also free a VM stuck on a host operation that never completes
            throw new LimitExceeded(LimitExceeded.Kind.TIME);
          }
        }
      }
    } catch (ExecutionException | CompletionException e) {
      throw hostFailure(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LuauError.runtime("host operation interrupted");
    } finally {
      vm.budget().resumeAfterHost();
    }
  }

  static LuauError hostFailure(Throwable cause) {
    if (cause instanceof LuauError le) {
      return le;
    }
    return LuauError.runtime(cause == null ? "host operation failed" : String.valueOf(cause.getMessage()));
  }

  /** Stops the running script at its next check (any thread): it fails with the time-limit error. */
  public void interrupt() {
    vm.interrupt();
  }

  /** Live Luau heap in bytes, measured now (a walk; for gauges, not hot paths). */
  public long measureMemory() {
    return vm.memory().measureNow();
  }

  private LongConsumer bindAccount() {
    LongConsumer prev = LuauTable.GROWTH_ACCOUNT.get();
    LuauTable.GROWTH_ACCOUNT.set(vm.growthAccount());
    return prev;
  }

  /** The environment a running Luau function sees (for host functions that act per tenant). */
  public static LuauTable callerEnvironment(LuauThread L) {
    Object[] info = L.debugInfo(1, "f");
    return info != null && info[0] instanceof LuauClosure c ? c.env : null;
  }

  @Override
  public void close() {
    scheduler.close();
    vm.close();
  }
}
