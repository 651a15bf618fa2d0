package io.templateworker.luau.errors;

import io.templateworker.luau.value.LuauString;

/**
 * A Luau error in flight: carries the thrown Luau value (any type) and, once it has crossed a Luau frame,
 * a traceback. No Java stack trace is filled: Luau errors are control flow, and scripts raise many.
 */
public class LuauError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private transient Object value;
  private String traceback;
  /** True while the message still lacks the "chunk:line: " prefix of the Luau code that caused it. */
  private boolean needsPosition;
  /** Raised by an operation of the VM (index, call, compare, readonly...), not by a library's own check. */
  private boolean operation;

  public LuauError(Object value) {
    super(null, null, false, false);
    this.value = value;
  }

  protected LuauError(Object value, boolean needsPosition) {
    this(value);
    this.needsPosition = needsPosition;
  }

  /** With the Java exception behind it (see {@link InternalFailure}). */
  protected LuauError(Object value, boolean needsPosition, Throwable cause) {
    super(null, cause, false, false);
    this.value = value;
    this.needsPosition = needsPosition;
  }

  /** An error raised by a builtin or an operation; the interpreter prefixes it with the caller's position. */
  public static LuauError runtime(String message) {
    return new LuauError(LuauString.of(message), true);
  }

  /**
   * An error of an operation (Luau's luaG_runerror: index, call, arithmetic, compare, concat, readonly): positioned
   * like {@link #runtime(String)} when Luau code did the operation, but with no position when a builtin did it on
   * the script's behalf ({@code rawset} on a frozen table, {@code table.sort} comparing a string with a number).
   */
  public static LuauError operation(String message) {
    LuauError e = new LuauError(LuauString.of(message), true);
    e.operation = true;
    return e;
  }

  /** Whether this is an {@link #operation(String)} error. */
  public boolean isOperation() {
    return operation;
  }

  /** Like {@link #runtime(String)} for a message of arbitrary bytes (kept as they are). */
  public static LuauError runtime(LuauString message) {
    return new LuauError(message, true);
  }

  /** The Luau value that was thrown (a LuauString for most errors, but error() accepts anything). */
  public Object value() {
    return value;
  }

  public String traceback() {
    return traceback;
  }

  public void setTraceback(String traceback) {
    this.traceback = traceback;
  }

  public boolean needsPosition() {
    return needsPosition;
  }

  /** Prefixes the message with a position ("chunk:line: "), once; an empty position just marks it done. */
  public void addPosition(String where) {
    if (needsPosition) {
      needsPosition = false;
      if (!where.isEmpty() && value instanceof LuauString s) {
        value = LuauString.of(where).concat(s); // bytes, not a UTF-8 round trip
      }
    }
  }

  /** Marks the error as positioned without a prefix (raised directly under a builtin like pcall). */
  public void clearPosition() {
    needsPosition = false;
  }

  @Override
  public String getMessage() {
    Object v = value;
    if (v == null) {
      return "nil";
    }
    if (v instanceof LuauString || v instanceof Number || v instanceof Boolean) {
      return v instanceof Double d ? io.templateworker.luau.value.Values.numberToString(d) : v.toString();
    }
    return "(error object is a " + io.templateworker.luau.value.Values.typeName(v) + " value)";
  }
}
