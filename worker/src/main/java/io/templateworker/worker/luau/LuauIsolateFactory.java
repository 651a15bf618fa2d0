package io.templateworker.worker.luau;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TemplateFailure;
import io.templateworker.worker.vm.TemplateIsolate;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds template isolates on the Luau engine. Each isolate is its own sandboxed {@link LuauState} (own VM,
 * own globals, own {@code require} over the template's content map, its own memory and time limits), so
 * templates of one tenant can run side by side and one template's memory error breaks only its tenant's VM.
 */
public final class LuauIsolateFactory implements IsolateFactory {
  private static final String ENTRY = "init.luau";
  private final Limits limits;

  public LuauIsolateFactory(Limits limits) {
    this.limits = limits;
  }

  public static LuauIsolateFactory withDefaultLimits() {
    return new LuauIsolateFactory(Limits.defaults());
  }

  @Override
  public TemplateIsolate create(Template template) throws TemplateFailure {
    String source = template.content().get(ENTRY);
    if (source == null) {
      throw new TemplateFailure("template has no " + ENTRY, false);
    }
    LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits).withModules(new ContentFiles(template.content())));
    try {
      LuauTable env = state.newEnvironment();
      Chunk chunk = Luau.compile(source, "/" + ENTRY);
      Object[] returned = state.call(state.load(chunk, env));
      state.runPending();
      if (returned.length == 0 || !(returned[0] instanceof LuauTable handlers)) {
        throw new TemplateFailure(ENTRY + " must return a table of handlers keyed by event name, got "
            + (returned.length == 0 ? "nothing" : io.templateworker.luau.value.Values.typeName(returned[0])), false);
      }
      state.retain(handlers);
      LuauTable store = new LuauTable();
      state.retain(store);
      return new LuauIsolate(state, handlers, store, limits.memoryBytes());
    } catch (CompileError e) {
      state.close();
      throw new TemplateFailure(e.getMessage(), false);
    } catch (LuauError e) {
      state.close();
      throw failure(e);
    } catch (TemplateFailure | RuntimeException e) {
      state.close();
      throw e;
    }
  }

  @Override
  public KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure {
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits))) {
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

  /** The template's files as the VFS of {@code require}; paths are relative to the template root. */
  private record ContentFiles(Map<String, String> content) implements ModuleSource {
    @Override
    public byte[] read(String path) {
      String p = path.startsWith("/") ? path.substring(1) : path;
      String text = content.get(p);
      if (text == null && !p.endsWith(".luau")) {
        text = content.get(p + ".luau");
      }
      return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final class LuauIsolate implements TemplateIsolate {
    private final LuauState state;
    private final LuauTable handlers;
    private final LuauTable store;
    private final long memoryLimit;
    private boolean broken;

    LuauIsolate(LuauState state, LuauTable handlers, LuauTable store, long memoryLimit) {
      this.state = state;
      this.handlers = handlers;
      this.store = store;
      this.memoryLimit = memoryLimit;
    }

    @Override
    public KhronosValue handle(TemplateContext ctx) throws TemplateFailure {
      Object handler = handlers.rawget(LuauString.of(ctx.event().name()));
      if (!(handler instanceof LuauFunction)) {
        return KhronosValue.Null.INSTANCE;
      }
      try {
        Object[] r = state.call(handler, ContextTable.build(ctx, store, memoryLimit));
        state.runPending();
        return KhronosLuau.toKhronos(r.length == 0 ? null : r[0]);
      } catch (LuauError e) {
        TemplateFailure f = failure(e);
        broken |= f.fatal();
        throw f;
      } catch (KhronosException e) {
        throw new TemplateFailure("the handler's result cannot be returned: " + e.getMessage(), false);
      }
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
}
