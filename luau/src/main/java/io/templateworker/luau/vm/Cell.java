package io.templateworker.luau.vm;

/** A boxed local variable shared between a frame and the closures that capture it. */
public final class Cell {
  public Object v;

  public Cell(Object v) {
    this.v = v;
  }
}
