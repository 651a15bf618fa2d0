package io.templateworker.luau.value;

import io.templateworker.luau.vm.LuauThread;

/**
 * A function implemented in Java. {@code args} holds exactly the passed arguments.
 *
 * <p>Compiled Luau calls a builtin with one to three arguments whose first result only is used (most calls:
 * {@code math.floor(x)}, {@code bit32.band(a, b)}, {@code s:byte(i)}) through {@link #call1}, {@link #call2} or
 * {@link #call3}, each call site with its own type profile. By default they build the argument array and take
 * the first result of {@link #call}; a builtin overrides them to skip both arrays, with the same results and
 * errors as {@link #call} (e.g. by handing anything but the common argument types to {@link #call}).
 */
@FunctionalInterface
public interface HostFunction {
  Object[] call(LuauThread L, Object[] args);

  /** {@code f(a)}, first result (nil when there is none). */
  default Object call1(LuauThread L, Object a) {
    return first(call(L, new Object[] {a}));
  }

  /** {@code f(a, b)}, first result. */
  default Object call2(LuauThread L, Object a, Object b) {
    return first(call(L, new Object[] {a, b}));
  }

  /** {@code f(a, b, c)}, first result. */
  default Object call3(LuauThread L, Object a, Object b, Object c) {
    return first(call(L, new Object[] {a, b, c}));
  }

  /**
   * Whether every call gives exactly one result (or an error), so that {@link #call1}..{@link #call3} give all
   * of its results: compiled code then passes {@code f(a, g(b))}'s inner result without arrays.
   */
  default boolean oneResult() {
    return false;
  }

  /** The first of a builtin's results ({@code null} results and no results are nil). */
  static Object first(Object[] results) {
    return results == null || results.length == 0 ? null : results[0];
  }
}
