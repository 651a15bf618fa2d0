package io.templateworker.luau.vm;

import io.templateworker.luau.jit.Jit;
import io.templateworker.luau.sandbox.ExecutionBudget;
import io.templateworker.luau.vm.node.Stat;

/**
 * A compiled function prototype: immutable and shareable across VMs and tenants.
 *
 * @param upvalFromParentSlot for each upvalue: the parent's slot holding the Cell, or -1 when it is the
 *     parent's upvalue {@code upvalFromParentUpval[i]}
 */
public final class Proto {
  public final String name;
  public final String chunkName;
  public final int lineDefined;
  public final int numParams;
  public final boolean isVararg;
  public final int frameSize;
  /** Parameter slots captured by inner closures: boxed into Cells at entry. */
  public final int[] cellParams;
  public final int[] upvalFromParentSlot;
  public final int[] upvalFromParentUpval;
  public final String[] upvalNames;
  /** Set once by the compiler after the body is built (the body may refer to nested protos). */
  private Stat body;
  /**
   * What calls run: the interpreted tree, then the JVM-bytecode body once the function is hot. Volatile: the
   * compiler thread may install it while other threads call the function.
   */
  private volatile Stat active;
  /** Entries left before the function is compiled; 0 = compiled, failed or never compiled. */
  private int untilCompile;
  /**
   * Whether the call that makes the function hot waits for its compiled body: yes when it is compiled on its
   * first call (it has a loop, which will run long in this very call; or eager mode), no when it became hot by
   * being called often: the next calls pick the compiled body up, and this one runs on interpreted meanwhile.
   */
  private boolean awaitCompile;

  public Proto(String name, String chunkName, int lineDefined, int numParams, boolean isVararg, int frameSize,
      int[] cellParams, int[] upvalFromParentSlot, int[] upvalFromParentUpval, String[] upvalNames) {
    this.name = name;
    this.chunkName = chunkName;
    this.lineDefined = lineDefined;
    this.numParams = numParams;
    this.isVararg = isVararg;
    this.frameSize = frameSize;
    this.cellParams = cellParams;
    this.upvalFromParentSlot = upvalFromParentSlot;
    this.upvalFromParentUpval = upvalFromParentUpval;
    this.upvalNames = upvalNames;
  }

  /** The interpreted body (the tree the compiler built). */
  public Stat body() {
    return body;
  }

  public void setBody(Stat body) {
    setBody(body, false);
  }

  /** {@code nativeHint}: the function is marked {@code @native}, so it is compiled on its first call. */
  public void setBody(Stat body, boolean nativeHint) {
    if (this.body != null) {
      throw new IllegalStateException("body already set");
    }
    this.body = body;
    this.active = body;
    this.untilCompile = Jit.entriesBeforeCompile(body, nativeHint);
    this.awaitCompile = untilCompile == 1;
  }

  /**
   * The body to run for one call. Counts calls and compiles the function to JVM bytecode when it becomes hot
   * (the count is a heuristic: a race between threads costs at most an extra count).
   */
  public Stat enter(LuauThread L) {
    if (untilCompile > 0 && --untilCompile == 0) {
      tierUp(L);
    }
    return active;
  }

  /** A wait for the compiler is not the script's time: it goes back to the time slice (within a cap). */
  private void tierUp(LuauThread L) {
    if (!awaitCompile) {
      Jit.tierUp(this, false);
      return;
    }
    ExecutionBudget budget = L.vm().budget();
    long started = budget.compileWaitStarts();
    Jit.tierUp(this, true);
    budget.creditCompileWait(started);
  }

  /** Whether calls run a compiled body. */
  public boolean isCompiled() {
    return active != body;
  }

  /** Called by the JIT: from now on calls run {@code compiled}; null keeps the interpreter for good. */
  public void install(Stat compiled) {
    untilCompile = 0;
    if (compiled != null) {
      active = compiled;
    }
  }
}
