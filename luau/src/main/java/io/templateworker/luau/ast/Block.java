package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/** A sequence of statements forming one lexical scope (a chunk, a loop body, a function body...). */
public record Block(List<Stat> stats, Span span) {}
