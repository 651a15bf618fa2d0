package io.templateworker.luau.lexer;

import java.nio.charset.StandardCharsets;

/**
 * One token.
 *
 * @param text the identifier for {@link TokenKind#NAME} and {@link TokenKind#ATTRIBUTE}, the source
 *     text of a number, the description of an {@link TokenKind#ERROR}; {@code null} otherwise
 * @param bytes the decoded contents of a string or interpolated-string segment, else {@code null}
 * @param number the value of a {@link TokenKind#NUMBER}
 * @param integer the value of an {@link TokenKind#INTEGER}
 * @param error why the token is malformed (an unfinished string, a malformed number or escape), or
 *     {@code null}; a malformed token keeps its intended kind so the parser can carry on
 */
public record Token(
    TokenKind kind, Span span, String text, byte[] bytes, double number, long integer, String error) {

  /** The token as Luau's parser names it in messages: {@code 'end'}, {@code <eof>}, {@code "str"}. */
  public String describe() {
    return switch (kind) {
      case EOF -> "<eof>";
      case NAME, NUMBER, INTEGER -> "'" + text + "'";
      case ATTRIBUTE -> "'@" + text + "'";
      case STRING -> "\"" + contents() + "\"";
      case INTERP_SIMPLE -> "`" + contents() + "`";
      case INTERP_BEGIN -> "`" + contents() + "{";
      case INTERP_MID -> "}" + contents() + "{";
      case INTERP_END -> "}" + contents() + "`";
      case ERROR -> text;
      default -> "'" + kind.display() + "'";
    };
  }

  private String contents() {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
