package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/** Type annotations. Parsed and validated for syntax only; they have no effect at run time. */
public sealed interface TypeNode extends TypeArg {

  /**
   * A named type, possibly from a module and with arguments: {@code number}, {@code nil},
   * {@code mod.Type<T, U...>}.
   *
   * @param module the module prefix, or {@code null}
   */
  record Named(String module, String name, List<TypeArg> args, Span span) implements TypeNode {}

  /** A string singleton type {@code "on"}. */
  record StringSingleton(byte[] value, Span span) implements TypeNode {}

  /** A boolean singleton type {@code true} / {@code false}. */
  record BoolSingleton(boolean value, Span span) implements TypeNode {}

  /** {@code typeof(expr)}. */
  record Typeof(Expr expr, Span span) implements TypeNode {}

  /**
   * A table type {@code { read a: T, [K]: V }}; the array shorthand {@code {T}} is an indexer with
   * key {@code number}.
   *
   * @param indexer the indexer, or {@code null}
   */
  record Table(List<TableProp> props, TableIndexer indexer, Span span) implements TypeNode {}

  /** A property of a table type. */
  record TableProp(String name, Access access, TypeNode type, Span span) {}

  /** The indexer {@code [K]: V} of a table type. */
  record TableIndexer(Access access, TypeNode key, TypeNode value, Span span) {}

  /** Property access modifiers. */
  enum Access { READ_WRITE, READ, WRITE }

  /**
   * A function type {@code <T>(a: A, B, ...C) -> R}.
   *
   * @param varargs the trailing {@code ...T} or {@code T...} of the parameters, or {@code null}
   */
  record Function(
      List<GenericParam> generics,
      List<GenericPackParam> genericPacks,
      List<FunctionParam> params,
      TypePack varargs,
      TypePack returns,
      Span span)
      implements TypeNode {}

  /** One parameter of a function type, with its optional name. */
  record FunctionParam(String name, TypeNode type, Span span) {}

  /** {@code A | B | C}. */
  record Union(List<TypeNode> types, Span span) implements TypeNode {}

  /** {@code A & B & C}. */
  record Intersection(List<TypeNode> types, Span span) implements TypeNode {}

  /** {@code T?}, i.e. {@code T | nil}. */
  record Optional(TypeNode type, Span span) implements TypeNode {}
}
