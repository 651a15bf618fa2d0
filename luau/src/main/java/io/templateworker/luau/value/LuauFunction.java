package io.templateworker.luau.value;

import io.templateworker.luau.vm.LuauThread;

/** A callable Luau value: a compiled closure or a host (Java) function. */
public abstract class LuauFunction {
  public static final Object[] NONE = new Object[0];

  /**
   * Calls the function. {@code args} has exactly the passed arguments; the result array may be shared
   * (e.g. {@link #NONE}) and must not be mutated by the caller.
   */
  public abstract Object[] call(LuauThread L, Object[] args);

  /**
   * {@code f(a, b)}'s first result (nil when there is none), for a builtin calling one function many times, as
   * table.sort calls its comparator. Same as {@code call(L, new Object[] {a, b})[0]}; a Luau function overrides it
   * to skip the argument and result arrays.
   */
  public Object callForFirst(LuauThread L, Object a, Object b) {
    return HostFunction.first(call(L, new Object[] {a, b}));
  }

  /** The name used in tracebacks and in "invalid argument #1 to 'name'". */
  public abstract String name();

  public static LuauFunction host(String name, HostFunction fn) {
    return new Host(name, fn);
  }

  @Override
  public String toString() {
    return "function: " + name();
  }

  /** A Java function seen from Luau. */
  public static final class Host extends LuauFunction {
    private final String name;
    private final HostFunction fn;

    Host(String name, HostFunction fn) {
      this.name = name;
      this.fn = fn;
    }

    @Override
    public Object[] call(LuauThread L, Object[] args) {
      Object[] r = fn.call(L, args);
      return r == null ? NONE : r; // host code may return null for "no results"
    }

    @Override
    public String name() {
      return name;
    }

    /** The Java code behind it (compiled Luau calls it directly, so each call site profiles its own builtin). */
    public HostFunction body() {
      return fn;
    }
  }
}
