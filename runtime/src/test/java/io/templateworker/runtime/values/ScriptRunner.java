package io.templateworker.runtime.values;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauTable;
import java.util.function.Consumer;

/** Runs a Luau snippet in a sandboxed state for tests: {@code ...} are the given arguments. */
public final class ScriptRunner {
  private ScriptRunner() {
  }

  public static Object[] run(String source, Object... args) {
    return run(s -> { }, source, args);
  }

  /** The same, after {@code setup} prepared the state (define globals, install modules). */
  public static Object[] run(Consumer<LuauState> setup, String source, Object... args) {
    try (LuauState state = LuauState.create(StateOptions.defaults().withModules(path -> null))) {
      setup.accept(state);
      LuauTable env = state.newEnvironment();
      Object[] r = state.call(state.load(io.templateworker.luau.embed.Luau.compile(source, "test"), env), args);
      state.runPending();
      return r;
    }
  }

  /** The error message a snippet fails with. */
  public static String error(String source, Object... args) {
    try {
      run(source, args);
    } catch (LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("script did not fail: " + source);
  }
}
