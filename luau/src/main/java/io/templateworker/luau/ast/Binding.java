package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/**
 * A name being declared (local, parameter, loop variable) with its optional type annotation.
 *
 * @param type the annotation, or {@code null} when there is none
 */
public record Binding(String name, TypeNode type, Span span) {}
