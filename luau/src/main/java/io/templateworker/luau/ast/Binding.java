package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/**
 * A name being declared (local, parameter, loop variable) with its optional type annotation.
 *
 * @param type the annotation, or {@code null} when there is none
 * @param constant declared with {@code const}: it may not be assigned (Luau 0.735)
 */
public record Binding(String name, TypeNode type, Span span, boolean constant) {
  public Binding(String name, TypeNode type, Span span) {
    this(name, type, span, false);
  }
}
