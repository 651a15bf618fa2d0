package io.templateworker.runtime.plugin;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Argument readers for plugin methods. {@code args} excludes {@code self}; index 0 is argument #1. Errors
 * name the argument: "invalid argument #2 to 'KV:set' (value: ...)", "invalid argument #1 to 'KV:get' (key:
 * string expected, got nil)".
 */
public final class Args {
  private Args() {
  }

  public static Object at(Object[] args, int i) {
    return i < args.length ? args[i] : null;
  }

  public static LuauError bad(int i, String fn, String name, String detail) {
    return Errors.badArgument(i + 1, fn, name + ": " + detail);
  }

  public static LuauError mismatch(Object[] args, int i, String fn, String name, String expected) {
    String got = i < args.length ? Errors.gotName(args[i]) : "no value";
    return bad(i, fn, name, expected + " expected, got " + got);
  }

  public static String string(Object[] args, int i, String fn, String name) {
    if (at(args, i) instanceof LuauString s) {
      return s.toString();
    }
    throw mismatch(args, i, fn, name, "string");
  }

  public static String optString(Object[] args, int i, String fn, String name) {
    Object v = at(args, i);
    return v == null ? null : string(args, i, fn, name);
  }

  public static boolean optBoolean(Object[] args, int i, String fn, String name, boolean dflt) {
    Object v = at(args, i);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw mismatch(args, i, fn, name, "boolean");
  }

  /** A whole number (Luau number without fraction, or integer) within {@code min..max}. */
  public static long integer(Object[] args, int i, String fn, String name, long min, long max) {
    Object v = at(args, i);
    long n;
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      n = (long) (double) d;
    } else if (v instanceof Long l) {
      n = l;
    } else {
      throw mismatch(args, i, fn, name, "integer");
    }
    if (n < min || n > max) {
      throw bad(i, fn, name, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  public static LuauTable table(Object[] args, int i, String fn, String name) {
    if (at(args, i) instanceof LuauTable t) {
      return t;
    }
    throw mismatch(args, i, fn, name, "table");
  }

  /** A list of strings; nil is the empty list (so the store can say why an empty list is refused). */
  public static List<String> strings(Object[] args, int i, String fn, String name) {
    Object v = at(args, i);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof LuauTable t)) {
      throw mismatch(args, i, fn, name, "table of strings");
    }
    int n = t.length();
    List<String> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) {
      if (!(t.rawget(k) instanceof LuauString s)) {
        throw bad(i, fn, name, "item " + k + " is " + Errors.gotName(t.rawget(k)) + ", expected a string");
      }
      out.add(s.toString());
    }
    return out;
  }

  /** Any Luau value as a KhronosValue (§7.5), or an error naming the argument and the reason. */
  public static KhronosValue value(Object[] args, int i, String fn, String name) {
    try {
      return KhronosLuau.toKhronos(at(args, i));
    } catch (KhronosException e) {
      throw bad(i, fn, name, e.getMessage());
    }
  }

  /** A DateTime, or null when the argument is nil. */
  public static Instant optDateTime(Object[] args, int i, String fn, String name) {
    Object v = at(args, i);
    if (v == null) {
      return null;
    }
    KhronosValue k = convertOrNull(v);
    if (k instanceof KhronosValue.Timestamptz ts) {
      return ts.value();
    }
    throw mismatch(args, i, fn, name, "DateTime");
  }

  /** A TimeDelta; with {@code secondsAllowed}, a number of seconds too. */
  public static Duration timeDelta(Object[] args, int i, String fn, String name, boolean secondsAllowed) {
    Object v = at(args, i);
    if (secondsAllowed && v instanceof Double d && Double.isFinite(d)) {
      return Duration.ofNanos((long) (d * 1e9));
    }
    KhronosValue k = v == null ? null : convertOrNull(v);
    if (k instanceof KhronosValue.Interval iv) {
      return Duration.ofSeconds(iv.seconds(), iv.nanos());
    }
    throw mismatch(args, i, fn, name, secondsAllowed ? "TimeDelta or number of seconds" : "TimeDelta");
  }

  /** Bytes from a buffer, a Blob or a string. */
  public static byte[] bytes(Object[] args, int i, String fn, String name) {
    Object v = at(args, i);
    if (v instanceof LuauBuffer b) {
      return b.data().clone();
    }
    if (v instanceof LuauString s) {
      return s.bytes().clone();
    }
    KhronosValue k = v == null ? null : convertOrNull(v);
    if (k instanceof KhronosValue.Buffer b) {
      return b.bytes();
    }
    throw mismatch(args, i, fn, name, "buffer, Blob or string");
  }

  private static KhronosValue convertOrNull(Object v) {
    try {
      return KhronosLuau.toKhronos(v);
    } catch (KhronosException e) {
      return null;
    }
  }
}
