package io.templateworker.luau.lexer;

/**
 * A {@code --!name args} comment.
 *
 * @param header whether it came before the first token (only header hot comments such as
 *     {@code --!strict} or {@code --!native} take effect in Luau)
 * @param content the text after {@code --!}
 */
public record HotComment(boolean header, String content, Span span) {}
