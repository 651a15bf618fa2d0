package io.templateworker.runtime.plugin;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;
import java.util.List;

/** Small builders for the tables plugins return. */
public final class Tables {
  private Tables() {
  }

  /** A table from alternating string keys and Luau values; nil values are left out. */
  public static LuauTable of(Object... keysAndValues) {
    LuauTable t = new LuauTable(0, keysAndValues.length / 2);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        t.rawset(LuauString.of((String) keysAndValues[i]), keysAndValues[i + 1]);
      }
    }
    return t;
  }

  /** The same, frozen (read-only as upstream's result tables). */
  public static LuauTable frozen(Object... keysAndValues) {
    LuauTable t = of(keysAndValues);
    t.freeze();
    return t;
  }

  public static LuauTable strings(List<String> items, boolean frozen) {
    LuauTable t = new LuauTable(items.size(), 0);
    for (int i = 0; i < items.size(); i++) {
      t.rawset(i + 1, LuauString.of(items.get(i)));
    }
    if (frozen) {
      t.freeze();
    }
    return t;
  }

  public static Object string(String s) {
    return s == null ? null : LuauString.of(s);
  }

  /** A DateTime value (through the KhronosValue bridge), nil for null. */
  public static Object dateTime(Instant i) {
    return i == null ? null : KhronosLuau.toLuau(new KhronosValue.Timestamptz(i));
  }
}
