package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.MapModuleSource;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a script as a template would: in a sandboxed state with the core modules installed, as a task of the
 * VM's scheduler (so channel waits yield), driven until nothing is pending. Returns what the script returned.
 */
final class ModuleScripts {
  private ModuleScripts() {
  }

  static Object[] run(String source) {
    return run(new MapModuleSource(), source);
  }

  static Object[] run(MapModuleSource files, String source) {
    try (LuauState state = LuauState.create(StateOptions.defaults().withModules(files)
        .withLimits(Limits.defaults()))) {
      CoreModules.install(state);
      LuauTable env = state.newEnvironment();
      LuauFunction main = state.load(Luau.compile(source, "/init.luau"), env);
      AtomicReference<Object[]> result = new AtomicReference<>();
      AtomicReference<LuauError> error = new AtomicReference<>();
      LuauFunction task = LuauFunction.host("script", (L, a) -> {
        try {
          result.set(L.call(main));
        } catch (LuauError e) {
          error.set(e);
        }
        return LuauFunction.NONE;
      });
      state.spawn(task);
      try {
        state.scheduler().runUntilIdle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (!state.scheduler().errors().isEmpty()) {
        throw state.scheduler().errors().get(0);
      }
      if (error.get() != null) {
        throw error.get();
      }
      if (result.get() == null) {
        throw new AssertionError("the script did not finish (still waiting?)");
      }
      return result.get();
    }
  }

  /** The error message the script fails with. */
  static String error(String source) {
    try {
      run(source);
    } catch (LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("script did not fail: " + source);
  }
}
