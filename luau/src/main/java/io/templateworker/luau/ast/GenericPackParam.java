package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;

/**
 * A generic type pack parameter {@code T...} of a function or type alias.
 *
 * @param defaultPack the default ({@code T... = (number, string)}, type aliases only), or {@code null}
 */
public record GenericPackParam(String name, TypePack defaultPack, Span span) {}
