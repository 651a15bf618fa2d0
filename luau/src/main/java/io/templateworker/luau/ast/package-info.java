/**
 * The syntax tree of a Luau chunk: sealed {@link io.templateworker.luau.ast.Expr},
 * {@link io.templateworker.luau.ast.Stat} and {@link io.templateworker.luau.ast.TypeNode} record
 * hierarchies, each node carrying its source span. Produced by the parser, consumed by the compiler
 * (which resolves scopes) and by {@link io.templateworker.luau.ast.AstPrinter} for golden tests.
 */
package io.templateworker.luau.ast;
