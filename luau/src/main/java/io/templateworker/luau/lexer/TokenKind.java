package io.templateworker.luau.lexer;

/**
 * Kinds of tokens. Contextual keywords ({@code continue}, {@code type}, {@code export}, ...) are
 * {@link #NAME}.
 */
public enum TokenKind {
  EOF("<eof>"),
  NAME("identifier"),
  NUMBER("number"),
  INTEGER("integer"),
  STRING("string"),
  /** A backtick string without any {@code {expr}}: {@code `text`}. */
  INTERP_SIMPLE("interpolated string"),
  /** {@code `text{} of an interpolated string. */
  INTERP_BEGIN("interpolated string"),
  /** {@code }text{} between two expressions of an interpolated string. */
  INTERP_MID("interpolated string"),
  /** {@code }text`} closing an interpolated string. */
  INTERP_END("interpolated string"),
  /**
   * A character that starts no token (such as {@code $}, {@code ~} alone, a non-ASCII character) or
   * an unfinished long comment; its text is how Luau names it in messages ({@code '$'},
   * {@code Unicode character U+e9}, {@code unfinished comment}). The parser reports it in context.
   */
  ERROR("error"),
  /** {@code @name}; the text is the name without '@' (empty when '@' is followed by no name). */
  ATTRIBUTE("attribute"),
  /** {@code @[} opening an attribute list. */
  ATTRIBUTE_OPEN("@["),

  AND("and"), BREAK("break"), DO("do"), ELSE("else"), ELSEIF("elseif"), END("end"),
  FALSE("false"), FOR("for"), FUNCTION("function"), IF("if"), IN("in"), LOCAL("local"),
  NIL("nil"), NOT("not"), OR("or"), REPEAT("repeat"), RETURN("return"), THEN("then"),
  TRUE("true"), UNTIL("until"), WHILE("while"),

  PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), DSLASH("//"), PERCENT("%"), CARET("^"),
  HASH("#"), CONCAT(".."), DOT("."), DOTS("..."), EQ("=="), NE("~="), LE("<="), GE(">="),
  LT("<"), GT(">"), ASSIGN("="), LPAREN("("), RPAREN(")"), LBRACE("{"), RBRACE("}"),
  LBRACKET("["), RBRACKET("]"), SEMICOLON(";"), COLON(":"), DCOLON("::"), COMMA(","),
  PLUS_ASSIGN("+="), MINUS_ASSIGN("-="), STAR_ASSIGN("*="), SLASH_ASSIGN("/="),
  DSLASH_ASSIGN("//="), PERCENT_ASSIGN("%="), CARET_ASSIGN("^="), CONCAT_ASSIGN("..="),
  ARROW("->"), PIPE("|"), AMPERSAND("&"), QUESTION("?");

  private final String display;

  TokenKind(String display) {
    this.display = display;
  }

  /** How the kind is named in error messages: the symbol for fixed tokens. */
  public String display() {
    return display;
  }

  /** Whether this kind is a reserved word. */
  public boolean isKeyword() {
    return ordinal() >= AND.ordinal() && ordinal() <= WHILE.ordinal();
  }
}
