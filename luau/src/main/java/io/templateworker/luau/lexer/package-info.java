/**
 * Turns Luau source bytes into tokens: long brackets, every numeric form, every string escape
 * (decoded to bytes here), backtick interpolation, comments and hot comments ({@code --!strict}).
 */
package io.templateworker.luau.lexer;
