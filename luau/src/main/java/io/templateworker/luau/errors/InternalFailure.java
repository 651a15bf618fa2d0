package io.templateworker.luau.errors;

import io.templateworker.luau.value.LuauString;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Java exception that escaped a builtin, a host function or the engine itself (a bug: they should raise
 * {@link LuauError}s), turned into an ordinary Luau error so that it never reaches a user as a Java stack trace
 * and a script's {@code pcall} can handle it. The message says what failed in words ("internal error in
 * 'format': index out of range"); the Java exception stays available as {@link #getCause()} for the embedder's
 * logs. Every conversion is counted ({@link #count()}, exposed as {@code luau_internal_errors_total}).
 */
public final class InternalFailure extends LuauError {
  private static final long serialVersionUID = 1L;
  private static final AtomicLong COUNT = new AtomicLong();

  private InternalFailure(String message, Throwable cause) {
    super(LuauString.of(message), true, cause);
  }

  /** Java exceptions turned into Luau errors in this process so far. */
  public static long count() {
    return COUNT.get();
  }

  /**
   * The Luau error for {@code t}, escaping from {@code function} (a builtin's or host function's name, or
   * null when the failure was in the engine's own code running a Luau function). Counted.
   */
  public static InternalFailure of(Throwable t, String function) {
    COUNT.incrementAndGet();
    String what = function == null ? "internal error" : "internal error in '" + function + "'";
    return new InternalFailure(what + ": " + describe(t), t);
  }

  /** What went wrong, in words: no Java class names for the JDK's and the engine's own exceptions. */
  static String describe(Throwable t) {
    String name = t.getClass().getName();
    boolean ours = name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.");
    if (!ours && t.getMessage() != null && !t.getMessage().isBlank()) {
      return t.getMessage(); // an embedder's own exception: its message was written for people
    }
    return switch (t) {
      case IndexOutOfBoundsException e -> "index out of range";
      case NegativeArraySizeException e -> "negative size";
      case ArithmeticException e -> "arithmetic overflow";
      case NullPointerException e -> "missing value";
      case ClassCastException e -> "unexpected value type";
      case NumberFormatException e -> "malformed number";
      case IllegalArgumentException e -> "invalid argument";
      case IllegalStateException e -> "invalid state";
      case UnsupportedOperationException e -> "unsupported operation";
      case java.util.ConcurrentModificationException e -> "a table changed during the operation";
      case OutOfMemoryError e -> "not enough memory";
      default -> "unexpected failure";
    };
  }
}
