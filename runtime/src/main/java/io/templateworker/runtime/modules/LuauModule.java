package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.SizedPayload;
import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Ops;
import io.templateworker.runtime.values.HostArgs;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * {@code @antiraid/luau}: {@code load(code)} → a {@code Chunk} (fields {@code code}, {@code chunk_name},
 * {@code environment}, {@code optimization_level} (0, 1 or 2), methods {@code call(...)} and
 * {@code call_async(...)}), and {@code format(...)} (values pretty-printed, joined by tabs). A chunk runs in its
 * {@code environment}, by default the environment of the code that calls it; source text only, never bytecode.
 */
final class LuauModule {
  private LuauModule() {
  }

  /** The Java side of a Chunk userdata; compiled on first call, again after {@code code} or its name changes. */
  static final class LoadedChunk implements SizedPayload {
    private final LuauState state;
    private String code;
    private String chunkName;
    private LuauTable environment;
    private double optimizationLevel = -1;
    private Chunk compiled;

    LoadedChunk(LuauState state, String code) {
      this.state = state;
      this.code = code;
    }

    @Override
    public long retainedBytes() {
      return code.length() * (compiled == null ? 1L : 9L);
    }

    @Override
    public void references(java.util.function.Consumer<Object> out) {
      out.accept(environment);
    }

    LuauFunction function(LuauThread L) {
      if (compiled == null) {
        L.allocate(code.length() * 8L);
        try {
          compiled = Luau.compile(code, chunkName == null ? "=luau.load" : chunkName);
        } catch (CompileError e) {
          throw LuauError.runtime(e.firstMessage());
        }
      }
      LuauTable env = environment != null ? environment : LuauState.callerEnvironment(L);
      if (env == null) {
        throw LuauError.runtime("Chunk:call: no environment to run in (set chunk.environment)");
      }
      return L.vm().load(compiled, env);
    }
  }

  static final UserdataType<LoadedChunk> CHUNK = UserdataType.builder("Chunk", LoadedChunk.class)
      .field("code", c -> LuauString.of(c.code), (c, v) -> {
        c.code = string(v, "code");
        c.compiled = null;
      })
      .field("chunk_name", c -> c.chunkName == null ? null : LuauString.of(c.chunkName), (c, v) -> {
        c.chunkName = v == null ? null : string(v, "chunk_name");
        c.compiled = null;
      })
      .field("environment", c -> c.environment, (c, v) -> {
        if (!(v instanceof LuauTable t)) {
          throw LuauError.runtime("Chunk.environment must be a table, got " + HostArgs.typeName(v));
        }
        c.environment = t;
      })
      .field("optimization_level", c -> c.optimizationLevel < 0 ? null : c.optimizationLevel, (c, v) -> {
        if (!(v instanceof Double d) || (d != 0 && d != 1 && d != 2)) {
          throw LuauError.runtime("Invalid optimization level. Must be 0, 1 or 2");
        }
        c.optimizationLevel = d; // kept for compatibility: the engine has one optimisation level
      })
      .method("call", (L, self, a) -> Ops.call(L, self.function(L), a))
      .method("call_async", LuauModule::callAsync)
      .build();

  private static String string(Object v, String name) {
    if (v instanceof LuauString s) {
      return s.toString();
    }
    throw LuauError.runtime("Chunk." + name + " must be a string, got " + HostArgs.typeName(v));
  }

  static LuauTable create(LuauState state) {
    return new ModuleTable()
        .fn("load", (L, a) -> {
          LoadedChunk c = new LoadedChunk(state, HostArgs.text(a, 0, "load", "code"));
          return new Object[] {CHUNK.wrap(L, c, c.code.length())};
        })
        .fn("format", (L, a) -> new Object[] {LuauString.of(PrettyFormat.values(L, a))})
        .build();
  }

  /**
   * Runs the chunk as a task of its own and waits for it: inside a task the caller yields meanwhile (other tasks
   * run); outside one it is a plain call.
   */
  private static Object[] callAsync(LuauThread L, LoadedChunk self, Object[] a) {
    LuauFunction fn = self.function(L);
    if (!self.state.scheduler().isTask(L)) {
      return Ops.call(L, fn, a);
    }
    CompletableFuture<Object[]> done = new CompletableFuture<>();
    LuauFunction body = LuauFunction.host("call_async", (T, args) -> {
      try {
        done.complete(Ops.call(T, fn, args));
      } catch (LuauError e) {
        done.completeExceptionally(e);
      }
      return LuauFunction.NONE;
    });
    self.state.scheduler().spawn(L, body, Arrays.copyOf(a, a.length));
    return self.state.await(L, done);
  }
}
