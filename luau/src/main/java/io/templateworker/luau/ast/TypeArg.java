package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/** An argument to a generic type or an explicit instantiation: a single type or a type pack. */
public sealed interface TypeArg permits TypeNode, TypePack {

  /** Where the argument is in the source. */
  Span span();
}
