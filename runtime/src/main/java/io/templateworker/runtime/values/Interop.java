package io.templateworker.runtime.values;

import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;

/**
 * {@code interop.null} and {@code interop.array_metatable}: one of each per JVM, shared by every VM. The array
 * metatable is frozen (no tenant can change what another sees); an empty table with it converts to an empty list
 * ({@code List([])}, JSON {@code []}) instead of an empty map. {@code null} is a plain userdata that stands for
 * JSON null when serialising.
 */
public final class Interop {
  public static final LuauTable ARRAY_METATABLE = arrayMetatable();
  public static final LuauUserdata NULL = new LuauUserdata(new Object() {
    @Override
    public String toString() {
      return "null";
    }
  }, null);

  private Interop() {
  }

  private static LuauTable arrayMetatable() {
    LuauTable t = new LuauTable();
    t.freeze();
    return t;
  }

  /** Whether {@code t} carries the array metatable (an explicit list, even when empty). */
  public static boolean isArray(LuauTable t) {
    return t.getMetatable() == ARRAY_METATABLE;
  }

  /** A new table for a list, marked with the array metatable. */
  public static LuauTable newArray(int size) {
    LuauTable t = new LuauTable(size, 0);
    t.setMetatable(ARRAY_METATABLE);
    return t;
  }
}
