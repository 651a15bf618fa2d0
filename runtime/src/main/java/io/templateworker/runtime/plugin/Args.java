package io.templateworker.runtime.plugin;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.HostArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument readers only plugins need (string lists, KhronosValues, DateTime and TimeDelta as Java time). The
 * common ones (string, table, integer, boolean, bytes) are {@link HostArgs}', so every host function reports a bad
 * argument the same way: "invalid argument #1 (key) to 'KV:get' (string expected, got nil)". {@code args}
 * excludes {@code self}; index 0 is argument #1.
 */
public final class Args {
  private Args() {
  }

  /** A string, or null when the argument is nil. */
  public static String optString(Object[] args, int i, String fn, String name) {
    return HostArgs.isNil(args, i) ? null : HostArgs.text(args, i, fn, name);
  }

  /** A list of strings; nil is the empty list (so the store can say why an empty list is refused). */
  public static List<String> strings(Object[] args, int i, String fn, String name) {
    Object v = HostArgs.arg(args, i);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof LuauTable t)) {
      throw HostArgs.type(args, i, fn, name, "table of strings");
    }
    int n = t.length();
    List<String> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) {
      if (!(t.rawget(k) instanceof LuauString s)) {
        throw HostArgs.bad(i, fn, name, "item " + k + " is " + HostArgs.typeName(t.rawget(k)) + ", expected a string");
      }
      out.add(s.toString());
    }
    return out;
  }

  /** Any Luau value as a KhronosValue (§7.5), or an error naming the argument and the reason. */
  public static KhronosValue value(Object[] args, int i, String fn, String name) {
    try {
      return KhronosLuau.toKhronos(HostArgs.arg(args, i));
    } catch (KhronosException e) {
      throw HostArgs.bad(i, fn, name, e.getMessage());
    }
  }

  /** A DateTime, or null when the argument is nil. */
  public static Instant optDateTime(Object[] args, int i, String fn, String name) {
    Object v = HostArgs.arg(args, i);
    if (v == null) {
      return null;
    }
    if (convertOrNull(v) instanceof KhronosValue.Timestamptz ts) {
      return ts.value();
    }
    throw HostArgs.type(args, i, fn, name, "DateTime");
  }

  /** A TimeDelta; with {@code secondsAllowed}, a number of seconds too. */
  public static Duration timeDelta(Object[] args, int i, String fn, String name, boolean secondsAllowed) {
    Object v = HostArgs.arg(args, i);
    if (secondsAllowed && (v instanceof Double || v instanceof Long)) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        return Duration.ofNanos((long) (d * 1e9));
      }
    }
    if (v != null && convertOrNull(v) instanceof KhronosValue.Interval iv) {
      return Duration.ofSeconds(iv.seconds(), iv.nanos());
    }
    throw HostArgs.type(args, i, fn, name, secondsAllowed ? "TimeDelta or number of seconds" : "TimeDelta");
  }

  private static KhronosValue convertOrNull(Object v) {
    try {
      return KhronosLuau.toKhronos(v);
    } catch (KhronosException e) {
      return null;
    }
  }
}
