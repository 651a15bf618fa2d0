package io.templateworker.luau.ast;

/** Unary operators with their source symbol. */
public enum UnaryOp {
  NOT("not"), MINUS("-"), LEN("#");

  private final String symbol;

  UnaryOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in source. */
  public String symbol() {
    return symbol;
  }
}
