/**
 * Recursive-descent parser for the whole Luau grammar, including the type language. Entry point:
 * {@link io.templateworker.luau.parser.Parser#parse(byte[], String)}, which never throws and returns
 * the chunk together with every syntax error found.
 */
package io.templateworker.luau.parser;
