/**
 * AST to executable tree: the {@link io.templateworker.luau.compiler.Resolver} finds the locals inner functions
 * capture (only those live in cells), and the {@link io.templateworker.luau.compiler.Compiler} assigns frame
 * slots, resolves upvalues at compile time, checks Luau's compile-time limits and builds the node tree.
 */
package io.templateworker.luau.compiler;
