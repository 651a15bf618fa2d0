package io.templateworker.runtime.values;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Meta;

/**
 * Argument checks for host functions of the template API. Errors read like Luau's and also name the
 * parameter, e.g. {@code invalid argument #2 (key) to 'aes256encrypt' (string expected, got nil)}. Indexes are
 * 0-based in, 1-based in messages; for methods the arguments exclude {@code self}, as Luau counts them.
 */
public final class HostArgs {
  private HostArgs() {
  }

  /** The error for argument {@code i} (0-based) of {@code fname}, named {@code param}. */
  public static LuauError bad(int i, String fname, String param, String detail) {
    return LuauError.runtime("invalid argument #" + (i + 1) + " (" + param + ") to '" + fname + "' (" + detail + ")");
  }

  /** The error for a wrong type: "(string expected, got nil)", "got no value" when the argument is absent. */
  public static LuauError type(Object[] a, int i, String fname, String param, String expected) {
    return bad(i, fname, param, expected + " expected, got " + (i < a.length ? typeName(a[i]) : "no value"));
  }

  /** The value's type as {@code typeof} shows it: userdata report their {@code __type} (DateTime, Blob, ...). */
  public static String typeName(Object v) {
    if (v instanceof LuauUserdata u && u.getMetatable() != null && u.getMetatable().rawget(Meta.TYPE) instanceof LuauString s) {
      return s.toString();
    }
    return Values.typeName(v);
  }

  public static Object arg(Object[] a, int i) {
    return i < a.length ? a[i] : null;
  }

  public static boolean isNil(Object[] a, int i) {
    return arg(a, i) == null;
  }

  public static LuauString string(Object[] a, int i, String fname, String param) {
    if (arg(a, i) instanceof LuauString s) {
      return s;
    }
    throw type(a, i, fname, param, "string");
  }

  public static String text(Object[] a, int i, String fname, String param) {
    return string(a, i, fname, param).toString();
  }

  public static LuauTable table(Object[] a, int i, String fname, String param) {
    if (arg(a, i) instanceof LuauTable t) {
      return t;
    }
    throw type(a, i, fname, param, "table");
  }

  public static double number(Object[] a, int i, String fname, String param) {
    Object v = arg(a, i);
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw type(a, i, fname, param, "number");
  }

  /** Whether {@code v} is a whole number as upstream's Luau binding sees it (an integral double, or the integer type). */
  public static boolean isWhole(Object v) {
    if (v instanceof Long) {
      return true;
    }
    return v instanceof Double d && wholeOrNull(d) != null;
  }

  /** The long value of an integral double (within 1 ulp of epsilon, as mlua decides), or null. */
  public static Long wholeOrNull(double d) {
    if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
      return null;
    }
    long l = (long) d;
    return Math.abs(d - l) < Math.ulp(1.0) ? l : null;
  }

  /** A whole number in [min, max]. */
  public static long integer(Object[] a, int i, String fname, String param, long min, long max) {
    Object v = arg(a, i);
    Long l = v instanceof Long x ? x : v instanceof Double d ? wholeOrNull(d) : null;
    if (l == null) {
      throw v instanceof Double ? bad(i, fname, param, "number has no integer representation")
          : type(a, i, fname, param, "number");
    }
    if (l < min || l > max) {
      throw bad(i, fname, param, "number " + l + " is out of range " + min + ".." + max);
    }
    return l;
  }

  public static boolean optBoolean(Object[] a, int i, String fname, String param, boolean dflt) {
    Object v = arg(a, i);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw type(a, i, fname, param, "boolean");
  }

  /**
   * Bytes from a "BlobTaker" (buffer, string or {@link Blob}), upstream's accepted byte sources. The array may be
   * the value's own storage: read it, do not keep or change it.
   */
  public static byte[] bytes(Object[] a, int i, String fname, String param) {
    Object v = arg(a, i);
    if (v instanceof LuauBuffer b) {
      return b.data();
    }
    if (v instanceof LuauString s) {
      return s.bytes();
    }
    if (Blob.TYPE.is(v)) {
      return ((Blob) ((LuauUserdata) v).payload()).bytes();
    }
    throw type(a, i, fname, param, "buffer, string or Blob");
  }
}
