package io.templateworker.luau.ast;

/** Binary operators, including the short-circuit {@code and}/{@code or}, with their source symbol. */
public enum BinaryOp {
  ADD("+"), SUB("-"), MUL("*"), DIV("/"), IDIV("//"), MOD("%"), POW("^"), CONCAT(".."),
  EQ("=="), NE("~="), LT("<"), LE("<="), GT(">"), GE(">="), AND("and"), OR("or");

  private final String symbol;

  BinaryOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in source, e.g. {@code "//"}. */
  public String symbol() {
    return symbol;
  }
}
