package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/** One entry of a table constructor. */
public sealed interface TableField {

  /** The entry's value expression. */
  Expr value();

  /** Where the entry is in the source. */
  Span span();

  /** {@code value}: stored at the next array index. */
  record Positional(Expr value, Span span) implements TableField {}

  /** {@code name = value}. */
  record Named(String name, Expr value, Span span) implements TableField {}

  /** {@code [key] = value}. */
  record Keyed(Expr key, Expr value, Span span) implements TableField {}
}
