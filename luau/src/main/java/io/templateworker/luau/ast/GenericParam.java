package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/**
 * A generic type parameter {@code T} of a function or type alias.
 *
 * @param defaultType the default ({@code T = number}, type aliases only), or {@code null}
 */
public record GenericParam(String name, TypeNode defaultType, Span span) {}
