package io.templateworker.runtime.bridge;

import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.LuauVector;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.Blob;
import io.templateworker.runtime.values.DateTime;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.I64;
import io.templateworker.runtime.values.Interop;
import io.templateworker.runtime.values.Lazy;
import io.templateworker.runtime.values.TimeDelta;
import io.templateworker.runtime.values.Timezone;
import io.templateworker.runtime.values.U64;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KhronosValue ↔ Luau value conversion (UPSTREAM.md §7.5), so no Luau object leaves its VM.
 *
 * <p>KhronosValue → Luau: Integer is a number within ±(2^53−1) and an {@code I64} beyond; UnsignedInteger a
 * {@code U64}; Timestamptz a {@code DateTime} in UTC; Interval a {@code TimeDelta}; TimeZone a
 * {@code Timezone}; LazyStringMap a {@code Lazy} whose {@code .data} is the string table; Buffer a buffer; Null
 * nil (Null items of a List are skipped, as upstream, so the sequence has no holes). An empty List gets the
 * array metatable, so it is stored back as a List.
 *
 * <p>Luau → KhronosValue follows upstream: a whole number is an Integer (as upstream's binding sees an integral
 * double) and other numbers Float; a non-empty table becomes a List of its sequence (other keys are dropped),
 * an empty table a Map of its pairs unless it has the array metatable; DateTime (converted to UTC), TimeDelta,
 * Timezone, I64, U64, Blob (its bytes, copied) and Lazy convert to their variants; {@code interop.null} is Null;
 * other userdata are refused, functions and threads are "Invalid type"; nesting beyond
 * {@link KhronosValue#MAX_DEPTH} is "Recursion limit exceeded".
 */
public final class KhronosLuau {
  private static final long MAX_SAFE = (1L << 53) - 1;

  private KhronosLuau() {}

  public static Object toLuau(KhronosValue value) {
    // nil before the type switch: the commonest value per event (no event data, no bot user yet)
    return value == KhronosValue.Null.INSTANCE ? null : toLuau(value, 0);
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
        return v >= -MAX_SAFE && v <= MAX_SAFE ? (Object) (double) v : I64.wrap(v);
      }
      case KhronosValue.UInt u -> {
        return U64.wrap(u.bits());
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
        if (l.items().isEmpty()) {
          return Interop.newArray(0);
        }
        LuauTable t = new LuauTable(l.items().size(), 0);
        int n = 0;
        for (int i = 0; i < l.items().size(); i++) {
          Object item = toLuau(l.items().get(i), depth + 1);
          if (item != null) {
            t.rawset(++n, item);
          }
        }
        return t;
      }
      case KhronosValue.MapValue m -> {
        checkDepth(depth + 1);
        LuauTable t = new LuauTable(0, m.entries().size());
        for (int i = 0; i < m.entries().size(); i++) {
          KhronosValue.Entry e = m.entries().get(i);
          Object key = toLuau(e.key(), depth + 1);
          if (key != null && !(key instanceof Double d && d.isNaN())) {
            t.rawset(key, toLuau(e.value(), depth + 1));
          }
        }
        return t;
      }
      case KhronosValue.Timestamptz ts -> {
        return DateTime.wrap(ts.value().atZone(Timezone.UTC));
      }
      case KhronosValue.Interval iv -> {
        return TimeDelta.wrap(Duration.ofSeconds(iv.seconds(), iv.nanos()));
      }
      case KhronosValue.TimeZone tz -> {
        try {
          return Timezone.wrap(Timezone.forName(tz.name()));
        } catch (LuauError e) {
          throw new KhronosException("Invalid timezone \"" + tz.name() + "\" (expected an IANA name such as Asia/Kolkata)");
        }
      }
      case KhronosValue.LazyStringMap lazy -> {
        return Lazy.wrap(stringMapSource(lazy.map()));
      }
    }
  }

  /** A Lazy source over a string map: {@code .data} is a table of its strings; stored, a LazyStringMap. */
  public static Lazy.Source stringMapSource(Map<String, String> map) {
    Map<String, String> copy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    return new Lazy.Source() {
      @Override
      public Object toLuau() {
        LuauTable t = new LuauTable(0, copy.size());
        for (Map.Entry<String, String> e : copy.entrySet()) {
          t.rawset(LuauString.of(e.getKey()), LuauString.of(e.getValue()));
        }
        return t;
      }

      @Override
      public KhronosValue toKhronos() {
        return new KhronosValue.LazyStringMap(copy);
      }

      @Override
      public long retainedBytes() {
        long n = 0;
        for (Map.Entry<String, String> e : copy.entrySet()) {
          n += 64 + e.getKey().length() + e.getValue().length();
        }
        return n;
      }
    };
  }

  /** A Lazy source over any KhronosValue (e.g. an API result converted only if the template reads it). */
  public static Lazy.Source valueSource(KhronosValue value) {
    return new Lazy.Source() {
      @Override
      public Object toLuau() {
        return KhronosLuau.toLuau(value);
      }

      @Override
      public KhronosValue toKhronos() {
        return value;
      }
    };
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
      Long whole = HostArgs.wholeOrNull(d);
      return whole != null ? new KhronosValue.Int(whole) : new KhronosValue.Float(d);
    }
    if (value instanceof Long l) {
      return new KhronosValue.Int(l);
    }
    if (value instanceof Boolean b) {
      return KhronosValue.Bool.of(b);
    }
    if (value instanceof LuauBuffer b) {
      return new KhronosValue.Buffer(b.data());
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
      if (Interop.isArray(t)) {
        return new KhronosValue.ListValue(List.of());
      }
      List<KhronosValue.Entry> entries = new ArrayList<>();
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        entries.add(new KhronosValue.Entry(toKhronos(t.keyAt(p), depth + 1), toKhronos(t.valueAt(p), depth + 1)));
      }
      return new KhronosValue.MapValue(entries);
    }
    if (value instanceof LuauUserdata u) {
      return userdata(u);
    }
    throw new KhronosException("Invalid type: a " + Values.typeName(value) + " cannot be converted to a KhronosValue");
  }

  private static KhronosValue userdata(LuauUserdata u) {
    if (DateTime.TYPE.is(u)) {
      Instant i = ((DateTime) u.payload()).instant();
      return new KhronosValue.Timestamptz(i);
    }
    if (TimeDelta.TYPE.is(u)) {
      Duration d = ((TimeDelta) u.payload()).value();
      return new KhronosValue.Interval(d.getSeconds(), d.getNano());
    }
    if (Timezone.TYPE.is(u)) {
      return new KhronosValue.TimeZone(((Timezone) u.payload()).zone().getId());
    }
    if (I64.TYPE.is(u)) {
      return new KhronosValue.Int(((I64) u.payload()).value());
    }
    if (U64.TYPE.is(u)) {
      return new KhronosValue.UInt(((U64) u.payload()).bits());
    }
    if (Blob.TYPE.is(u)) {
      return new KhronosValue.Buffer(((Blob) u.payload()).bytes());
    }
    Lazy.Source lazy = Lazy.sourceOf(u);
    if (lazy != null) {
      return lazy.toKhronos();
    }
    if (u == Interop.NULL) {
      return KhronosValue.Null.INSTANCE;
    }
    throw new KhronosException("Invalid UserData type: a " + HostArgs.typeName(u) + " cannot be converted to a "
        + "KhronosValue (only DateTime, TimeDelta, Timezone, I64, U64, Blob and Lazy can)");
  }

  private static void checkDepth(int depth) {
    if (depth > KhronosValue.MAX_DEPTH) {
      throw new KhronosException("Recursion limit exceeded");
    }
  }
}
