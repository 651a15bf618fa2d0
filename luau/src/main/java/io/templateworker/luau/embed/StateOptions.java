package io.templateworker.luau.embed;

import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.sandbox.Clock;
import io.templateworker.luau.sandbox.Limits;
import java.io.PrintStream;

/**
 * How to build a {@link LuauState}. Immutable; change with the {@code with*} methods.
 *
 * @param limits memory, CPU slice and call depth
 * @param sandbox freeze the builtins and the string metatable, leave out getfenv/setfenv (upstream's setup)
 * @param allowLoad install {@code loadstring}/{@code load}; loaded code runs with the caller's environment
 * @param stdout where {@code print} writes
 * @param clock time source of the time slice and the task scheduler
 * @param modules the virtual file system {@code require} reads, or null for no {@code require}
 */
public record StateOptions(Limits limits, boolean sandbox, boolean allowLoad, PrintStream stdout, Clock clock,
    ModuleSource modules) {

  public StateOptions {
    if (limits == null || stdout == null || clock == null) {
      throw new IllegalArgumentException("limits, stdout and clock are required");
    }
  }

  /** Upstream's template setup: default limits, sandboxed, no load, print to System.out, no require. */
  public static StateOptions defaults() {
    return new StateOptions(Limits.defaults(), true, false, System.out, Clock.SYSTEM, null);
  }

  public StateOptions withLimits(Limits l) {
    return new StateOptions(l, sandbox, allowLoad, stdout, clock, modules);
  }

  public StateOptions withSandbox(boolean on) {
    return new StateOptions(limits, on, allowLoad, stdout, clock, modules);
  }

  public StateOptions withAllowLoad(boolean on) {
    return new StateOptions(limits, sandbox, on, stdout, clock, modules);
  }

  public StateOptions withStdout(PrintStream out) {
    return new StateOptions(limits, sandbox, allowLoad, out, clock, modules);
  }

  public StateOptions withClock(Clock c) {
    return new StateOptions(limits, sandbox, allowLoad, stdout, c, modules);
  }

  public StateOptions withModules(ModuleSource source) {
    return new StateOptions(limits, sandbox, allowLoad, stdout, clock, source);
  }
}
