package io.templateworker.luau.vm;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;

/**
 * The iterator functions {@code pairs} and {@code ipairs} return. The interpreter recognises them in a
 * generic {@code for} and walks the table directly instead of calling them per step.
 */
public final class Iteration {
  private Iteration() {
  }

  public static final LuauFunction NEXT = LuauFunction.host("next", Iteration::next);
  public static final LuauFunction IPAIRS_ITER = LuauFunction.host("ipairs", Iteration::ipairsStep);

  private static Object[] next(LuauThread L, Object[] a) {
    if (a.length == 0 || !(a[0] instanceof LuauTable t)) {
      throw a.length == 0 ? Errors.typeMismatchMissing(1, "next", "table")
          : Errors.typeMismatch(1, "next", "table", a[0]);
    }
    Object[] kv = t.next(a.length > 1 ? a[1] : null);
    return kv == null ? new Object[] {null} : kv;
  }

  private static Object[] ipairsStep(LuauThread L, Object[] a) {
    if (a.length < 2 || !(a[0] instanceof LuauTable t) || !(a[1] instanceof Double d)) {
      throw Errors.badArgument(1, "ipairs", "table expected");
    }
    int i = (int) (double) d + 1;
    Object v = t.rawget(i);
    return v == null ? new Object[] {null} : new Object[] {(double) i, v};
  }
}
