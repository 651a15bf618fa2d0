package io.templateworker.worker.luau;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.require.RequireLib;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.modules.CoreModules;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TaskListener;
import io.templateworker.worker.vm.TemplateFailure;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Tenant VMs on the Luau engine: one sandboxed {@link LuauState} per tenant (its memory and time limits), and
 * each template an environment in it ({@link LuauState#newEnvironment()}: own globals over the frozen shared
 * builtins) with {@code require} bound to the template's own content map. Template files are compiled once
 * per process through the {@link ChunkCache}. The state's task scheduler is driven between events by the
 * tenant VM's owner ({@link TenantEngine#runTasks}); a failed task is reported under the template whose
 * environment its function belongs to.
 */
public final class LuauIsolateFactory implements IsolateFactory {
  private static final String ENTRY = "init.luau";
  /** The state's own file system: empty, since every template environment gets its files bound. */
  private static final ModuleSource NO_FILES = path -> null;

  private final Limits limits;
  private final ChunkCache chunks;
  private final PrintStream stdout;

  /** @param stdout where templates' {@code print} writes */
  public LuauIsolateFactory(Limits limits, ChunkCache chunks, PrintStream stdout) {
    this.limits = limits;
    this.chunks = chunks;
    this.stdout = stdout;
  }

  public LuauIsolateFactory(Limits limits, ChunkCache chunks) {
    this(limits, chunks, StateOptions.defaults().stdout());
  }

  public LuauIsolateFactory(Limits limits) {
    this(limits, ChunkCache.shared());
  }

  public static LuauIsolateFactory withDefaultLimits() {
    return new LuauIsolateFactory(Limits.defaults());
  }

  public ChunkCache chunks() {
    return chunks;
  }

  @Override
  public TenantEngine open(TenantId tenant) {
    LuauState state = LuauState.create(
        StateOptions.defaults().withLimits(limits).withModules(NO_FILES).withStdout(stdout));
    CoreModules.install(state); // require("@antiraid/...")
    return new LuauTenantEngine(state, chunks, limits.memoryBytes());
  }

  @Override
  public KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure {
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits).withStdout(stdout))) {
      CoreModules.install(state);
      LuauTable env = state.newEnvironment();
      Chunk chunk = Luau.compile(code, name);
      Object[] r = state.call(state.load(chunk, env), ContextTable.build(ctx, new LuauTable(), limits.memoryBytes()));
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
    String tb = e.traceback();
    String message = tb == null || tb.isEmpty() ? e.getMessage() : e.getMessage() + "\n" + tb;
    boolean fatal = e instanceof LimitExceeded le && le.kind() == LimitExceeded.Kind.MEMORY;
    return new TemplateFailure(message, fatal);
  }

  /** A template's files as the VFS of its {@code require}; paths are relative to the template root. */
  private record ContentFiles(Map<String, String> content, ChunkCache chunks) implements ModuleSource {
    @Override
    public byte[] read(String path) {
      String p = path.startsWith("/") ? path.substring(1) : path;
      String text = content.get(p);
      if (text == null && !p.endsWith(".luau")) {
        text = content.get(p + ".luau");
      }
      return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Chunk compile(String path, byte[] source) {
      return chunks.compile(path, source);
    }
  }

  /** One tenant's LuauState; its templates are environments in it. */
  private static final class LuauTenantEngine implements TenantEngine {
    private final LuauState state;
    private final RequireLib require;
    private final ChunkCache chunks;
    private final long memoryLimit;
    /** Each loaded template's environment, so a failed task can be blamed on the template whose code it runs. */
    private final Map<LuauTable, String> templateOfEnv = new IdentityHashMap<>();
    private TaskListener listener;
    private boolean broken;

    LuauTenantEngine(LuauState state, ChunkCache chunks, long memoryLimit) {
      this.state = state;
      this.require = RequireLib.of(state.builtins());
      this.chunks = chunks;
      this.memoryLimit = memoryLimit;
      state.scheduler().setTaskErrorHandler(this::taskFailed);
    }

    /** On the VM's thread, from inside the scheduler. */
    private void taskFailed(LuauThread task, LuauError error) {
      TemplateFailure f = failure(error);
      broken |= f.fatal();
      String template = task.body() instanceof LuauClosure c ? templateOfEnv.get(c.env) : null;
      if (listener != null) {
        listener.taskFailed(template, f.getMessage(), f.fatal());
      }
    }

    @Override
    public void setTaskListener(TaskListener listener) {
      this.listener = listener;
      state.scheduler().setWakeListener(listener::taskReady);
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
          listener.taskFailed(null, f.getMessage(), f.fatal());
        }
      }
    }

    @Override
    public TemplateIsolate load(Template template) throws TemplateFailure {
      String source = template.content().get(ENTRY);
      if (source == null) {
        throw new TemplateFailure("template has no " + ENTRY, false);
      }
      LuauTable env = state.newEnvironment();
      require.bindModules(env, new ContentFiles(template.content(), chunks));
      templateOfEnv.put(env, template.name());
      try {
        Chunk chunk = chunks.compile("/" + ENTRY, source);
        Object[] returned = state.call(state.load(chunk, env));
        state.runPending();
        if (returned.length == 0 || !(returned[0] instanceof LuauTable handlers)) {
          throw new TemplateFailure(ENTRY + " must return a table of handlers keyed by event name, got "
              + (returned.length == 0 ? "nothing" : Values.typeName(returned[0])), false);
        }
        state.retain(handlers);
        LuauTable store = new LuauTable();
        state.retain(store);
        return new LuauIsolate(this, env, handlers, store);
      } catch (CompileError e) {
        forget(env);
        throw new TemplateFailure(e.getMessage(), false);
      } catch (LuauError e) {
        forget(env);
        TemplateFailure f = failure(e);
        broken |= f.fatal();
        throw f;
      } catch (TemplateFailure | RuntimeException e) {
        forget(env);
        throw e;
      }
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
  }

  private static final class LuauIsolate implements TemplateIsolate {
    private final LuauTenantEngine vm;
    private final LuauTable env;
    private final LuauTable handlers;
    private final LuauTable store;
    /** The last event name and its Luau key: a template mostly sees the same few events, so skip re-encoding. */
    private String lastEvent;
    private LuauString lastKey;

    LuauIsolate(LuauTenantEngine vm, LuauTable env, LuauTable handlers, LuauTable store) {
      this.vm = vm;
      this.env = env;
      this.handlers = handlers;
      this.store = store;
    }

    @Override
    public KhronosValue handle(TemplateContext ctx) throws TemplateFailure {
      String name = ctx.event().name();
      if (!name.equals(lastEvent)) {
        lastKey = LuauString.of(name);
        lastEvent = name;
      }
      Object handler = handlers.rawget(lastKey);
      if (!(handler instanceof LuauFunction)) {
        return KhronosValue.Null.INSTANCE;
      }
      try {
        Object[] r = vm.state.call(handler, ContextTable.build(ctx, store, vm.memoryLimit));
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
      vm.state.release(handlers);
      vm.state.release(store);
      vm.forget(env);
    }
  }
}
