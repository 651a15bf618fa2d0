package io.templateworker.runtime.bridge;

import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauVector;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KhronosValue ↔ Luau value conversion (UPSTREAM.md §7.5).
 *
 * <p>Luau → KhronosValue follows upstream: a non-empty table becomes a List of its sequence (other keys are
 * dropped), an empty table a Map of its pairs; numbers are Float, the {@code integer} type Integer; functions,
 * threads and userdata are refused; nesting beyond {@link KhronosValue#MAX_DEPTH} is "Recursion limit exceeded".
 *
 * <p>KhronosValue → Luau: until the runtime has its DateTime/TimeDelta/I64/U64 userdata (a later issue),
 * Timestamptz and TimeZone arrive as strings, Interval as seconds, and integers beyond ±(2^53−1) as the
 * Luau {@code integer} type.
 */
public final class KhronosLuau {
  private static final long MAX_SAFE = (1L << 53) - 1;

  private KhronosLuau() {}

  public static Object toLuau(KhronosValue value) {
    return toLuau(value, 0);
  }

  private static Object toLuau(KhronosValue value, int depth) {
    switch (value) {
      case KhronosValue.Null n -> {
        return null;
      }
      case KhronosValue.Text t -> {
        return LuauString.of(t.value());
      }
      case KhronosValue.Int i -> {
        long v = i.value();
        return v >= -MAX_SAFE && v <= MAX_SAFE ? (Object) (double) v : (Object) v;
      }
      case KhronosValue.UInt u -> {
        long bits = u.bits();
        return bits >= 0 && bits <= MAX_SAFE ? (Object) (double) bits : (Object) bits;
      }
      case KhronosValue.Float f -> {
        return f.value();
      }
      case KhronosValue.Bool b -> {
        return b.value();
      }
      case KhronosValue.Buffer b -> {
        return new LuauBuffer(b.bytes());
      }
      case KhronosValue.Vector v -> {
        return new LuauVector(v.x(), v.y(), v.z());
      }
      case KhronosValue.ListValue l -> {
        checkDepth(depth + 1);
        LuauTable t = new LuauTable(l.items().size(), 0);
        for (int i = 0; i < l.items().size(); i++) {
          t.rawset(i + 1, toLuau(l.items().get(i), depth + 1));
        }
        return t;
      }
      case KhronosValue.MapValue m -> {
        checkDepth(depth + 1);
        LuauTable t = new LuauTable(0, m.entries().size());
        for (int i = 0; i < m.entries().size(); i++) {
          KhronosValue.Entry e = m.entries().get(i);
          Object key = toLuau(e.key(), depth + 1);
          if (key != null) {
            t.rawset(key, toLuau(e.value(), depth + 1));
          }
        }
        return t;
      }
      case KhronosValue.Timestamptz ts -> {
        return LuauString.of(KhronosJson.formatInstant(ts.value()));
      }
      case KhronosValue.Interval iv -> {
        return iv.seconds() + iv.nanos() / 1e9;
      }
      case KhronosValue.TimeZone tz -> {
        return LuauString.of(tz.name());
      }
      case KhronosValue.LazyStringMap lazy -> {
        LuauTable t = new LuauTable(0, lazy.map().size());
        for (Map.Entry<String, String> e : lazy.map().entrySet()) {
          t.rawset(LuauString.of(e.getKey()), LuauString.of(e.getValue()));
        }
        return t;
      }
    }
  }

  public static KhronosValue toKhronos(Object value) {
    return toKhronos(value, 0);
  }

  private static KhronosValue toKhronos(Object value, int depth) {
    if (value == null) {
      return KhronosValue.Null.INSTANCE;
    }
    if (value instanceof LuauString s) {
      return new KhronosValue.Text(s.toString());
    }
    if (value instanceof Double d) {
      return new KhronosValue.Float(d);
    }
    if (value instanceof Long l) {
      return new KhronosValue.Int(l);
    }
    if (value instanceof Boolean b) {
      return KhronosValue.Bool.of(b);
    }
    if (value instanceof LuauBuffer b) {
      return new KhronosValue.Buffer(b.data().clone());
    }
    if (value instanceof LuauVector v) {
      return new KhronosValue.Vector(v.x(), v.y(), v.z());
    }
    if (value instanceof LuauTable t) {
      checkDepth(depth + 1);
      int n = t.length();
      if (n > 0) {
        List<KhronosValue> items = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          items.add(toKhronos(t.rawget(i), depth + 1));
        }
        return new KhronosValue.ListValue(items);
      }
      List<KhronosValue.Entry> entries = new ArrayList<>();
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        entries.add(new KhronosValue.Entry(toKhronos(t.keyAt(p), depth + 1), toKhronos(t.valueAt(p), depth + 1)));
      }
      return new KhronosValue.MapValue(entries);
    }
    throw new KhronosException("Invalid type: a " + luauType(value) + " cannot be converted to a KhronosValue");
  }

  private static void checkDepth(int depth) {
    if (depth > KhronosValue.MAX_DEPTH) {
      throw new KhronosException("Recursion limit exceeded");
    }
  }

  private static String luauType(Object v) {
    return io.templateworker.luau.value.Values.typeName(v);
  }
}
