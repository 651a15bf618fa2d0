package io.templateworker.luau.vm.node;

import io.templateworker.luau.vm.Frame;

/** An executable expression. */
public abstract class Expr {
  /** The first value of the expression. */
  public abstract Object eval(Frame f);

  /** The expression as a condition; comparisons override this to skip boxing. */
  public boolean test(Frame f) {
    Object v = eval(f);
    return v != null && v != Boolean.FALSE;
  }

  /** All values (calls and {@code ...} can produce several); the array must not be mutated. */
  public Object[] evalMulti(Frame f) {
    return new Object[] {eval(f)};
  }

  /** Whether this expression can produce a variable number of values (call or vararg). */
  public boolean isMulti() {
    return false;
  }
}
