package io.templateworker.luau.parser;

import io.templateworker.luau.lexer.Lexer;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.lexer.Token;
import io.templateworker.luau.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsers' shared cursor: the token stream with one token of look-ahead, error reporting and recovery, and
 * the nesting budget. {@link TypeParser} adds the type grammar, {@link Parser} statements and expressions.
 */
abstract class TokenCursor {

  /**
   * Nesting limit, as Luau's parser (FInt::LuauRecursionLimit = 1000), counted the same way. On the JVM one
   * level costs up to ~1.5 KB of stack here and again in the compiler walking the tree, so the compiler runs
   * long sources on a thread with a deep stack (see Compiler.compile).
   */
  static final int MAX_DEPTH = 1000;

  /** Parts allowed in one union or intersection, as Luau (FInt::LuauTypeLengthLimit). */
  static final int MAX_TYPE_LENGTH = 1000;

  /** After this many errors parsing stops, as Luau (FInt::LuauParseErrorLimit). */
  static final int MAX_ERRORS = 100;

  /** The recursion-limit message for one kind of construct ("expression", "block", "type annotation"). */
  public static String recursionMessage(String context) {
    return "Exceeded allowed recursion depth; simplify your " + context + " to make the code compile";
  }

  /** Thrown after reporting an error to unwind to the enclosing statement list. */
  static final class Recover extends RuntimeException {
    Recover() {
      super(null, null, false, false);
    }
  }

  /** Thrown to stop parsing altogether (error limit, recursion limit). */
  static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  /** Thrown when a source nests deeper than the depth budget of {@link #parseWithin}. */
  static final class TooDeep extends RuntimeException {
    TooDeep() {
      super(null, null, false, false);
    }
  }

  static final TooDeep TOO_DEEP = new TooDeep();
  static final Recover RECOVER = new Recover();
  static final Abort ABORT = new Abort();

  /** A token that opened a construct, named in "Expected 'end' (to close 'then' at line 3)". */
  record Opener(String text, int line, int column) {}

  final Lexer lexer;
  final List<ParseError> errors = new ArrayList<>();
  Token tok;
  Token ahead;
  Span prev = new Span(1, 1, 1, 1);

  int depth;
  /** MAX_DEPTH, or a smaller budget past which {@link #TOO_DEEP} ends the parse. */
  int depthLimit = MAX_DEPTH;
  /** The most recent opener whose closer was indented differently: a hint for a later missing 'end'. */
  Opener endMismatchSuspect;

  TokenCursor(byte[] source) {
    this.lexer = new Lexer(source);
    this.tok = fetch();
  }

  Token fetch() {
    Token t = lexer.next();
    if (t.error() != null) {
      report(t.span(), t.error());
    }
    return t;
  }

  void advance() {
    prev = tok.span();
    if (ahead != null) {
      tok = ahead;
      ahead = null;
    } else {
      tok = fetch();
    }
  }

  Token peek() {
    if (ahead == null) {
      ahead = fetch();
    }
    return ahead;
  }

  boolean at(TokenKind kind) {
    return tok.kind() == kind;
  }

  boolean atName(String name) {
    return tok.kind() == TokenKind.NAME && tok.text().equals(name);
  }

  boolean accept(TokenKind kind) {
    if (tok.kind() == kind) {
      advance();
      return true;
    }
    return false;
  }

  Span from(Span start) {
    return new Span(start.line(), start.column(), prev.endLine(), prev.endColumn());
  }

  static Opener opener(Token t) {
    return new Opener("'" + t.kind().display() + "'", t.span().line(), t.span().column());
  }

  void report(Span at, String message) {
    if (!errors.isEmpty()) {
      ParseError last = errors.get(errors.size() - 1);
      if (last.line() == at.line() && last.column() == at.column()) {
        return; // one error per position: the rest is cascade
      }
    }
    errors.add(new ParseError(at.line(), at.column(), message));
    if (errors.size() >= MAX_ERRORS) {
      errors.add(new ParseError(at.line(), at.column(), "Reached error limit (" + MAX_ERRORS + ")"));
      throw ABORT;
    }
  }

  /** Reports {@code message} at the current token and returns the exception to unwind with. */
  Recover fail(String message) {
    report(tok.span(), message);
    return RECOVER;
  }

  /**
   * Consumes a token of {@code kind}. If it is missing, reports it and carries on as if it were
   * there (as Luau does); when the expected token comes right after a stray one, skips both.
   */
  void expect(TokenKind kind, String context) {
    if (accept(kind)) {
      return;
    }
    report(tok.span(), "Expected '" + kind.display() + "' when parsing " + context + ", got " + tok.describe());
    skipStrayBefore(kind);
  }

  void skipStrayBefore(TokenKind kind) {
    if (peek().kind() == kind) {
      advance();
      advance();
    }
  }

  /** Consumes the token that closes {@code open}; on failure as {@link #expect}. */
  void expectMatch(TokenKind kind, Opener open) {
    if (accept(kind)) {
      return;
    }
    reportMismatch(kind, open, "");
    skipStrayBefore(kind);
  }

  /**
   * Like {@link #expectMatch}, but on failure looks for the closer further along the same line
   * (stopping at tokens an enclosing rule needs), so one typo in a parameter or type list does not
   * derail the rest of the statement.
   */
  void expectMatchOnLine(TokenKind kind, Opener open) {
    if (accept(kind)) {
      return;
    }
    reportMismatch(kind, open, "");
    int line = prev.endLine();
    while (tok.span().line() == line && !at(kind) && !at(TokenKind.EOF) && !at(TokenKind.END)
        && !at(TokenKind.ARROW) && !at(TokenKind.ASSIGN)) {
      advance();
    }
    accept(kind);
  }

  /**
   * Consumes the 'end' or 'until' that closes {@code open}, remembering mis-indented pairs so a later
   * missing 'end' can point at the likely culprit.
   */
  void expectMatchEnd(TokenKind kind, Opener open) {
    if (at(kind)) {
      Span s = tok.span();
      if (s.line() != open.line() && s.column() != open.column()
          && (endMismatchSuspect == null || endMismatchSuspect.line() < open.line())) {
        endMismatchSuspect = open;
      }
      advance();
      return;
    }
    String extra = "";
    if (endMismatchSuspect != null && endMismatchSuspect.line() > open.line()) {
      extra = "; did you forget to close " + endMismatchSuspect.text() + " at line "
          + endMismatchSuspect.line() + "?";
    }
    reportMismatch(kind, open, extra);
    skipStrayBefore(kind);
  }

  void reportMismatch(TokenKind kind, Opener open, String extra) {
    String where = open.line() == tok.span().line() ? "column " + open.column() : "line " + open.line();
    report(tok.span(), "Expected '" + kind.display() + "' (to close " + open.text() + " at " + where
        + "), got " + tok.describe() + extra);
  }

  /** NAME, or an error "Expected identifier when parsing {context}, got ...". */
  String expectName(String context) {
    if (tok.kind() != TokenKind.NAME) {
      throw fail(context == null
          ? "Expected identifier, got " + tok.describe()
          : "Expected identifier when parsing " + context + ", got " + tok.describe());
    }
    String name = tok.text();
    advance();
    return name;
  }

  /** Counts one level of nesting; past {@link #MAX_DEPTH} reports and stops the parse. */
  void enter(String context) {
    if (++depth > depthLimit) {
      if (depthLimit < MAX_DEPTH) {
        throw TOO_DEEP;
      }
      report(tok.span(), recursionMessage(context));
      throw ABORT;
    }
  }
}
