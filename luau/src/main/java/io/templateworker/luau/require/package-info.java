/**
 * {@code require} over a host-supplied virtual file system: Luau's require-by-string path rules
 * ({@code ./x}, {@code ../x}, {@code @alias/x}, {@code @self/x}, {@code init.luau}, {@code .luau}/{@code .lua}),
 * a module cache per environment, and cyclic requires reported with the chain.
 */
package io.templateworker.luau.require;
