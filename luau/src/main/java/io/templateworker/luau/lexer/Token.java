package io.templateworker.luau.lexer;

/**
 * One token.
 *
 * @param text the identifier for {@link TokenKind#NAME}, the source text of a number, the message
 *     of an {@link TokenKind#ERROR}; {@code null} for symbols and keywords
 * @param bytes the decoded contents of a string or interpolated-string segment, else {@code null}
 * @param number the value of a {@link TokenKind#NUMBER}
 * @param integer the value of an {@link TokenKind#INTEGER}
 * @param error why the token is malformed (an unfinished string, a malformed number or escape), or
 *     {@code null}; a malformed token keeps its intended kind so the parser can carry on
 */
public record Token(
    TokenKind kind, Span span, String text, byte[] bytes, double number, long integer, String error) {

  /** The token as Luau's parser quotes it in messages: {@code 'end'}, {@code <eof>}, {@code 'foo'}. */
  public String describe() {
    return switch (kind) {
      case EOF -> "<eof>";
      case NAME -> "'" + text + "'";
      case NUMBER, INTEGER -> "'" + text + "'";
      case STRING -> bytes != null && bytes.length <= 40
          ? "\"" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "\""
          : "string";
      case INTERP_SIMPLE, INTERP_BEGIN, INTERP_MID, INTERP_END -> "interpolated string";
      case ERROR -> text;
      default -> "'" + kind.display() + "'";
    };
  }
}
