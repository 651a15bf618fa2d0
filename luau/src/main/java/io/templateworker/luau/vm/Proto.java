package io.templateworker.luau.vm;

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

  public Stat body() {
    return body;
  }

  public void setBody(Stat body) {
    if (this.body != null) {
      throw new IllegalStateException("body already set");
    }
    this.body = body;
  }
}
