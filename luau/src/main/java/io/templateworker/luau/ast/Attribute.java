package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/**
 * A function attribute such as {@code @native}, {@code @checked} or {@code @deprecated}, or one
 * entry of the {@code @[name(args), ...]} form.
 *
 * @param args literal arguments (only in the {@code @[...]} form; empty otherwise)
 */
public record Attribute(String name, List<Expr> args, Span span) {}
