package io.templateworker.luau.vm.node;

import io.templateworker.luau.vm.Frame;

/** An executable statement; {@link #exec} returns how control leaves it. */
public abstract class Stat {
  public static final int NORMAL = 0;
  public static final int BREAK = 1;
  public static final int CONTINUE = 2;
  public static final int RETURN = 3;

  public abstract int exec(Frame f);
}
