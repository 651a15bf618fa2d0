package io.templateworker.luau.vm;

import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;

/** The activation of one Luau function call: its slots, varargs, current line, and pending return/tail call. */
public final class Frame {
  public final LuauThread L;
  public final LuauClosure closure;
  public final Object[] slots;
  public final Object[] varargs;
  public final LuauTable env;
  /** The source line being executed, for error positions and tracebacks. */
  public int line;
  /** Values of the executed {@code return}; null when a single value was returned in {@link #ret1}. */
  public Object[] ret;
  /** The value of a single-value {@code return} (valid when {@link #ret} is null after the body ran). */
  public Object ret1;
  /** A tail call requested by {@code return f(...)}: run by the caller loop so the Java stack stays flat. */
  public Object tailFn;
  public Object[] tailArgs;
  /**
   * The function this frame is calling through {@link io.templateworker.luau.value.LuauFunction#call}: set
   * before the call, cleared when it returns (left set when it throws, which ends this frame too), so a
   * traceback can show a running builtin as a "[C] function name" line, as Luau does.
   */
  public LuauFunction hostCallee;

  Frame(LuauThread L, LuauClosure closure, Object[] slots, Object[] varargs) {
    this.L = L;
    this.closure = closure;
    this.slots = slots;
    this.varargs = varargs;
    this.env = closure.env;
    this.line = closure.proto.lineDefined;
  }
}
