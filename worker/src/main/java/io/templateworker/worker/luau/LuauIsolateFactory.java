package io.templateworker.worker.luau;

import io.templateworker.runtime.plugin.PluginHost;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.require.RequireLib;
import io.templateworker.luau.sandbox.ExecutionBudget;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.modules.CoreModules;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.EventRun;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TaskListener;
import io.templateworker.worker.vm.TemplateFailure;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant VMs on the Luau engine: one sandboxed {@link LuauState} per tenant (its memory and time limits), and
 * each template an environment in it ({@link LuauState#newEnvironment()}: own globals over the frozen shared
 * builtins) with {@code require} bound to its files: the template's own over the {@code templates.libraries}
 * folders ({@link Overlay}, {@link TemplateLibraries}). With {@code templates.builtins} set, every VM also holds the
 * builtins' isolate, whose {@code ./builtins.templateloop} function handles every event. Files are compiled once
 * per process through the {@link ChunkCache}.
 *
 * <p>An event's handlers run as scheduler tasks on "runner" coroutines: a runner runs handler after handler
 * until one waits (a host call through {@link LuauState#await}, {@code task.wait}); the next handlers then go
 * to another runner, so a template waiting on I/O never holds up its siblings, and an event whose handlers do
 * not wait costs one coroutine hand-off, not one per template. Idle runners are kept for the next event.
 *
 * <p>{@code print} writes to the tenant's log (through the VM's {@link TaskListener}), naming the template whose
 * code called it; with {@link #withDebug debug} on, {@code _debug(...)} pretty-prints its arguments there too.
 * Each task the scheduler resumes gets at least the give time of the slice ({@code limits.give_time_ms}).
 */
public final class LuauIsolateFactory implements IsolateFactory {
  private static final Logger LOG = LoggerFactory.getLogger(LuauIsolateFactory.class);
  private static final String ENTRY = "init.luau";
  /** The state's own file system: empty, since every template environment gets its files bound. */
  private static final ModuleSource NO_FILES = path -> null;
  /** Longest line {@code print} keeps. */
  static final int MAX_PRINT_CHARS = 4000;

  private final Limits limits;
  private final ChunkCache chunks;
  private final Duration giveTime;
  private final boolean debug;
  /** What {@code ctx} offers ({@code ctx.KV}, ...); each tenant VM gets its own {@link PluginHost} over them. */
  private final Plugins plugins;
  private final TemplateLibraries libraries;

  public LuauIsolateFactory(Limits limits, ChunkCache chunks) {
    this(limits, chunks, Duration.ofSeconds(1), false, Plugins.none(), TemplateLibraries.NONE);
  }

  private LuauIsolateFactory(Limits limits, ChunkCache chunks, Duration giveTime, boolean debug, Plugins plugins,
      TemplateLibraries libraries) {
    this.limits = limits;
    this.chunks = chunks;
    this.giveTime = giveTime;
    this.debug = debug;
    this.plugins = plugins;
    this.libraries = libraries;
  }

  public LuauIsolateFactory(Limits limits) {
    this(limits, ChunkCache.shared());
  }

  public static LuauIsolateFactory withDefaultLimits() {
    return new LuauIsolateFactory(Limits.defaults());
  }

  /** The least of the time slice a resumed task gets ({@code limits.give_time_ms}; zero = none). */
  public LuauIsolateFactory withGiveTime(Duration give) {
    return new LuauIsolateFactory(limits, chunks, give, debug, plugins, libraries);
  }

  /** The same factory with these plugins on {@code ctx}. */
  public LuauIsolateFactory withPlugins(Plugins p) {
    return new LuauIsolateFactory(limits, chunks, giveTime, debug, p, libraries);
  }

  public Plugins plugins() {
    return plugins;
  }

  /** With {@code _debug(...)} defined in every VM ({@code --worker-debug}). */
  public LuauIsolateFactory withDebug(boolean on) {
    return new LuauIsolateFactory(limits, chunks, giveTime, on, plugins, libraries);
  }

  /** With {@code templates.libraries} beneath every template's files and {@code templates.builtins} run first. */
  public LuauIsolateFactory withLibraries(TemplateLibraries folders) {
    return new LuauIsolateFactory(limits, chunks, giveTime, debug, plugins, folders);
  }

  public TemplateLibraries libraries() {
    return libraries;
  }

  @Override
  public boolean hasBuiltins() {
    return libraries.hasBuiltins();
  }

  public ChunkCache chunks() {
    return chunks;
  }

  public Limits limits() {
    return limits;
  }

  @Override
  public TenantEngine open(TenantId tenant) {
    LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits).withModules(NO_FILES));
    CoreModules.install(state); // require("@antiraid/...")
    return new LuauTenantEngine(state, chunks, limits.memoryBytes(), giveTime.toNanos(), debug,
        new PluginHost(state, plugins), libraries);
  }

  /**
   * Evaluates {@code file} of {@code templates.builtins} (e.g. {@code builtins.register.luau}) in a throw-away VM over
   * [builtins_patches, builtins, TemplatingTypes], as upstream's register mode does (UPSTREAM.md §11), and returns
   * what it returns.
   */
  public KhronosValue evaluateBuiltinsFile(String file) throws TemplateFailure {
    if (!libraries.hasBuiltins()) {
      throw new TemplateFailure("templates.builtins is not set: there is no " + file + " to evaluate", false);
    }
    try (TenantEngine engine = open(TenantId.guild(1))) { // no tenant: the VM is thrown away
      return ((LuauTenantEngine) engine).evaluate(file);
    }
  }

  @Override
  public KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure {
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits))) {
      CoreModules.install(state);
      state.defineFunction("print", (L, args) -> {
        LOG.info("tenant={} script={} print: {}", ctx.tenant(), name, printText(L, args));
        return LuauFunction.NONE;
      });
      LuauTable env = state.newEnvironment();
      Chunk chunk = Luau.compile(code, name);
      Object[] r = state.call(state.load(chunk, env), ContextTable.build(ctx, new LuauTable(), limits.memoryBytes(), new PluginHost(state, plugins)));
      state.runPending();
      return KhronosLuau.toKhronos(r.length == 0 ? null : r[0]);
    } catch (CompileError e) {
      throw new TemplateFailure(e.getMessage(), false);
    } catch (LuauError e) {
      throw failure(e);
    } catch (KhronosException e) {
      throw new TemplateFailure("the script's result cannot be returned: " + e.getMessage(), false);
    }
  }

  static TemplateFailure failure(LuauError e) {
    boolean fatal = e instanceof LimitExceeded le && le.kind() == LimitExceeded.Kind.MEMORY;
    return new TemplateFailure(e.getMessage(), e.traceback(), fatal);
  }

  /** {@code print}'s text: its arguments through {@code tostring}, tab-separated, cut at {@value #MAX_PRINT_CHARS}. */
  static String printText(LuauThread L, Object[] args) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < args.length && b.length() <= MAX_PRINT_CHARS; i++) {
      if (i > 0) {
        b.append('\t');
      }
      b.append(Ops.tostring(L, args[i]));
    }
    return b.length() > MAX_PRINT_CHARS ? b.substring(0, MAX_PRINT_CHARS) + " …(truncated)" : b.toString();
  }

  /** One tenant's LuauState; its templates are environments in it. */
  private static final class LuauTenantEngine implements TenantEngine {
    private final LuauState state;
    private final RequireLib require;
    private final ChunkCache chunks;
    private final long memoryLimit;
    private final PluginHost pluginHost;
    private final TemplateLibraries libraries;
    /** Each loaded template's environment, so prints and failed tasks are blamed on the right template. */
    private final Map<LuauTable, String> templateOfEnv = new IdentityHashMap<>();
    private TaskListener listener;
    private boolean broken;

    LuauTenantEngine(LuauState state, ChunkCache chunks, long memoryLimit, long giveNanos, boolean debug,
        PluginHost pluginHost, TemplateLibraries libraries) {
      this.state = state;
      this.chunks = chunks;
      this.memoryLimit = memoryLimit;
      this.pluginHost = pluginHost;
      this.libraries = libraries;
      state.defineFunction("print", this::print);
      if (debug) {
        state.defineFunction("_debug", this::debugPrint);
      }
      state.vm().budget().setGiveTime(giveNanos);
      // CPU-bound handlers take turns on fewer carriers than there are cores: other tenants stay served (issue 16).
      state.vm().budget().setCarrierShare(io.templateworker.luau.sandbox.CarrierShare.shared());
      this.require = RequireLib.of(state.builtins());
      state.scheduler().setTaskErrorHandler(this::taskFailed);
    }

    private String templateOf(LuauThread L) {
      LuauTable env = LuauState.callerEnvironment(L);
      return env == null ? null : templateOfEnv.get(env);
    }

    private Object[] print(LuauThread L, Object[] args) {
      String text = printText(L, args);
      if (listener != null) {
        listener.printed(templateOf(L), text);
      }
      return LuauFunction.NONE;
    }

    private Object[] debugPrint(LuauThread L, Object[] args) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < args.length && b.length() <= DebugFormat.MAX_CHARS; i++) {
        b.append(i == 0 ? "" : "\n").append(DebugFormat.format(args[i]));
      }
      if (listener != null) {
        listener.printed(templateOf(L), b.toString());
      }
      return LuauFunction.NONE;
    }

    /** On the VM's thread, from inside the scheduler. */
    private void taskFailed(LuauThread task, LuauError error) {
      TemplateFailure f = failure(error);
      broken |= f.fatal();
      if (task.body() instanceof Runner r && r.batch != null && r.index >= 0) {
        // Only internal errors get here: a runner catches its handlers' Luau errors itself.
        r.batch.run.failed(r.index, f);
        return;
      }
      String template = task.body() instanceof LuauClosure c ? templateOfEnv.get(c.env) : null;
      if (listener != null) {
        listener.taskFailed(template, f.describe(), f.fatal());
      }
    }

    @Override
    public void setTaskListener(TaskListener listener) {
      this.listener = listener;
      state.scheduler().setWakeListener(listener::taskReady);
      state.vm().budget().setHostWaitListener(new ExecutionBudget.HostWaitListener() {
        @Override
        public void waitBegins() {
          listener.waitBegins();
        }

        @Override
        public void waitEnded() {
          listener.waitEnded();
        }
      });
    }

    @Override
    public boolean hasPendingTasks() {
      return state.scheduler().hasPendingWork();
    }

    @Override
    public long nanosUntilTasksDue() {
      long next = state.scheduler().nextWakeUpNanos();
      return next == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, next - state.options().clock().nanoTime());
    }

    @Override
    public void runTasks() {
      try {
        state.runPending();
      } catch (LuauError e) {
        // The scheduler reports each task's own failure; this is one outside any task.
        TemplateFailure f = failure(e);
        broken |= f.fatal();
        if (listener != null) {
          listener.taskFailed(null, f.describe(), f.fatal());
        }
      }
    }

    @Override
    public void start(EventRun run, List<TemplateIsolate> isolates, List<TemplateContext> contexts) {
      Batch batch = new Batch(run, isolates, contexts);
      while (batch.hasNext() && !broken) {
        // A new runner per event rather than an idle one resumed: starting a fresh continuation and letting it end
        // costs less than thawing a parked one's stack and freezing it again (~15 % of a child's CPU per event).
        Runner runner = new Runner();
        runner.batch = batch;
        int before = batch.next;
        state.spawn(runner, LuauFunction.NONE); // no arguments: the shared empty array, not a new one per event
        // The runner is back: ended (the batch is done) or waiting inside handler runner.index (the next runner
        // takes the handlers after it).
        if (batch.next == before && batch.hasNext()) {
          // It died before taking a handler (it could not even start): do not spin on it.
          run.failed(batch.next++, "internal error: the task to run this template could not start", null, false);
        }
      }
    }

    @Override
    public void stop(EventRun run, int i, String why) {
      Object task = run.task(i);
      run.failed(i, why, null, false);
      if (task instanceof Runner r && r.thread != null && r.thread.status() == LuauThread.Status.SUSPENDED) {
        try {
          state.scheduler().cancel(r.thread);
        } catch (LuauError e) {
          LOG.debug("could not stop a handler's task: {}", e.getMessage());
        }
      }
    }

    @Override
    public TemplateIsolate load(Template template) throws TemplateFailure {
      String source = template.content().get(ENTRY);
      if (source == null) {
        throw new TemplateFailure("template has no " + ENTRY, false);
      }
      List<FileTree> layers = new ArrayList<>(libraries.templateLayers().size() + 1);
      layers.add(FileTree.of(template.name(), template.content()));
      layers.addAll(libraries.templateLayers());
      LuauTable env = newIsolateEnvironment(template.name(), new Overlay(layers, chunks));
      try {
        Object[] returned = run(env, "/" + ENTRY, source.getBytes(StandardCharsets.UTF_8));
        if (returned.length == 0 || !(returned[0] instanceof LuauTable handlers)) {
          throw new TemplateFailure(ENTRY + " must return a table of handlers keyed by event name, got "
              + (returned.length == 0 ? "nothing" : Values.typeName(returned[0])), false);
        }
        return isolate(env, handlers, null);
      } catch (TemplateFailure | RuntimeException e) {
        forget(env);
        throw e;
      }
    }

    @Override
    public TemplateIsolate loadBuiltins() throws TemplateFailure {
      Overlay files = new Overlay(libraries.builtinsLayers(), chunks);
      String entry = "/" + TemplateLibraries.BUILTINS_ENTRY;
      byte[] source = files.read(entry);
      if (source == null) {
        throw new TemplateFailure("templates.builtins has no " + TemplateLibraries.BUILTINS_ENTRY, false);
      }
      LuauTable env = newIsolateEnvironment(io.templateworker.worker.vm.TenantVm.BUILTINS_ID, files);
      try {
        Object[] returned = run(env, entry, source);
        if (returned.length == 0 || !(returned[0] instanceof LuauFunction loop)) {
          throw new TemplateFailure("./builtins.templateloop must return a function (called with the root context for"
              + " each event), got " + (returned.length == 0 ? "nothing" : Values.typeName(returned[0])), false);
        }
        return isolate(env, null, loop);
      } catch (TemplateFailure | RuntimeException e) {
        forget(env);
        throw e;
      }
    }

    KhronosValue evaluate(String file) throws TemplateFailure {
      Overlay files = new Overlay(libraries.builtinsLayers(), chunks);
      byte[] source = files.read("/" + file);
      if (source == null) {
        throw new TemplateFailure("templates.builtins has no " + file, false);
      }
      LuauTable env = newIsolateEnvironment("$" + file, files);
      Object[] returned = run(env, "/" + file, source);
      try {
        return KhronosLuau.toKhronos(returned.length == 0 ? null : returned[0]);
      } catch (KhronosException e) {
        throw new TemplateFailure(file + " returned a value that cannot leave the VM: " + e.getMessage(), false);
      }
    }

    /** An environment whose {@code require} reads {@code files}, known as {@code name} in prints and errors. */
    private LuauTable newIsolateEnvironment(String name, Overlay files) {
      LuauTable env = state.newEnvironment();
      require.bindModules(env, files);
      templateOfEnv.put(env, name);
      return env;
    }

    /** Runs an entry file in {@code env} (and whatever it scheduled); Luau errors become {@link TemplateFailure}. */
    private Object[] run(LuauTable env, String path, byte[] source) throws TemplateFailure {
      try {
        Chunk chunk = chunks.compile(path, source);
        Object[] returned = state.call(state.load(chunk, env));
        state.runPending();
        return returned;
      } catch (CompileError e) {
        throw new TemplateFailure(e.getMessage(), false);
      } catch (LuauError e) {
        TemplateFailure f = failure(e);
        broken |= f.fatal();
        throw f;
      }
    }

    private LuauIsolate isolate(LuauTable env, LuauTable handlers, LuauFunction always) {
      if (handlers != null) {
        state.retain(handlers);
      }
      if (always != null) {
        state.retain(always);
      }
      LuauTable store = new LuauTable();
      state.retain(store);
      return new LuauIsolate(this, env, handlers, always, store);
    }

    private void forget(LuauTable env) {
      templateOfEnv.remove(env);
      state.dropEnvironment(env);
    }

    @Override
    public boolean isBroken() {
      return broken;
    }

    @Override
    public void close() {
      state.close();
    }

    /** One event's handlers and the position of the next to start; shared by the runners that start them. */
    private static final class Batch {
      final EventRun run;
      final List<TemplateIsolate> isolates;
      final List<TemplateContext> contexts;
      int next;

      Batch(EventRun run, List<TemplateIsolate> isolates, List<TemplateContext> contexts) {
        this.run = run;
        this.isolates = isolates;
        this.contexts = contexts;
      }

      /** Skips handlers already done (e.g. a template that failed to load); true if one is left to start. */
      boolean hasNext() {
        while (next < run.size() && run.isDone(next)) {
          next++;
        }
        return next < run.size();
      }
    }

    /**
     * The body of a runner coroutine: runs the handlers of its batch one after another, then ends. A handler that
     * waits suspends the runner with it; once the handler ends the runner finds its batch done and ends too.
     */
    private final class Runner extends LuauFunction {
      Batch batch;
      /** The handler running now, -1 between handlers. */
      int index = -1;
      LuauThread thread;

      @Override
      public Object[] call(LuauThread L, Object[] args) {
        thread = L;
        Batch b = batch;
        boolean first = true; // the scheduler gave this runner its time when it started it
        while (b.hasNext()) {
          int i = b.next++;
          if (broken) {
            b.run.failed(i, "not run: a template of this tenant exhausted the VM's memory;"
                + " the VM is rebuilt on the next event", null, false);
            continue;
          }
          index = i;
          b.run.setTask(i, this);
          if (!first) {
            L.vm().budget().giveTime(); // each handler gets at least the give time, as a task of its own would
          }
          first = false;
          runHandler(L, b, i);
          index = -1;
        }
        batch = null;
        // Its coroutine ends here: what creating it charged is not held by the VM (one runner per event).
        L.vm().release(LuauVM.COROUTINE_BYTES);
        return LuauFunction.NONE;
      }

      private void runHandler(LuauThread L, Batch b, int i) {
        LuauIsolate isolate = (LuauIsolate) b.isolates.get(i);
        TemplateContext ctx = b.contexts.get(i);
        try {
          Object handler = isolate.handler(ctx.event().name());
          if (handler == null) {
            b.run.succeeded(i, KhronosValue.Null.INSTANCE);
            return;
          }
          Object[] r = L.call(handler, isolate.contextTable(ctx));
          b.run.succeeded(i, KhronosLuau.toKhronos(r.length == 0 ? null : r[0]));
        } catch (LuauError e) {
          TemplateFailure f = failure(e);
          broken |= f.fatal();
          b.run.failed(i, f);
        } catch (KhronosException e) {
          b.run.failed(i, "the handler's result cannot be returned: " + e.getMessage(), null, false);
        } catch (RuntimeException e) {
          b.run.failed(i, "internal error in the template runtime: " + e, null, false);
        }
      }

      @Override
      public String name() {
        return "template";
      }
    }
  }

  /**
   * A template's environment and its handlers, or the builtins' environment and the function that handles every
   * event ({@code always}, what {@code ./builtins.templateloop} returned).
   */
  private static final class LuauIsolate implements TemplateIsolate {
    private final LuauTenantEngine vm;
    private final LuauTable env;
    private final LuauTable handlers;
    private final LuauFunction always;
    private final LuauTable store;
    private final ContextTable.Constants contextConstants = new ContextTable.Constants();

    LuauIsolate(LuauTenantEngine vm, LuauTable env, LuauTable handlers, LuauFunction always, LuauTable store) {
      this.vm = vm;
      this.env = env;
      this.handlers = handlers;
      this.always = always;
      this.store = store;
    }

    /** The handler for {@code event}, or null when the template has none. */
    Object handler(String event) {
      if (always != null) {
        return always;
      }
      Object handler = handlers.rawget(ContextTable.eventName(event));
      return handler instanceof LuauFunction ? handler : null;
    }

    LuauTable contextTable(TemplateContext ctx) {
      return ContextTable.build(ctx, store, vm.memoryLimit, vm.pluginHost, contextConstants);
    }

    @Override
    public KhronosValue handle(TemplateContext ctx) throws TemplateFailure {
      Object handler = handler(ctx.event().name());
      if (handler == null) {
        return KhronosValue.Null.INSTANCE;
      }
      try {
        Object[] r = vm.state.call(handler, contextTable(ctx));
        if (vm.state.scheduler().hasPendingWork()) {
          vm.state.runPending();
        }
        return KhronosLuau.toKhronos(r.length == 0 ? null : r[0]);
      } catch (LuauError e) {
        TemplateFailure f = failure(e);
        vm.broken |= f.fatal();
        throw f;
      } catch (KhronosException e) {
        throw new TemplateFailure("the handler's result cannot be returned: " + e.getMessage(), false);
      }
    }

    @Override
    public boolean isBroken() {
      return vm.broken;
    }

    @Override
    public void close() {
      if (handlers != null) {
        vm.state.release(handlers);
      }
      if (always != null) {
        vm.state.release(always);
      }
      vm.state.release(store);
      vm.forget(env);
    }
  }
}
