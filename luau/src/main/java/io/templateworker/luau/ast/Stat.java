package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/** Statements. */
public sealed interface Stat {

  /** Where the statement is in the source. */
  Span span();

  /** {@code local a: T, b = x, y}; {@code values} may be empty. */
  record Local(List<Binding> names, List<Expr> values, Span span) implements Stat {}

  /** {@code a, b.c, d[e] = x, y}; targets are {@link Expr.Name}, {@link Expr.Field} or {@link Expr.Index}. */
  record Assign(List<Expr> targets, List<Expr> values, Span span) implements Stat {}

  /** {@code target op= value}; {@code op} is one of + - * / // % ^ .. ; target evaluated once. */
  record CompoundAssign(BinaryOp op, Expr target, Expr value, Span span) implements Stat {}

  /** A function call used as a statement: {@link Expr.Call} or {@link Expr.MethodCall}. */
  record CallStat(Expr call, Span span) implements Stat {}

  /** {@code do ... end}. */
  record Do(Block body, Span span) implements Stat {}

  /** {@code while cond do ... end}. */
  record While(Expr condition, Block body, Span span) implements Stat {}

  /** {@code repeat ... until cond}; the condition sees the body's locals. */
  record Repeat(Block body, Expr condition, Span span) implements Stat {}

  /** {@code if ... then ... elseif ... else ... end}. */
  record If(List<IfClause> clauses, Block elseBody, Span span) implements Stat {}

  /** One {@code if}/{@code elseif} condition with its block. */
  record IfClause(Expr condition, Block body, Span span) {}

  /** {@code for i = start, limit[, step] do ... end}; {@code step} is {@code null} when omitted. */
  record NumericFor(Binding var, Expr start, Expr limit, Expr step, Block body, Span span)
      implements Stat {}

  /** {@code for a, b in explist do ... end} (also generalized iteration over a table). */
  record GenericFor(List<Binding> vars, List<Expr> values, Block body, Span span) implements Stat {}

  /**
   * {@code function a.b.c:m() ... end}: assigns a new closure to {@code target}, which is a
   * {@link Expr.Name} or a {@link Expr.Field} chain (the method name is the last field).
   */
  record Function(Expr target, FunctionBody body, Span span) implements Stat {}

  /** {@code local function f() ... end}: {@code f} is in scope inside its own body. */
  record LocalFunction(Binding name, FunctionBody body, Span span) implements Stat {}

  /** {@code return explist}. */
  record Return(List<Expr> values, Span span) implements Stat {}

  /** {@code break}. */
  record Break(Span span) implements Stat {}

  /** {@code continue}. */
  record Continue(Span span) implements Stat {}

  /** {@code [export] type Name<T, U... = ...> = Type}; no effect at run time. */
  record TypeAlias(
      boolean exported,
      String name,
      List<GenericParam> generics,
      List<GenericPackParam> genericPacks,
      TypeNode type,
      Span span)
      implements Stat {}

  /** {@code [export] type function Name(...) ... end}; runs only in the type checker, not here. */
  record TypeFunction(boolean exported, String name, FunctionBody body, Span span) implements Stat {}
}
