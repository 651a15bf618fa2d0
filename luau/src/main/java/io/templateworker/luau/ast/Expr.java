package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/**
 * Expressions. Names are unresolved ({@link Name}); the compiler decides local, upvalue or global.
 * String contents are raw bytes with escapes already decoded; records holding {@code byte[]} compare
 * by identity.
 */
public sealed interface Expr {

  /** Where the expression is in the source. */
  Span span();

  /** {@code nil}. */
  record Nil(Span span) implements Expr {}

  /** {@code true} or {@code false}. */
  record Bool(boolean value, Span span) implements Expr {}

  /** A number literal (any form except the {@code i} suffix). */
  record Num(double value, Span span) implements Expr {}

  /** An integer literal with the {@code i} suffix ({@code 123i}), a 64-bit two's-complement value. */
  record Int(long value, Span span) implements Expr {}

  /** A quoted or long-bracket string literal. */
  record Str(byte[] value, Span span) implements Expr {}

  /** {@code ...} inside a vararg function. */
  record Vararg(Span span) implements Expr {}

  /** A bare identifier: a local, upvalue or global. */
  record Name(String name, Span span) implements Expr {}

  /** {@code obj[key]}. */
  record Index(Expr object, Expr key, Span span) implements Expr {}

  /** {@code obj.name}. */
  record Field(Expr object, String name, Span span) implements Expr {}

  /** {@code fn(args)}, {@code fn "s"} or {@code fn {...}}. */
  record Call(Expr function, List<Expr> args, Span span) implements Expr {}

  /**
   * {@code obj:name(args)}.
   *
   * @param typeArgs explicit instantiation {@code obj:name<<T>>(args)}; empty when absent
   */
  record MethodCall(Expr object, String name, List<TypeArg> typeArgs, List<Expr> args, Span span)
      implements Expr {}

  /** Explicit type instantiation {@code f<<T, U>>}; no effect at run time. */
  record Instantiate(Expr target, List<TypeArg> typeArgs, Span span) implements Expr {}

  /** An anonymous {@code function ... end}. */
  record Function(FunctionBody body, Span span) implements Expr {}

  /** A table constructor {@code {...}}. */
  record Table(List<TableField> fields, Span span) implements Expr {}

  /** {@code op operand}. */
  record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

  /** {@code left op right}; {@code and}/{@code or} short-circuit. */
  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

  /** {@code (inner)}: also truncates a multi-value call or vararg to one value. */
  record Paren(Expr inner, Span span) implements Expr {}

  /** {@code if c then a else b}; an {@code elseif} chain nests in {@code otherwise}. */
  record IfElse(Expr condition, Expr then, Expr otherwise, Span span) implements Expr {}

  /**
   * An interpolated string {@code `a{x}b`}: {@code parts.size() == exprs.size() + 1}; the value is
   * parts[0] .. tostring(exprs[0]) .. parts[1] ... A backtick string without any {@code {}} is a
   * plain {@link Str}, as in Luau.
   */
  record Interp(List<byte[]> parts, List<Expr> exprs, Span span) implements Expr {}

  /**
   * {@code expr :: type}; only one cast per operand (chain them with parentheses, as Luau requires).
   * No effect at run time except truncating to one value.
   */
  record TypeCast(Expr expr, TypeNode type, Span span) implements Expr {}
}
