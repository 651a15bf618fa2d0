package io.templateworker.luau.errors;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.Values;

/** The one factory for run-time error messages, worded like Luau's. */
public final class Errors {
  private Errors() {
  }

  /** "invalid argument #1 to 'insert' (table expected, got nil)". */
  public static LuauError badArgument(int argNo, String fname, String detail) {
    return LuauError.runtime("invalid argument #" + argNo + " to '" + fname + "' (" + detail + ")");
  }

  /** "invalid argument #1 to 'insert' (table expected, got nil)" from the expected type and the actual value. */
  public static LuauError typeMismatch(int argNo, String fname, String expected, Object got) {
    return badArgument(argNo, fname, expected + " expected, got " + gotName(got));
  }

  /** The type name used after "got" in argument errors. */
  public static String gotName(Object got) {
    return Values.typeName(got);
  }

  /** An absent argument (fewer arguments than needed): "missing argument #1 to 'len' (string expected)". */
  public static LuauError typeMismatchMissing(int argNo, String fname, String expected) {
    return LuauError.runtime("missing argument #" + argNo + " to '" + fname + "' (" + expected + " expected)");
  }

  /** An absent argument where any value would do (Luau's luaL_checkany): "missing argument #1". */
  public static LuauError missingArgument(int argNo) {
    return LuauError.runtime("missing argument #" + argNo);
  }

  /** "attempt to perform arithmetic (add) on nil and number"; one type name when both operands share it. */
  public static LuauError arithmetic(String op, Object a, Object b) {
    String ta = Values.typeName(a);
    String tb = Values.typeName(b);
    if (ta.equals(tb)) {
      return arithmetic(op, a);
    }
    return LuauError.operation("attempt to perform arithmetic (" + op + ") on " + ta + " and " + tb);
  }

  /** "attempt to call missing method 'name' of table": a method call whose method is nil. */
  public static LuauError missingMethod(LuauString name, Object self) {
    return LuauError.operation("attempt to call missing method '" + cString(name) + "' of " + Values.typeName(self));
  }

  /** A name as Luau's message formatting (a C %s) shows it: up to its first NUL byte. */
  private static LuauString cString(LuauString s) {
    byte[] b = s.bytes();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  /** "attempt to perform arithmetic (unm) on nil". */
  public static LuauError arithmetic(String op, Object a) {
    return LuauError.operation("attempt to perform arithmetic (" + op + ") on " + Values.typeName(a));
  }

  /** "attempt to index nil with 'x'" (string keys quoted, other keys by type). */
  public static LuauError index(Object obj, Object key) {
    // long keys are named by type only, as Luau does, to keep messages short
    String k = key instanceof LuauString s && s.length() <= 64 ? "'" + cString(s) + "'" : Values.typeName(key);
    return LuauError.operation("attempt to index " + Values.typeName(obj) + " with " + k);
  }

  public static LuauError call(Object fn) {
    return LuauError.operation("attempt to call a " + Values.typeName(fn) + " value");
  }

  public static LuauError concat(Object a, Object b) {
    return LuauError.operation("attempt to concatenate " + Values.typeName(a) + " with " + Values.typeName(b));
  }

  /** "attempt to compare nil < number". */
  public static LuauError compare(Object a, String op, Object b) {
    return LuauError.operation("attempt to compare " + Values.typeName(a) + " " + op + " " + Values.typeName(b));
  }

  public static LuauError length(Object v) {
    return LuauError.operation("attempt to get length of a " + Values.typeName(v) + " value");
  }

  public static LuauError readonly() {
    return LuauError.operation("attempt to modify a readonly table");
  }

  /**
   * Luau's error for a memory block over its size cap (a string or buffer past 1 GiB built by a library):
   * raised as a memory error, so it carries no position.
   */
  public static LuauError blockTooBig() {
    return new LuauError(io.templateworker.luau.value.LuauString.of("memory allocation error: block too big"));
  }

  /** Luau's error for a table past its size cap (2^26 array or hash slots); raised without a position. */
  public static LuauError tableOverflow() {
    return new LuauError(io.templateworker.luau.value.LuauString.of("table overflow"));
  }
}
