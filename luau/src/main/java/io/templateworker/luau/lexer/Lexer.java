package io.templateworker.luau.lexer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits Luau source bytes into tokens on demand ({@link #next()}), as Luau's lexer does. Never
 * throws: a malformed string or number keeps its kind and carries an {@link Token#error()}; a
 * character that starts no token becomes an {@link TokenKind#ERROR} token; lexing always goes on.
 * String escapes are decoded here, so string tokens carry their final bytes.
 */
public final class Lexer {

  private static final String MALFORMED_STRING = "Malformed string; did you forget to finish it?";
  private static final String MALFORMED_INTERP =
      "Malformed interpolated string; did you forget to add a '`'?";

  private final byte[] src;
  private int pos;
  private int line = 1;
  private int lineStart;
  private boolean seenToken;
  private final List<HotComment> hotComments = new ArrayList<>();

  /** Open braces: true for one that opened an interpolation ({@code `a{}), false for a table brace. */
  private boolean[] braces = new boolean[8];
  private int braceDepth;

  /** Scratch buffer for decoding string contents. */
  private byte[] buf = new byte[64];
  private int bufLen;

  // Start of the token being scanned.
  private int tokLine;
  private int tokCol;

  // An unfinished long comment found while skipping trivia, returned by next() as an ERROR token.
  private String pendingError;
  private int pendingLine;
  private int pendingColumn;

  public Lexer(byte[] source) {
    this.src = source;
  }

  /** Hot comments ({@code --!...}) seen so far, in source order. */
  public List<HotComment> hotComments() {
    return hotComments;
  }

  /** The next token; {@link TokenKind#EOF} forever once the input is exhausted. */
  public Token next() {
    skipTrivia();
    if (pendingError != null) {
      String message = pendingError;
      pendingError = null;
      tokLine = pendingLine;
      tokCol = pendingColumn;
      return error(message);
    }
    tokLine = line;
    tokCol = pos - lineStart + 1;
    if (pos >= src.length || src[pos] == 0) {
      return make(TokenKind.EOF); // as in Luau, a NUL byte ends the source
    }
    seenToken = true;
    int c = src[pos] & 0xFF;
    switch (c) {
      case '+': return operator('=', TokenKind.PLUS_ASSIGN, TokenKind.PLUS);
      case '*': return operator('=', TokenKind.STAR_ASSIGN, TokenKind.STAR);
      case '%': return operator('=', TokenKind.PERCENT_ASSIGN, TokenKind.PERCENT);
      case '^': return operator('=', TokenKind.CARET_ASSIGN, TokenKind.CARET);
      case '=': return operator('=', TokenKind.EQ, TokenKind.ASSIGN);
      case '<': return operator('=', TokenKind.LE, TokenKind.LT);
      case '>': return operator('=', TokenKind.GE, TokenKind.GT);
      case ':': return operator(':', TokenKind.DCOLON, TokenKind.COLON);
      case '-':
        if (peek(1) == '>') {
          return fixed(2, TokenKind.ARROW);
        }
        return operator('=', TokenKind.MINUS_ASSIGN, TokenKind.MINUS);
      case '/':
        if (peek(1) == '/') {
          return peek(2) == '=' ? fixed(3, TokenKind.DSLASH_ASSIGN) : fixed(2, TokenKind.DSLASH);
        }
        return operator('=', TokenKind.SLASH_ASSIGN, TokenKind.SLASH);
      case '~':
        if (peek(1) == '=') {
          return fixed(2, TokenKind.NE);
        }
        pos++;
        return error("'~'");
      case '!':
        // Confusables from other languages: lexed as the Luau operator, reported once.
        if (peek(1) == '=') {
          return confusable(2, TokenKind.NE, "Unexpected '!='; did you mean '~='?");
        }
        return confusable(1, TokenKind.NOT, "Unexpected '!'; did you mean 'not'?");
      case '.':
        if (peek(1) == '.') {
          if (peek(2) == '.') {
            return fixed(3, TokenKind.DOTS);
          }
          return peek(2) == '=' ? fixed(3, TokenKind.CONCAT_ASSIGN) : fixed(2, TokenKind.CONCAT);
        }
        if (isDigit(peek(1))) {
          return number();
        }
        return fixed(1, TokenKind.DOT);
      case '(': return fixed(1, TokenKind.LPAREN);
      case ')': return fixed(1, TokenKind.RPAREN);
      case ']': return fixed(1, TokenKind.RBRACKET);
      case ';': return fixed(1, TokenKind.SEMICOLON);
      case ',': return fixed(1, TokenKind.COMMA);
      case '#': return fixed(1, TokenKind.HASH);
      case '@': return attribute();
      case '|':
        if (peek(1) == '|') {
          return confusable(2, TokenKind.OR, "Unexpected '||'; did you mean 'or'?");
        }
        return fixed(1, TokenKind.PIPE);
      case '&':
        if (peek(1) == '&') {
          return confusable(2, TokenKind.AND, "Unexpected '&&'; did you mean 'and'?");
        }
        return fixed(1, TokenKind.AMPERSAND);
      case '?': return fixed(1, TokenKind.QUESTION);
      case '{':
        pushBrace(false);
        return fixed(1, TokenKind.LBRACE);
      case '}':
        if (braceDepth > 0 && braces[--braceDepth]) {
          pos++;
          return interpSegment(false);
        }
        return fixed(1, TokenKind.RBRACE);
      case '[': {
        int level = longBracketLevel();
        if (level >= 0) {
          return longString(level);
        }
        if (level == -2) {
          pos++;
          while (peek(0) == '=') {
            pos++;
          }
          bufLen = 0;
          return broken(TokenKind.STRING, MALFORMED_STRING);
        }
        return fixed(1, TokenKind.LBRACKET);
      }
      case '"':
      case '\'':
        return quotedString(c);
      case '`':
        pos++;
        return interpSegment(true);
      default:
        if (isDigit(c)) {
          return number();
        }
        if (isNameStart(c)) {
          return name();
        }
        return unexpected(c);
    }
  }

  // ---- tokens ------------------------------------------------------------------------------

  private Token make(TokenKind kind) {
    return new Token(kind, span(), null, null, 0, 0, null);
  }

  private Span span() {
    return new Span(tokLine, tokCol, line, pos - lineStart + 1);
  }

  private Token fixed(int length, TokenKind kind) {
    pos += length;
    return make(kind);
  }

  private Token operator(int second, TokenKind withSecond, TokenKind alone) {
    return peek(1) == second ? fixed(2, withSecond) : fixed(1, alone);
  }

  /** A token that starts nothing valid; {@code description} is how messages name it. */
  private Token error(String description) {
    return new Token(TokenKind.ERROR, span(), description, null, 0, 0, null);
  }

  private Token confusable(int length, TokenKind kind, String message) {
    pos += length;
    return new Token(kind, span(), null, null, 0, 0, message);
  }

  /** {@code @name} or {@code @[}; the name must follow '@' directly. */
  private Token attribute() {
    if (peek(1) == '[') {
      return fixed(2, TokenKind.ATTRIBUTE_OPEN);
    }
    pos++;
    int start = pos;
    if (pos < src.length && isNameStart(src[pos] & 0xFF)) {
      while (pos < src.length && isNamePart(src[pos] & 0xFF)) {
        pos++;
      }
    }
    String name = new String(src, start, pos - start, StandardCharsets.ISO_8859_1);
    return new Token(TokenKind.ATTRIBUTE, span(), name, null, 0, 0, null);
  }

  /** A token of the intended kind that is malformed: the parser reports {@code message} and goes on. */
  private Token broken(TokenKind kind, String message) {
    return new Token(kind, span(), null, takeBuffer(), 0, 0, message);
  }

  private int peek(int offset) {
    int p = pos + offset;
    return p < src.length ? src[p] & 0xFF : -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameStart(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(int c) {
    return isNameStart(c) || isDigit(c);
  }

  private static int hexValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private void pushBrace(boolean interpolation) {
    if (braceDepth == braces.length) {
      braces = Arrays.copyOf(braces, braceDepth * 2);
    }
    braces[braceDepth++] = interpolation;
  }

  /**
   * Consumes the '\n' at pos and starts a new line. As in Luau only '\n' ends a line; a '\r'
   * is whitespace (so "\r\n" counts once and a lone '\r' not at all).
   */
  private void newline() {
    pos++;
    line++;
    lineStart = pos;
  }

  // ---- whitespace and comments -------------------------------------------------------------

  private void skipTrivia() {
    while (pos < src.length) {
      int c = src[pos];
      if (c == '\n') {
        newline();
      } else if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B || c == '\r') {
        pos++;
      } else if (c == '-' && peek(1) == '-') {
        comment();
      } else {
        return;
      }
    }
  }

  private void comment() {
    int startLine = line;
    int startCol = pos - lineStart + 1;
    pos += 2;
    if (peek(0) == '[') {
      int level = longBracketLevel();
      if (level >= 0) {
        if (!skipLongBracket(level)) {
          // An unfinished long comment swallows the rest of the file; report it at its start.
          pendingLine = startLine;
          pendingColumn = startCol;
          pendingError = "unfinished comment";
        }
        return;
      }
    }
    int start = pos;
    while (pos < src.length && src[pos] != '\n' && src[pos] != '\r' && src[pos] != 0) {
      pos++;
    }
    if (pos - start >= 1 && src[start] == '!') {
      String content = new String(src, start + 1, pos - start - 1, StandardCharsets.UTF_8);
      hotComments.add(new HotComment(!seenToken, content,
          new Span(startLine, startCol, line, pos - lineStart + 1)));
    }
  }


  /**
   * At a '[': the level of the long bracket that opens here ({@code [[} is 0, {@code [==[} is 2),
   * -1 if this is not a long bracket, -2 for {@code [=} without a second '['.
   */
  private int longBracketLevel() {
    int p = pos + 1;
    int level = 0;
    while (p < src.length && src[p] == '=') {
      level++;
      p++;
    }
    if (p < src.length && src[p] == '[') {
      return level;
    }
    return level == 0 ? -1 : -2;
  }

  /**
   * Skips a long bracket body opening at pos, collecting its contents into buf. Returns false if
   * the input ends first.
   */
  private boolean skipLongBracket(int level) {
    pos += level + 2;
    bufLen = 0;
    // The first line break right after the opening bracket is not part of the string.
    if (peek(0) == '\r' && peek(1) == '\n') {
      pos++;
    }
    if (peek(0) == '\n') {
      newline();
    }
    while (pos < src.length && src[pos] != 0) {
      int c = src[pos];
      if (c == ']' && closesLongBracket(level)) {
        pos += level + 2;
        return true;
      }
      if (c == '\n') {
        newline();
        append('\n');
      } else if (c == '\r' && peek(1) == '\n') {
        pos++; // "\r\n" becomes "\n"
      } else {
        append(c);
        pos++;
      }
    }
    return false;
  }

  private boolean closesLongBracket(int level) {
    int p = pos + 1;
    for (int i = 0; i < level; i++, p++) {
      if (p >= src.length || src[p] != '=') {
        return false;
      }
    }
    return p < src.length && src[p] == ']';
  }

  // ---- strings -----------------------------------------------------------------------------

  private void append(int b) {
    if (bufLen == buf.length) {
      buf = Arrays.copyOf(buf, bufLen * 2);
    }
    buf[bufLen++] = (byte) b;
  }

  private byte[] takeBuffer() {
    return Arrays.copyOf(buf, bufLen);
  }

  private Token longString(int level) {
    if (!skipLongBracket(level)) {
      return broken(TokenKind.STRING, MALFORMED_STRING);
    }
    return new Token(TokenKind.STRING, span(), null, takeBuffer(), 0, 0, null);
  }

  private Token quotedString(int quote) {
    pos++;
    bufLen = 0;
    boolean malformedEscape = false;
    while (true) {
      if (pos >= src.length) {
        return broken(TokenKind.STRING, MALFORMED_STRING);
      }
      int c = src[pos] & 0xFF;
      if (c == quote) {
        pos++;
        break;
      }
      if (c == '\n' || c == '\r' || c == 0) {
        return broken(TokenKind.STRING, MALFORMED_STRING);
      }
      if (c == '\\') {
        if (!escape()) {
          malformedEscape = true;
        }
      } else {
        append(c);
        pos++;
      }
    }
    if (malformedEscape) {
      return broken(TokenKind.STRING, "String literal contains malformed escape sequence");
    }
    return new Token(TokenKind.STRING, span(), null, takeBuffer(), 0, 0, null);
  }

  /**
   * Reads a backtick string segment after {@code `} (first) or after the {@code }} that closed an
   * interpolated expression, up to the next {@code {} or closing backtick.
   */
  private Token interpSegment(boolean first) {
    bufLen = 0;
    boolean malformedEscape = false;
    while (true) {
      if (pos >= src.length) {
        return broken(first ? TokenKind.INTERP_SIMPLE : TokenKind.INTERP_END, MALFORMED_INTERP);
      }
      int c = src[pos] & 0xFF;
      if (c == '`') {
        pos++;
        TokenKind kind = first ? TokenKind.INTERP_SIMPLE : TokenKind.INTERP_END;
        if (malformedEscape) {
          return broken(kind, "Interpolated string literal contains malformed escape sequence");
        }
        return new Token(kind, span(), null, takeBuffer(), 0, 0, null);
      }
      if (c == '{') {
        pos++;
        pushBrace(true);
        TokenKind kind = first ? TokenKind.INTERP_BEGIN : TokenKind.INTERP_MID;
        if (peek(0) == '{') {
          return broken(kind, "Double braces are not permitted within interpolated strings; did you mean '\\{'?");
        }
        if (malformedEscape) {
          return broken(kind, "Interpolated string literal contains malformed escape sequence");
        }
        return new Token(kind, span(), null, takeBuffer(), 0, 0, null);
      }
      if (c == '\n' || c == '\r' || c == 0) {
        return broken(first ? TokenKind.INTERP_SIMPLE : TokenKind.INTERP_END, MALFORMED_INTERP);
      }
      if (c == '\\') {
        if (!escape()) {
          malformedEscape = true;
        }
      } else {
        append(c);
        pos++;
      }
    }
  }

  /** Decodes one escape sequence starting at the backslash at pos. Returns false if malformed. */
  private boolean escape() {
    pos++; // the backslash
    if (pos >= src.length || src[pos] == 0) {
      return false; // the string is unfinished: the caller sees the end
    }
    int c = src[pos] & 0xFF;
    switch (c) {
      case 'a': append(7); pos++; return true;
      case 'b': append(8); pos++; return true;
      case 'f': append(12); pos++; return true;
      case 'n': append('\n'); pos++; return true;
      case 'r': append('\r'); pos++; return true;
      case 't': append('\t'); pos++; return true;
      case 'v': append(11); pos++; return true;
      case '\\': case '"': case '\'': case '`': case '{': case '}':
        append(c);
        pos++;
        return true;
      case '\n':
        append('\n');
        newline();
        return true;
      case '\r':
        append('\n');
        pos++;
        if (peek(0) == '\n') {
          newline();
        }
        return true;
      case 'z':
        pos++;
        while (pos < src.length) {
          int w = src[pos];
          if (w == '\n') {
            newline();
          } else if (w == ' ' || w == '\t' || w == '\f' || w == 0x0B || w == '\r') {
            pos++;
          } else {
            break;
          }
        }
        return true;
      case 'x': {
        int hi = hexValue(peek(1));
        int lo = hexValue(peek(2));
        if (hi < 0 || lo < 0) {
          pos++;
          return false;
        }
        append(hi * 16 + lo);
        pos += 3;
        return true;
      }
      case 'u':
        return unicodeEscape();
      default:
        if (isDigit(c)) {
          int value = 0;
          for (int i = 0; i < 3 && pos < src.length && isDigit(src[pos]); i++) {
            value = value * 10 + (src[pos] - '0');
            pos++;
          }
          if (value > 255) {
            return false;
          }
          append(value);
          return true;
        }
        // Luau keeps any other escaped character as itself ("\q" is "q").
        append(c);
        pos++;
        return true;
    }
  }

  /** A backslash-u escape ({@code {XXX}} braces): a code point up to 10FFFF, written as UTF-8. */
  private boolean unicodeEscape() {
    pos++; // 'u'
    if (peek(0) != '{') {
      return false;
    }
    pos++;
    long cp = 0;
    int digits = 0;
    while (pos < src.length && hexValue(src[pos] & 0xFF) >= 0) {
      cp = cp * 16 + hexValue(src[pos] & 0xFF);
      digits++;
      pos++;
      if (cp > 0x10FFFF) {
        return false;
      }
    }
    if (digits == 0 || peek(0) != '}') {
      return false;
    }
    pos++;
    int v = (int) cp;
    if (v < 0x80) {
      append(v);
    } else if (v < 0x800) {
      append(0xC0 | (v >> 6));
      append(0x80 | (v & 0x3F));
    } else if (v < 0x10000) {
      append(0xE0 | (v >> 12));
      append(0x80 | ((v >> 6) & 0x3F));
      append(0x80 | (v & 0x3F));
    } else {
      append(0xF0 | (v >> 18));
      append(0x80 | ((v >> 12) & 0x3F));
      append(0x80 | ((v >> 6) & 0x3F));
      append(0x80 | (v & 0x3F));
    }
    return true;
  }

  // ---- names and numbers -------------------------------------------------------------------

  private Token name() {
    int start = pos;
    while (pos < src.length && isNamePart(src[pos] & 0xFF)) {
      pos++;
    }
    String text = new String(src, start, pos - start, StandardCharsets.ISO_8859_1);
    TokenKind kind = keyword(text);
    return new Token(kind, span(), kind == TokenKind.NAME ? text : null, null, 0, 0, null);
  }

  private static TokenKind keyword(String s) {
    return switch (s) {
      case "and" -> TokenKind.AND;
      case "break" -> TokenKind.BREAK;
      case "do" -> TokenKind.DO;
      case "else" -> TokenKind.ELSE;
      case "elseif" -> TokenKind.ELSEIF;
      case "end" -> TokenKind.END;
      case "false" -> TokenKind.FALSE;
      case "for" -> TokenKind.FOR;
      case "function" -> TokenKind.FUNCTION;
      case "if" -> TokenKind.IF;
      case "in" -> TokenKind.IN;
      case "local" -> TokenKind.LOCAL;
      case "nil" -> TokenKind.NIL;
      case "not" -> TokenKind.NOT;
      case "or" -> TokenKind.OR;
      case "repeat" -> TokenKind.REPEAT;
      case "return" -> TokenKind.RETURN;
      case "then" -> TokenKind.THEN;
      case "true" -> TokenKind.TRUE;
      case "until" -> TokenKind.UNTIL;
      case "while" -> TokenKind.WHILE;
      default -> TokenKind.NAME;
    };
  }

  /**
   * Scans a numeric literal the way Luau does: greedily take letters, digits, '_' and '.', plus a
   * sign right after a decimal exponent marker, then validate the whole text.
   */
  private Token number() {
    int start = pos;
    boolean radix = src[pos] == '0' && (peek(1) == 'x' || peek(1) == 'X' || peek(1) == 'b' || peek(1) == 'B');
    while (pos < src.length) {
      int c = src[pos] & 0xFF;
      if (isNamePart(c) || c == '.') {
        pos++;
      } else if ((c == '+' || c == '-') && !radix && (src[pos - 1] == 'e' || src[pos - 1] == 'E')) {
        pos++;
      } else {
        break;
      }
    }
    String text = new String(src, start, pos - start, StandardCharsets.ISO_8859_1);
    return NumberParser.parse(text, span());
  }

  private Token unexpected(int c) {
    if (c < 0x80) {
      pos++;
      return error("'" + (char) c + "'");
    }
    int cp = decodeUtf8();
    if (cp < 0) {
      return error("invalid UTF-8 sequence");
    }
    String description = "Unicode character U+" + Integer.toHexString(cp);
    String lookalike = confusableWith(cp);
    return error(lookalike == null ? description : description + " (did you mean '" + lookalike + "'?)");
  }

  /** The ASCII character a common look-alike stands for (typographic quotes, dashes, spaces). */
  private static String confusableWith(int cp) {
    return switch (cp) {
      case 0x2018, 0x2019, 0x2032 -> "'";
      case 0x201C, 0x201D, 0x2033 -> "\"";
      case 0x2013, 0x2014, 0x2212 -> "-";
      case 0x00A0, 0x2002, 0x2003, 0x2009 -> " ";
      case 0xFF08 -> "(";
      case 0xFF09 -> ")";
      default -> null;
    };
  }

  /** Decodes the UTF-8 sequence at pos and advances past it; -1 (skipping one byte) if malformed. */
  private int decodeUtf8() {
    int c = src[pos] & 0xFF;
    int extra;
    int cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      pos++;
      return -1;
    }
    for (int i = 1; i <= extra; i++) {
      int b = peek(i);
      if (b < 0 || (b & 0xC0) != 0x80) {
        pos++;
        return -1;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    pos += extra + 1;
    return cp;
  }

  /** Turns the text of a numeric literal into a NUMBER, INTEGER or ERROR token. */
  static final class NumberParser {
    private NumberParser() {}

    static Token parse(String raw, Span span) {
      String text = raw.indexOf('_') >= 0 ? raw.replace("_", "") : raw;
      boolean integer = text.endsWith("i");
      String body = integer ? text.substring(0, text.length() - 1) : text;
      if (body.length() > 2 && body.charAt(0) == '0') {
        char r = body.charAt(1);
        if (r == 'x' || r == 'X') {
          return radix(raw, body.substring(2), 16, 4, integer, span);
        }
        if (r == 'b' || r == 'B') {
          return radix(raw, body.substring(2), 2, 1, integer, span);
        }
      }
      if (integer) {
        if (!allDigits(body)) {
          return malformedInteger(raw, span);
        }
        try {
          return new Token(TokenKind.INTEGER, span, raw, null, 0, Long.parseLong(body), null);
        } catch (NumberFormatException e) {
          return outOfRange(raw, span);
        }
      }
      if (!isDecimal(body)) {
        return malformed(raw, span);
      }
      return new Token(TokenKind.NUMBER, span, raw, null, Double.parseDouble(body), 0, null);
    }

    private static Token radix(String raw, String digits, int base, int bitsPerDigit, boolean integer, Span span) {
      if (digits.isEmpty()) {
        return integer ? malformedInteger(raw, span) : malformed(raw, span);
      }
      int significant = 0;
      for (int i = 0; i < digits.length(); i++) {
        int v = hexValue(digits.charAt(i));
        if (v < 0 || v >= base) {
          return integer ? malformedInteger(raw, span) : malformed(raw, span);
        }
        if (v != 0 || significant > 0) {
          significant++;
        }
      }
      boolean fitsLong = significant * bitsPerDigit <= 64;
      if (integer) {
        if (!fitsLong) {
          return outOfRange(raw, span);
        }
        return new Token(TokenKind.INTEGER, span, raw, null, 0, Long.parseUnsignedLong(digits, base), null);
      }
      double value = fitsLong
          ? unsignedToDouble(Long.parseUnsignedLong(digits, base))
          : new BigInteger(digits, base).doubleValue();
      return new Token(TokenKind.NUMBER, span, raw, null, value, 0, null);
    }

    private static double unsignedToDouble(long v) {
      return v >= 0 ? (double) v : new BigInteger(Long.toUnsignedString(v)).doubleValue();
    }

    private static boolean allDigits(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        if (!isDigit(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /** digits [. digits] [(e|E) [+|-] digits], with at least one mantissa digit. */
    private static boolean isDecimal(String s) {
      int i = 0;
      int n = s.length();
      int mantissaDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        mantissaDigits++;
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        while (i < n && isDigit(s.charAt(i))) {
          i++;
          mantissaDigits++;
        }
      }
      if (mantissaDigits == 0) {
        return false;
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        int expDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
          i++;
          expDigits++;
        }
        if (expDigits == 0) {
          return false;
        }
      }
      return i == n;
    }

    private static Token malformed(String raw, Span span) {
      return new Token(TokenKind.NUMBER, span, raw, null, 0, 0, "Malformed number");
    }

    private static Token malformedInteger(String raw, Span span) {
      return new Token(TokenKind.INTEGER, span, raw, null, 0, 0, "Malformed integer");
    }

    /** Decimal integer literals must fit a signed 64-bit value; hex and binary ones any 64-bit pattern. */
    private static Token outOfRange(String raw, Span span) {
      return new Token(TokenKind.INTEGER, span, raw, null, 0, 0, "Integer overflow");
    }
  }
}
