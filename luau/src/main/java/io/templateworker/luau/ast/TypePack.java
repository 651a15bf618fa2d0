package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/** Type packs: the types of several values (returns, varargs, pack arguments). */
public sealed interface TypePack extends TypeArg {

  /**
   * {@code (A, B, ...C)}: a list of types with an optional variadic or generic tail.
   *
   * @param tail {@code null} when the pack has exactly {@code types}
   */
  record Explicit(List<TypeNode> types, TypePack tail, Span span) implements TypePack {}

  /** {@code ...T}: any number of values of type T. */
  record Variadic(TypeNode type, Span span) implements TypePack {}

  /** {@code T...}: a generic type pack. */
  record Generic(String name, Span span) implements TypePack {}
}
