package io.templateworker.luau.parser;

import io.templateworker.luau.ast.Attribute;
import io.templateworker.luau.ast.BinaryOp;
import io.templateworker.luau.ast.Binding;
import io.templateworker.luau.ast.Block;
import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.FunctionBody;
import io.templateworker.luau.ast.GenericPackParam;
import io.templateworker.luau.ast.GenericParam;
import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.ast.TableField;
import io.templateworker.luau.ast.TypeArg;
import io.templateworker.luau.ast.TypeNode;
import io.templateworker.luau.ast.TypePack;
import io.templateworker.luau.ast.UnaryOp;
import io.templateworker.luau.lexer.Lexer;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.lexer.Token;
import io.templateworker.luau.lexer.TokenKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Recursive-descent parser for Luau: one method per grammar rule, named after it (see the grammar
 * on luau.org); messages are worded like Luau's parser. Never throws: syntax errors are collected,
 * the parser resynchronises at the next statement and carries on, up to {@link #MAX_ERRORS}.
 *
 * <p>Like Luau, nesting is bounded: every nested block, expression, type, call or index suffix and
 * binary operator in a chain counts towards {@link #MAX_DEPTH}, so the tree handed to the compiler is
 * never deeper than that, and deep input ends in an error instead of a StackOverflowError.
 */
public final class Parser {

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

  private static final int UNARY_PRIORITY = 8;

  /** Thrown after reporting an error to unwind to the enclosing statement list. */
  private static final class Recover extends RuntimeException {
    Recover() {
      super(null, null, false, false);
    }
  }

  /** Thrown to stop parsing altogether (error limit, recursion limit). */
  private static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  /** Thrown when a source nests deeper than the depth budget of {@link #parseWithin}. */
  private static final class TooDeep extends RuntimeException {
    TooDeep() {
      super(null, null, false, false);
    }
  }

  private static final TooDeep TOO_DEEP = new TooDeep();
  private static final Recover RECOVER = new Recover();
  private static final Abort ABORT = new Abort();

  /** A token that opened a construct, named in "Expected 'end' (to close 'then' at line 3)". */
  private record Opener(String text, int line, int column) {}

  private final Lexer lexer;
  private final List<ParseError> errors = new ArrayList<>();
  private Token tok;
  private Token ahead;
  private Span prev = new Span(1, 1, 1, 1);

  private int depth;
  /** MAX_DEPTH, or a smaller budget past which {@link #TOO_DEEP} ends the parse. */
  private int depthLimit = MAX_DEPTH;
  private int loopDepth;
  private boolean varargAllowed = true;
  /** The most recent opener whose closer was indented differently: a hint for a later missing 'end'. */
  private Opener endMismatchSuspect;

  private Parser(byte[] source) {
    this.lexer = new Lexer(source);
    this.tok = fetch();
  }

  /**
   * Parses a whole chunk. Never throws; check {@link ParseResult#ok()} before compiling.
   *
   * @param chunkName the name used for this source in messages (e.g. the file name)
   */
  public static ParseResult parse(byte[] source, String chunkName) {
    return parse(source, chunkName, MAX_DEPTH);
  }

  /**
   * Parses a chunk unless it nests deeper than {@code depthBudget} (at most {@link #MAX_DEPTH}); then
   * returns null, so the caller can parse it again with {@link #parse(byte[], String)} on a thread whose
   * stack holds the full depth. Lets common, shallow sources be compiled on the caller's own stack.
   */
  public static ParseResult parseWithin(byte[] source, String chunkName, int depthBudget) {
    return parse(source, chunkName, Math.min(depthBudget, MAX_DEPTH));
  }

  private static ParseResult parse(byte[] source, String chunkName, int depthLimit) {
    Parser p = new Parser(source);
    p.depthLimit = depthLimit;
    Block chunk;
    try {
      chunk = p.chunk();
    } catch (TooDeep e) {
      return null;
    } catch (Abort e) {
      chunk = new Block(List.of(), Span.NONE);
    } catch (StackOverflowError e) {
      // Only on a thread with a very small stack: the depth limit normally comes first.
      p.errors.add(new ParseError(p.tok.span().line(), p.tok.span().column(), recursionMessage("code")));
      chunk = new Block(List.of(), Span.NONE);
    }
    List<ParseError> errors = p.errors;
    if (errors.size() > 1) {
      errors.sort(Comparator.comparingInt(ParseError::line).thenComparingInt(ParseError::column));
    }
    return new ParseResult(chunkName, chunk, List.copyOf(errors), List.copyOf(p.lexer.hotComments()));
  }

  // ---- tokens and errors -------------------------------------------------------------------

  private Token fetch() {
    Token t = lexer.next();
    if (t.error() != null) {
      report(t.span(), t.error());
    }
    return t;
  }

  private void advance() {
    prev = tok.span();
    if (ahead != null) {
      tok = ahead;
      ahead = null;
    } else {
      tok = fetch();
    }
  }

  private Token peek() {
    if (ahead == null) {
      ahead = fetch();
    }
    return ahead;
  }

  private boolean at(TokenKind kind) {
    return tok.kind() == kind;
  }

  private boolean atName(String name) {
    return tok.kind() == TokenKind.NAME && tok.text().equals(name);
  }

  private boolean accept(TokenKind kind) {
    if (tok.kind() == kind) {
      advance();
      return true;
    }
    return false;
  }

  private Span from(Span start) {
    return new Span(start.line(), start.column(), prev.endLine(), prev.endColumn());
  }

  private static Opener opener(Token t) {
    return new Opener("'" + t.kind().display() + "'", t.span().line(), t.span().column());
  }

  private void report(Span at, String message) {
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
  private Recover fail(String message) {
    report(tok.span(), message);
    return RECOVER;
  }

  /**
   * Consumes a token of {@code kind}. If it is missing, reports it and carries on as if it were
   * there (as Luau does); when the expected token comes right after a stray one, skips both.
   */
  private void expect(TokenKind kind, String context) {
    if (accept(kind)) {
      return;
    }
    report(tok.span(), "Expected '" + kind.display() + "' when parsing " + context + ", got " + tok.describe());
    skipStrayBefore(kind);
  }

  private void skipStrayBefore(TokenKind kind) {
    if (peek().kind() == kind) {
      advance();
      advance();
    }
  }

  /** Consumes the token that closes {@code open}; on failure as {@link #expect}. */
  private void expectMatch(TokenKind kind, Opener open) {
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
  private void expectMatchOnLine(TokenKind kind, Opener open) {
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
  private void expectMatchEnd(TokenKind kind, Opener open) {
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

  private void reportMismatch(TokenKind kind, Opener open, String extra) {
    String where = open.line() == tok.span().line() ? "column " + open.column() : "line " + open.line();
    report(tok.span(), "Expected '" + kind.display() + "' (to close " + open.text() + " at " + where
        + "), got " + tok.describe() + extra);
  }

  /** NAME, or an error "Expected identifier when parsing {context}, got ...". */
  private String expectName(String context) {
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
  private void enter(String context) {
    if (++depth > depthLimit) {
      if (depthLimit < MAX_DEPTH) {
        throw TOO_DEEP;
      }
      report(tok.span(), recursionMessage(context));
      throw ABORT;
    }
  }

  // ---- blocks and statements ---------------------------------------------------------------

  private Block chunk() {
    Span start = tok.span();
    List<Stat> stats = new ArrayList<>();
    while (true) {
      statList(stats);
      if (at(TokenKind.EOF)) {
        break;
      }
      report(tok.span(), "Expected <eof>, got " + tok.describe());
      int line = tok.span().line();
      advance(); // a stray 'end', 'else', 'elseif' or 'until'
      synchronize(null, line);
    }
    return new Block(stats, from(start));
  }

  private Block block() {
    Span start = tok.span();
    List<Stat> stats = new ArrayList<>();
    statList(stats);
    return new Block(stats, stats.isEmpty()
        ? new Span(start.line(), start.column(), start.line(), start.column())
        : from(start));
  }

  private static boolean blockFollow(TokenKind k) {
    return k == TokenKind.EOF || k == TokenKind.END || k == TokenKind.ELSE
        || k == TokenKind.ELSEIF || k == TokenKind.UNTIL;
  }

  /** block ::= {stat [';']} [laststat [';']]; appends to {@code stats}, recovering from errors. */
  private void statList(List<Stat> stats) {
    while (!blockFollow(tok.kind())) {
      int savedDepth = depth;
      int savedLoops = loopDepth;
      boolean savedVararg = varargAllowed;
      Token before = tok;
      try {
        enter("block");
        Stat s = stat();
        depth = savedDepth;
        stats.add(s);
        accept(TokenKind.SEMICOLON);
        if (s instanceof Stat.Return || s instanceof Stat.Break || s instanceof Stat.Continue) {
          return; // laststat
        }
      } catch (Recover e) {
        depth = savedDepth;
        loopDepth = savedLoops;
        varargAllowed = savedVararg;
        synchronize(before, tok.span().line());
      }
    }
  }

  /**
   * Skips to a token that plausibly starts the next statement (a statement keyword, or a name or
   * '(' on a later line than the error) or ends the block.
   */
  private void synchronize(Token statementStart, int errorLine) {
    if (tok == statementStart && !blockFollow(tok.kind())) {
      advance(); // guarantee progress
    }
    while (!blockFollow(tok.kind())) {
      switch (tok.kind()) {
        case LOCAL, FUNCTION, IF, WHILE, FOR, REPEAT, DO, RETURN, BREAK, ATTRIBUTE, ATTRIBUTE_OPEN:
          return;
        case NAME, LPAREN:
          if (tok.span().line() != errorLine) {
            return;
          }
          break;
        default:
          break;
      }
      advance();
    }
  }

  private Stat stat() {
    return switch (tok.kind()) {
      case IF -> ifStat();
      case WHILE -> whileStat();
      case DO -> doStat();
      case FOR -> forStat();
      case REPEAT -> repeatStat();
      case FUNCTION -> functionStat(List.of(), tok.span());
      case LOCAL -> localStat(List.of(), tok.span());
      case RETURN -> returnStat();
      case BREAK -> breakStat();
      case ATTRIBUTE, ATTRIBUTE_OPEN -> attributeStat();
      default -> exprStat();
    };
  }

  /** 'if' exp 'then' block {'elseif' exp 'then' block} ['else' block] 'end'. */
  private Stat ifStat() {
    Span start = tok.span();
    List<Stat.IfClause> clauses = new ArrayList<>();
    Opener open;
    do {
      Span clauseStart = tok.span();
      advance(); // 'if' or 'elseif'
      Expr cond = expr();
      open = opener(tok);
      expect(TokenKind.THEN, "if statement");
      Block body = block();
      clauses.add(new Stat.IfClause(cond, body, from(clauseStart)));
    } while (at(TokenKind.ELSEIF));
    Block elseBody = null;
    if (at(TokenKind.ELSE)) {
      open = opener(tok);
      advance();
      elseBody = block();
    }
    expectMatchEnd(TokenKind.END, open);
    return new Stat.If(clauses, elseBody, from(start));
  }

  /** 'while' exp 'do' block 'end'. */
  private Stat whileStat() {
    Span start = tok.span();
    advance();
    Expr cond = expr();
    Opener open = opener(tok);
    expect(TokenKind.DO, "while loop");
    Block body = loopBody();
    expectMatchEnd(TokenKind.END, open);
    return new Stat.While(cond, body, from(start));
  }

  private Block loopBody() {
    loopDepth++;
    Block body = block();
    loopDepth--;
    return body;
  }

  /** 'do' block 'end'. */
  private Stat doStat() {
    Span start = tok.span();
    Opener open = opener(tok);
    advance();
    Block body = block();
    expectMatchEnd(TokenKind.END, open);
    return new Stat.Do(body, from(start));
  }

  /** 'repeat' block 'until' exp. */
  private Stat repeatStat() {
    Span start = tok.span();
    Opener open = opener(tok);
    advance();
    Block body = loopBody();
    expectMatchEnd(TokenKind.UNTIL, open);
    Expr cond = expr();
    return new Stat.Repeat(body, cond, from(start));
  }

  /**
   * 'for' binding '=' exp ',' exp [',' exp] 'do' block 'end'
   * | 'for' bindinglist 'in' explist 'do' block 'end'.
   */
  private Stat forStat() {
    Span start = tok.span();
    advance();
    Binding first = binding();
    if (accept(TokenKind.ASSIGN)) {
      Expr from = expr();
      expect(TokenKind.COMMA, "index range");
      Expr limit = expr();
      Expr step = null;
      if (accept(TokenKind.COMMA)) {
        step = expr();
      }
      Opener open = opener(tok);
      expect(TokenKind.DO, "for loop");
      Block body = loopBody();
      expectMatchEnd(TokenKind.END, open);
      return new Stat.NumericFor(first, from, limit, step, body, from(start));
    }
    List<Binding> vars = new ArrayList<>();
    vars.add(first);
    while (accept(TokenKind.COMMA)) {
      vars.add(binding());
    }
    expect(TokenKind.IN, "for loop");
    List<Expr> values = exprList();
    Opener open = opener(tok);
    expect(TokenKind.DO, "for loop");
    Block body = loopBody();
    expectMatchEnd(TokenKind.END, open);
    return new Stat.GenericFor(vars, values, body, from(start));
  }

  /** attributes 'function' funcname funcbody, funcname ::= NAME {'.' NAME} [':' NAME]. */
  private Stat functionStat(List<Attribute> attributes, Span start) {
    Opener open = opener(tok);
    Span functionStart = tok.span();
    advance();
    Span nameStart = tok.span();
    String name = expectName("function name");
    Expr target = new Expr.Name(name, from(nameStart));
    int savedDepth = depth;
    while (at(TokenKind.DOT)) {
      advance();
      name = expectName("field name");
      target = new Expr.Field(target, name, from(nameStart));
      enter("function name");
    }
    depth = savedDepth;
    boolean method = false;
    if (accept(TokenKind.COLON)) {
      name = expectName("method name");
      target = new Expr.Field(target, name, from(nameStart));
      method = true;
    }
    FunctionBody body = funcBody(open, functionStart, name, method, attributes);
    return new Stat.Function(target, body, from(start));
  }

  /** attributes 'local' 'function' NAME funcbody | 'local' bindinglist ['=' explist]. */
  private Stat localStat(List<Attribute> attributes, Span start) {
    Span localStart = tok.span();
    advance();
    if (at(TokenKind.FUNCTION)) {
      // Like Luau, a missing 'end' is reported against the column of 'local'.
      Opener open = new Opener("'function'", tok.span().line(),
          tok.span().line() == localStart.line() ? localStart.column() : tok.span().column());
      Span functionStart = tok.span();
      advance();
      Span nameStart = tok.span();
      String name = expectName("variable name");
      Binding binding = new Binding(name, null, from(nameStart));
      FunctionBody body = funcBody(open, functionStart, name, false, attributes);
      return new Stat.LocalFunction(binding, body, from(start));
    }
    if (!attributes.isEmpty()) {
      throw fail("Expected 'function' after local declaration with attribute, but got " + tok.describe()
          + " instead");
    }
    List<Binding> names = new ArrayList<>();
    do {
      names.add(binding());
    } while (accept(TokenKind.COMMA));
    List<Expr> values = List.of();
    if (accept(TokenKind.ASSIGN)) {
      values = exprList();
    }
    return new Stat.Local(names, values, from(start));
  }

  /**
   * Luau 0.735's {@code const NAME [: type] {, NAME [: type]} = explist} and {@code const function NAME funcbody}
   * ({@code const} already read): a local that may not be assigned. Every name needs its value (a call or
   * {@code ...} last may give several), and no value may be left over.
   */
  private Stat constStat(Span start) {
    if (at(TokenKind.FUNCTION)) {
      Opener open = new Opener("'function'", tok.span().line(), start.column());
      Span functionStart = tok.span();
      advance();
      Span nameStart = tok.span();
      String name = expectName("variable name");
      Binding binding = new Binding(name, null, from(nameStart), true);
      FunctionBody body = funcBody(open, functionStart, name, false, List.of());
      return new Stat.LocalFunction(binding, body, from(start));
    }
    List<Binding> names = new ArrayList<>();
    do {
      Binding b = binding();
      names.add(new Binding(b.name(), b.type(), b.span(), true));
    } while (accept(TokenKind.COMMA));
    if (!at(TokenKind.ASSIGN)) {
      report(start, "Missing initializer in const declaration");
      throw RECOVER;
    }
    advance();
    List<Expr> values = exprList();
    Expr last = values.get(values.size() - 1);
    boolean multi = last instanceof Expr.Call || last instanceof Expr.MethodCall || last instanceof Expr.Vararg;
    if (values.size() > names.size() || (values.size() < names.size() && !multi)) {
      report(start, "Missing initializer in const declaration");
      throw RECOVER;
    }
    return new Stat.Local(names, values, from(start));
  }

  /** 'return' [explist]. */
  private Stat returnStat() {
    Span start = tok.span();
    advance();
    List<Expr> values = List.of();
    if (!blockFollow(tok.kind()) && !at(TokenKind.SEMICOLON)) {
      values = exprList();
    }
    return new Stat.Return(values, from(start));
  }

  /** 'break'. */
  private Stat breakStat() {
    Span start = tok.span();
    if (loopDepth == 0) {
      throw fail("break statement must be inside a loop");
    }
    advance();
    return new Stat.Break(from(start));
  }

  /** attributes ('function' funcname funcbody | 'local' 'function' NAME funcbody). */
  private Stat attributeStat() {
    Span start = tok.span();
    List<Attribute> attributes = attributes();
    if (at(TokenKind.FUNCTION)) {
      return functionStat(attributes, start);
    }
    if (at(TokenKind.LOCAL)) {
      return localStat(attributes, start);
    }
    throw fail("Expected 'function', 'local function', 'declare function' or a function type declaration "
        + "after attribute, but got " + tok.describe() + " instead");
  }

  /**
   * An expression statement: a call, an assignment, a compound assignment, or one starting with a
   * contextual keyword ({@code type}, {@code export type}, {@code continue}) parsed as a name first,
   * as Luau does.
   */
  private Stat exprStat() {
    Span start = tok.span();
    Expr first = primaryExpr(true);
    if (first instanceof Expr.Call || first instanceof Expr.MethodCall) {
      return new Stat.CallStat(first, from(start));
    }
    if (at(TokenKind.ASSIGN) || at(TokenKind.COMMA)) {
      return assignment(first, start);
    }
    BinaryOp compound = compoundOp(tok.kind());
    if (compound != null) {
      checkAssignable(first);
      advance();
      Expr value = expr();
      return new Stat.CompoundAssign(compound, first, value, from(start));
    }
    if (first instanceof Expr.Name n) {
      switch (n.name()) {
        case "type":
          return typeStat(false, start);
        case "export":
          if (atName("type")) {
            advance();
            return typeStat(true, start);
          }
          break;
        case "continue":
          if (loopDepth == 0) {
            report(start, "continue statement must be inside a loop");
            throw RECOVER;
          }
          return new Stat.Continue(from(start));
        case "const":
          return constStat(start); // as Luau: a bare 'const' statement declares (or fails to name) a constant
        default:
          break;
      }
    }
    report(first.span(), "Incomplete statement: expected assignment or a function call");
    throw RECOVER;
  }

  /** varlist '=' explist. */
  private Stat assignment(Expr first, Span start) {
    List<Expr> targets = new ArrayList<>();
    checkAssignable(first);
    targets.add(first);
    while (accept(TokenKind.COMMA)) {
      Expr target = primaryExpr(true);
      checkAssignable(target);
      targets.add(target);
    }
    expect(TokenKind.ASSIGN, "assignment");
    List<Expr> values = exprList();
    return new Stat.Assign(targets, values, from(start));
  }

  private void checkAssignable(Expr target) {
    if (!(target instanceof Expr.Name || target instanceof Expr.Field || target instanceof Expr.Index)) {
      report(target.span(), "Assigned expression must be a variable or a field");
      throw RECOVER;
    }
  }

  private static BinaryOp compoundOp(TokenKind k) {
    return switch (k) {
      case PLUS_ASSIGN -> BinaryOp.ADD;
      case MINUS_ASSIGN -> BinaryOp.SUB;
      case STAR_ASSIGN -> BinaryOp.MUL;
      case SLASH_ASSIGN -> BinaryOp.DIV;
      case DSLASH_ASSIGN -> BinaryOp.IDIV;
      case PERCENT_ASSIGN -> BinaryOp.MOD;
      case CARET_ASSIGN -> BinaryOp.POW;
      case CONCAT_ASSIGN -> BinaryOp.CONCAT;
      default -> null;
    };
  }

  /**
   * After the contextual 'type' (and 'export'): NAME ['<' GenericTypeListWithDefaults '>'] '=' Type,
   * or 'function' NAME funcbody.
   */
  private Stat typeStat(boolean exported, Span start) {
    if (at(TokenKind.FUNCTION)) {
      Opener open = opener(tok);
      Span functionStart = tok.span();
      advance();
      String name = expectName("type function name");
      FunctionBody body = funcBody(open, functionStart, name, false, List.of());
      return new Stat.TypeFunction(exported, name, body, from(start));
    }
    String name = expectName("type name");
    List<GenericParam> generics = new ArrayList<>();
    List<GenericPackParam> packs = new ArrayList<>();
    if (at(TokenKind.LT)) {
      genericTypeList(true, generics, packs);
    }
    expect(TokenKind.ASSIGN, "type alias");
    TypeNode type = type();
    return new Stat.TypeAlias(exported, name, List.copyOf(generics), List.copyOf(packs), type, from(start));
  }

  // ---- functions and attributes ------------------------------------------------------------

  /** attributes ::= {'@' NAME | '@[' parattr {',' parattr} ']'}. */
  private List<Attribute> attributes() {
    List<Attribute> result = new ArrayList<>();
    while (at(TokenKind.ATTRIBUTE) || at(TokenKind.ATTRIBUTE_OPEN)) {
      if (at(TokenKind.ATTRIBUTE)) {
        Span span = tok.span();
        String name = tok.text();
        advance();
        result.add(validatedAttribute(name, List.of(), span, span, result));
        continue;
      }
      Opener open = opener(tok);
      Span openSpan = tok.span();
      advance();
      if (at(TokenKind.RBRACKET)) {
        report(openSpan, "Attribute list cannot be empty");
      } else {
        while (true) {
          Span nameSpan = tok.span();
          String name = expectName("attribute name");
          List<Expr> args = List.of();
          Span argsSpan = null;
          if (at(TokenKind.LPAREN) || at(TokenKind.LBRACE) || at(TokenKind.STRING)) {
            Span argsStart = tok.span();
            args = funcArgs(prev);
            argsSpan = from(argsStart);
            for (Expr arg : args) {
              if (!isLiteral(arg)) {
                report(argsSpan, "Only literals can be passed as arguments for attributes");
              }
            }
          }
          result.add(validatedAttribute(name, args, nameSpan, from(nameSpan), result));
          if (!accept(TokenKind.COMMA)) {
            break;
          }
        }
      }
      expectMatch(TokenKind.RBRACKET, open);
    }
    return result;
  }

  /** Checks an attribute as Luau does: known name, not repeated, valid arguments for @deprecated. */
  private Attribute validatedAttribute(
      String name, List<Expr> args, Span nameSpan, Span span, List<Attribute> earlier) {
    switch (name) {
      case "native", "checked", "deprecated" -> {
        for (Attribute a : earlier) {
          if (a.name().equals(name)) {
            report(nameSpan, "Cannot duplicate attribute '@" + name + "'");
          }
        }
        if (name.equals("deprecated")) {
          checkDeprecatedArgs(nameSpan, args);
        }
      }
      case "" -> report(nameSpan, "Attribute name is missing");
      default -> report(nameSpan, "Invalid attribute '@" + name + "'");
    }
    return new Attribute(name, args, span);
  }

  /** {@code @deprecated} takes nothing or one table with string fields {@code use} and {@code reason}. */
  private void checkDeprecatedArgs(Span at, List<Expr> args) {
    if (args.isEmpty()) {
      return;
    }
    if (args.size() > 1) {
      report(at, "@deprecated can be parametrized only by 1 argument");
      return;
    }
    if (!(args.get(0) instanceof Expr.Table table)) {
      report(args.get(0).span(), "Unknown argument type for @deprecated");
      return;
    }
    for (TableField field : table.fields()) {
      if (field instanceof TableField.Named named) {
        if (!named.name().equals("use") && !named.name().equals("reason")) {
          report(named.span(), "Unknown argument '" + named.name()
              + "' for @deprecated. Only string constants for 'use' and 'reason' are allowed");
        } else if (!(named.value() instanceof Expr.Str)) {
          report(named.value().span(), "Only constant string allowed as value for '" + named.name() + "'");
        }
      } else {
        report(field.value().span(),
            "Only constants keys 'use' and 'reason' are allowed for @deprecated attribute");
      }
    }
  }

  private static boolean isLiteral(Expr e) {
    if (e instanceof Expr.Table t) {
      for (TableField f : t.fields()) {
        if (f instanceof TableField.Keyed || !isLiteral(f.value())) {
          return false;
        }
      }
      return true;
    }
    return e instanceof Expr.Nil || e instanceof Expr.Bool || e instanceof Expr.Num
        || e instanceof Expr.Int || e instanceof Expr.Str;
  }

  /**
   * funcbody ::= ['<' GenericTypeList '>'] '(' [parlist] ')' [':' ReturnType] block 'end'.
   *
   * @param open the 'function' token (column of 'local' for a local function), named if 'end' is missing
   * @param start where the function's span starts
   */
  private FunctionBody funcBody(
      Opener open, Span start, String name, boolean method, List<Attribute> attributes) {
    List<GenericParam> generics = new ArrayList<>();
    List<GenericPackParam> packs = new ArrayList<>();
    if (at(TokenKind.LT)) {
      genericTypeList(false, generics, packs);
    }
    Opener paren = opener(tok);
    Span parenSpan = tok.span();
    expect(TokenKind.LPAREN, "function");
    List<Binding> params = new ArrayList<>();
    if (method) {
      params.add(new Binding("self", null, parenSpan));
    }
    boolean vararg = false;
    TypePack varargType = null;
    if (!at(TokenKind.RPAREN)) {
      while (true) {
        if (at(TokenKind.DOTS)) {
          advance();
          vararg = true;
          if (accept(TokenKind.COLON)) {
            varargType = variadicArgumentTypePack();
          }
          break;
        }
        params.add(binding());
        if (!accept(TokenKind.COMMA)) {
          break;
        }
      }
    }
    expectMatchOnLine(TokenKind.RPAREN, paren);
    TypePack returnType = optionalReturnType();
    int savedLoops = loopDepth;
    boolean savedVararg = varargAllowed;
    loopDepth = 0;
    varargAllowed = vararg;
    Block body = block();
    loopDepth = savedLoops;
    varargAllowed = savedVararg;
    expectMatchEnd(TokenKind.END, open);
    return new FunctionBody(name, List.copyOf(attributes), List.copyOf(generics), List.copyOf(packs),
        params, method, vararg, varargType, returnType, body, from(start));
  }

  /** The annotation after {@code ...:}: a generic pack {@code T...} or a type T (meaning {@code ...T}). */
  private TypePack variadicArgumentTypePack() {
    Span start = tok.span();
    if (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS) {
      String pack = tok.text();
      advance();
      advance();
      return new TypePack.Generic(pack, from(start));
    }
    TypeNode t = type();
    return new TypePack.Variadic(t, from(start));
  }

  /** [':' ReturnType], with Luau's hints for '->' and for an unparenthesized list. */
  private TypePack optionalReturnType() {
    if (!at(TokenKind.COLON) && !at(TokenKind.ARROW)) {
      return null;
    }
    if (at(TokenKind.ARROW)) {
      report(tok.span(), "Function return type annotations are written after ':' instead of '->'");
    }
    advance();
    int savedDepth = depth;
    TypePack result = returnType();
    if (at(TokenKind.COMMA)) {
      report(tok.span(), "Expected a statement, got ','; "
          + "did you forget to wrap the list of return types in parentheses?");
      advance();
    }
    depth = savedDepth;
    return result;
  }

  /** binding ::= NAME [':' Type]. */
  private Binding binding() {
    Span start = tok.span();
    String name = expectName("variable name");
    TypeNode type = null;
    if (accept(TokenKind.COLON)) {
      type = type();
    }
    return new Binding(name, type, from(start));
  }

  // ---- expressions -------------------------------------------------------------------------

  /** explist ::= {exp ','} exp. */
  private List<Expr> exprList() {
    List<Expr> list = new ArrayList<>();
    list.add(expr());
    while (accept(TokenKind.COMMA)) {
      if (at(TokenKind.RPAREN)) {
        report(tok.span(), "Expected expression after ',' but got ')' instead");
        break;
      }
      list.add(expr());
    }
    return list;
  }

  private Expr expr() {
    return subExpr(0);
  }

  private static BinaryOp binaryOp(TokenKind k) {
    return switch (k) {
      case PLUS -> BinaryOp.ADD;
      case MINUS -> BinaryOp.SUB;
      case STAR -> BinaryOp.MUL;
      case SLASH -> BinaryOp.DIV;
      case DSLASH -> BinaryOp.IDIV;
      case PERCENT -> BinaryOp.MOD;
      case CARET -> BinaryOp.POW;
      case CONCAT -> BinaryOp.CONCAT;
      case EQ -> BinaryOp.EQ;
      case NE -> BinaryOp.NE;
      case LT -> BinaryOp.LT;
      case LE -> BinaryOp.LE;
      case GT -> BinaryOp.GT;
      case GE -> BinaryOp.GE;
      case AND -> BinaryOp.AND;
      case OR -> BinaryOp.OR;
      default -> null;
    };
  }

  // Priorities as Luau's parser: {left, right}; right < left makes an operator right-associative.
  private static int leftPriority(BinaryOp op) {
    return switch (op) {
      case OR -> 1;
      case AND -> 2;
      case EQ, NE, LT, LE, GT, GE -> 3;
      case CONCAT -> 5;
      case ADD, SUB -> 6;
      case MUL, DIV, IDIV, MOD -> 7;
      case POW -> 10;
    };
  }

  private static int rightPriority(BinaryOp op) {
    return switch (op) {
      case CONCAT -> 4;
      case POW -> 9;
      default -> leftPriority(op);
    };
  }

  /**
   * exp ::= (asexp | unop exp) {binop exp}, by precedence climbing: only operators binding tighter
   * than {@code limit} are taken. Each operator in a chain counts as one level of nesting (the tree
   * gets one level deeper), as in Luau.
   */
  private Expr subExpr(int limit) {
    int savedDepth = depth;
    enter("expression");
    Span start = tok.span();
    Expr left;
    UnaryOp unary = switch (tok.kind()) {
      case NOT -> UnaryOp.NOT;
      case MINUS -> UnaryOp.MINUS;
      case HASH -> UnaryOp.LEN;
      default -> null;
    };
    if (unary != null) {
      advance();
      Expr operand = subExpr(UNARY_PRIORITY);
      left = new Expr.Unary(unary, operand, from(start));
    } else {
      left = asExpr();
    }
    BinaryOp op = binaryOp(tok.kind());
    while (op != null && leftPriority(op) > limit) {
      advance();
      Expr right = subExpr(rightPriority(op));
      left = new Expr.Binary(op, left, right, from(start));
      op = binaryOp(tok.kind());
      enter("expression");
    }
    depth = savedDepth;
    return left;
  }

  /** asexp ::= simpleexp ['::' Type]. */
  private Expr asExpr() {
    Span start = tok.span();
    Expr e = simpleExpr();
    if (at(TokenKind.DCOLON)) {
      advance();
      TypeNode type = type();
      e = new Expr.TypeCast(e, type, from(start));
    }
    return e;
  }

  /**
   * simpleexp ::= NUMBER | STRING | nil | true | false | ... | tableconstructor | attributes function
   * funcbody | ifelseexp | stringinterp | prefixexp.
   */
  private Expr simpleExpr() {
    Span start = tok.span();
    switch (tok.kind()) {
      case NUMBER: {
        double v = tok.number();
        advance();
        return new Expr.Num(v, start);
      }
      case INTEGER: {
        long v = tok.integer();
        advance();
        return new Expr.Int(v, start);
      }
      case STRING:
      case INTERP_SIMPLE: {
        // A backtick string without expressions is a plain constant, as in Luau.
        byte[] v = tok.bytes();
        advance();
        return new Expr.Str(v, start);
      }
      case NIL:
        advance();
        return new Expr.Nil(start);
      case TRUE:
        advance();
        return new Expr.Bool(true, start);
      case FALSE:
        advance();
        return new Expr.Bool(false, start);
      case DOTS:
        if (!varargAllowed) {
          throw fail("Cannot use '...' outside of a vararg function");
        }
        advance();
        return new Expr.Vararg(start);
      case LBRACE:
        return tableConstructor();
      case FUNCTION: {
        Opener open = opener(tok);
        advance();
        FunctionBody body = funcBody(open, start, null, false, List.of());
        return new Expr.Function(body, from(start));
      }
      case ATTRIBUTE:
      case ATTRIBUTE_OPEN: {
        List<Attribute> attributes = attributes();
        if (!at(TokenKind.FUNCTION)) {
          report(start, "Expected 'function' declaration after attribute, but got " + tok.describe() + " instead");
          throw RECOVER;
        }
        Opener open = opener(tok);
        advance();
        FunctionBody body = funcBody(open, start, null, false, attributes);
        return new Expr.Function(body, from(start));
      }
      case IF:
        return ifElseExpr();
      case INTERP_BEGIN:
        return stringInterp();
      default:
        return primaryExpr(false);
    }
  }

  /** ifelseexp ::= 'if' exp 'then' exp {'elseif' exp 'then' exp} 'else' exp. */
  private Expr ifElseExpr() {
    int savedDepth = depth;
    List<Span> starts = new ArrayList<>();
    List<Expr> conditions = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    do {
      if (!starts.isEmpty()) {
        enter("expression"); // each elseif nests one level deeper in the tree
      }
      starts.add(tok.span());
      advance(); // 'if' or 'elseif'
      conditions.add(expr());
      expect(TokenKind.THEN, "if then else expression");
      values.add(expr());
    } while (at(TokenKind.ELSEIF));
    expect(TokenKind.ELSE, "if then else expression");
    Expr result = expr();
    for (int i = conditions.size() - 1; i >= 0; i--) {
      result = new Expr.IfElse(conditions.get(i), values.get(i), result, from(starts.get(i)));
    }
    depth = savedDepth;
    return result;
  }

  /** stringinterp ::= INTERP_BEGIN exp {INTERP_MID exp} INTERP_END. */
  private Expr stringInterp() {
    Span start = tok.span();
    List<byte[]> parts = new ArrayList<>();
    List<Expr> exprs = new ArrayList<>();
    parts.add(tok.bytes());
    advance();
    while (true) {
      if (at(TokenKind.INTERP_MID) || at(TokenKind.INTERP_END)) {
        report(prev, "Malformed interpolated string, expected expression inside '{}'");
        exprs.add(new Expr.Nil(tok.span()));
      } else {
        exprs.add(expr());
      }
      if (at(TokenKind.INTERP_MID)) {
        parts.add(tok.bytes());
        advance();
      } else if (at(TokenKind.INTERP_END)) {
        parts.add(tok.bytes());
        advance();
        return new Expr.Interp(parts, exprs, from(start));
      } else if (at(TokenKind.EOF)) {
        throw fail("Malformed interpolated string; did you forget to add a '}'?");
      } else {
        throw fail("Malformed interpolated string, got " + tok.describe());
      }
    }
  }

  /** tableconstructor ::= '{' [field {fieldsep field} [fieldsep]] '}'. */
  private Expr tableConstructor() {
    Span start = tok.span();
    Opener open = opener(tok);
    advance();
    List<TableField> fields = new ArrayList<>();
    while (!at(TokenKind.RBRACE)) {
      Span fieldStart = tok.span();
      if (at(TokenKind.LBRACKET)) {
        Opener bracket = opener(tok);
        advance();
        Expr key = expr();
        expectMatch(TokenKind.RBRACKET, bracket);
        expect(TokenKind.ASSIGN, "table field");
        Expr value = expr();
        fields.add(new TableField.Keyed(key, value, from(fieldStart)));
      } else if (at(TokenKind.NAME) && peek().kind() == TokenKind.ASSIGN) {
        String name = tok.text();
        advance();
        advance();
        Expr value = named(expr(), name);
        fields.add(new TableField.Named(name, value, from(fieldStart)));
      } else {
        Expr value = expr();
        fields.add(new TableField.Positional(value, from(fieldStart)));
      }
      if (accept(TokenKind.COMMA) || accept(TokenKind.SEMICOLON)) {
        continue;
      }
      if ((at(TokenKind.LBRACKET) || at(TokenKind.NAME)) && tok.span().column() == fieldStart.column()) {
        // A multi-line table with a forgotten comma: report it and read on.
        report(tok.span(), "Expected ',' after table constructor element");
        continue;
      }
      break;
    }
    expectMatch(TokenKind.RBRACE, open);
    return new Expr.Table(fields, from(start));
  }

  /** As Luau, a function written as {@code name = function ... end} in a table is named after the field. */
  private static Expr named(Expr value, String name) {
    if (value instanceof Expr.Function f && f.body().name() == null) {
      FunctionBody b = f.body();
      return new Expr.Function(new FunctionBody(name, b.attributes(), b.generics(), b.genericPacks(), b.params(),
          b.method(), b.vararg(), b.varargType(), b.returnType(), b.body(), b.span()), f.span());
    }
    return value;
  }

  /** prefixexp ::= NAME | '(' exp ')', then any number of '.', '[]', ':', call and '<<>>' suffixes. */
  private Expr primaryExpr(boolean asStatement) {
    Span start = tok.span();
    Expr e;
    if (at(TokenKind.NAME)) {
      e = new Expr.Name(tok.text(), start);
      advance();
    } else if (at(TokenKind.LPAREN)) {
      Opener open = opener(tok);
      advance();
      Expr inner = expr();
      if (!at(TokenKind.RPAREN)) {
        reportMismatch(TokenKind.RPAREN, open,
            at(TokenKind.ASSIGN) ? "; did you mean to use '{' when defining a table?" : "");
      } else {
        advance();
      }
      e = new Expr.Paren(inner, from(start));
    } else {
      throw fail("Expected identifier when parsing expression, got " + tok.describe());
    }
    int savedDepth = depth;
    loop:
    while (true) {
      switch (tok.kind()) {
        case DOT: {
          advance();
          String name = expectName(null);
          e = new Expr.Field(e, name, from(start));
          break;
        }
        case LBRACKET: {
          Opener open = opener(tok);
          advance();
          Expr key = expr();
          expectMatch(TokenKind.RBRACKET, open);
          e = new Expr.Index(e, key, from(start));
          break;
        }
        case COLON: {
          advance();
          String name = expectName("method name");
          Span nameEnd = prev;
          List<TypeArg> typeArgs = List.of();
          if (atInstantiation()) {
            typeArgs = typeInstantiation();
          }
          if (!at(TokenKind.LPAREN) && !at(TokenKind.LBRACE) && !at(TokenKind.STRING)) {
            throw fail(tok.span().line() != nameEnd.endLine()
                ? "Expected function call arguments after '('"
                : "Expected '(', '{' or <string> when parsing function call, got " + tok.describe());
          }
          List<Expr> args = funcArgs(nameEnd);
          e = new Expr.MethodCall(e, name, typeArgs, args, from(start));
          break;
        }
        case LPAREN:
          if (!asStatement && tok.span().line() != prev.endLine()) {
            reportAmbiguousCall();
            break loop; // in an expression the '(' more likely starts the next statement
          }
          e = new Expr.Call(e, funcArgs(prev), from(start));
          break;
        case STRING:
        case LBRACE:
          e = new Expr.Call(e, funcArgs(prev), from(start));
          break;
        case LT:
          if (!atInstantiation()) {
            break loop;
          }
          e = new Expr.Instantiate(e, typeInstantiation(), from(start));
          break;
        default:
          break loop;
      }
      enter("expression");
    }
    depth = savedDepth;
    return e;
  }

  private void reportAmbiguousCall() {
    report(tok.span(), "Ambiguous syntax: this looks like an argument list for a function call, "
        + "but could also be a start of new statement; use ';' to separate statements");
  }

  /** Whether the current tokens are '<' '<': an explicit type instantiation. */
  private boolean atInstantiation() {
    return at(TokenKind.LT) && peek().kind() == TokenKind.LT;
  }

  /** '<<' TypeParams '>>'. */
  private List<TypeArg> typeInstantiation() {
    Opener outer = opener(tok);
    advance(); // the first '<'; typeParams takes the second
    Opener inner = opener(tok);
    List<TypeArg> args = typeParams();
    expectMatch(TokenKind.GT, inner);
    expectMatch(TokenKind.GT, outer);
    return args;
  }

  /**
   * funcargs ::= '(' [explist] ')' | tableconstructor | STRING.
   *
   * @param callee where the called expression ends, to detect a '(' on a new line
   */
  private List<Expr> funcArgs(Span callee) {
    Span start = tok.span();
    switch (tok.kind()) {
      case LPAREN: {
        if (start.line() != callee.endLine()) {
          reportAmbiguousCall();
        }
        Opener open = opener(tok);
        advance();
        List<Expr> args = at(TokenKind.RPAREN) ? List.of() : exprList();
        expectMatch(TokenKind.RPAREN, open);
        return args;
      }
      case LBRACE:
        return List.of(tableConstructor());
      case STRING: {
        byte[] v = tok.bytes();
        advance();
        return List.of(new Expr.Str(v, start));
      }
      default:
        throw fail("Expected '(', '{' or <string> when parsing function call, got " + tok.describe());
    }
  }

  // ---- types -------------------------------------------------------------------------------

  /** Type ::= [SimpleType] {'|' SimpleType | '?' | '&' SimpleType}, with an optional leading '|' or '&'. */
  private TypeNode type() {
    int savedDepth = depth;
    Span start = tok.span();
    TypeNode first = null;
    if (!at(TokenKind.PIPE) && !at(TokenKind.AMPERSAND)) {
      first = (TypeNode) simpleType(false);
    }
    TypeNode result = typeSuffix(first, start);
    depth = savedDepth;
    return result;
  }

  /**
   * The union/intersection/optional tail of a type. {@code T?} is a union with nil for the purpose
   * of Luau's rule that unions and intersections cannot be mixed without parentheses.
   */
  private TypeNode typeSuffix(TypeNode first, Span start) {
    enter("type annotation");
    List<TypeNode> parts = new ArrayList<>();
    boolean isUnion = false;
    boolean isIntersection = false;
    TypeNode current = first;
    while (true) {
      if (at(TokenKind.PIPE)) {
        advance();
        if (current != null) {
          parts.add(current);
        }
        current = simplePart();
        isUnion = true;
      } else if (at(TokenKind.QUESTION)) {
        if (current == null) {
          throw fail("Expected type, got " + tok.describe());
        }
        advance();
        current = new TypeNode.Optional(current, from(current.span()));
        isUnion = true;
      } else if (at(TokenKind.AMPERSAND)) {
        advance();
        if (current != null) {
          parts.add(current);
        }
        current = simplePart();
        isIntersection = true;
      } else if (at(TokenKind.DOTS)) {
        report(tok.span(), "Unexpected '...' after type annotation");
        advance();
      } else {
        break;
      }
      if (parts.size() > MAX_TYPE_LENGTH) {
        report(tok.span(), "Exceeded allowed type length; simplify your type annotation to make the code compile");
        throw ABORT;
      }
    }
    if (current == null) {
      throw fail("Expected type, got " + tok.describe());
    }
    parts.add(current);
    if (isUnion && isIntersection) {
      report(start, "Mixing union and intersection types is not allowed; consider wrapping in parentheses.");
    }
    if (parts.size() == 1) {
      return current;
    }
    return isIntersection && !isUnion
        ? new TypeNode.Intersection(parts, from(start))
        : new TypeNode.Union(parts, from(start));
  }

  /** One part of a union or intersection; the parts are siblings, so they do not add up in depth. */
  private TypeNode simplePart() {
    int savedDepth = depth;
    TypeNode t = (TypeNode) simpleType(false);
    depth = savedDepth;
    return t;
  }

  /**
   * SimpleType ::= 'nil' | SingletonType | NAME ['.' NAME] ['<' TypeParams '>'] | 'typeof' '(' exp ')'
   * | TableType | FunctionType | '(' Type ')'; when {@code allowPack}, a parenthesized list may be a
   * type pack instead.
   */
  private TypeArg simpleType(boolean allowPack) {
    enter("type annotation");
    Span start = tok.span();
    switch (tok.kind()) {
      case NIL:
        advance();
        return new TypeNode.Named(null, "nil", List.of(), start);
      case TRUE:
      case FALSE: {
        boolean v = at(TokenKind.TRUE);
        advance();
        return new TypeNode.BoolSingleton(v, start);
      }
      case STRING: {
        byte[] v = tok.bytes();
        advance();
        return new TypeNode.StringSingleton(v, start);
      }
      case INTERP_SIMPLE:
      case INTERP_BEGIN:
        simpleExpr(); // read it whole so parsing resumes after it
        report(start, "Interpolated string literals cannot be used as types");
        return new TypeNode.Named(null, "any", List.of(), from(start));
      case NAME: {
        String name = tok.text();
        advance();
        String module = null;
        if (at(TokenKind.DOT)) {
          advance();
          module = name;
          name = expectName("field name");
        } else if (at(TokenKind.DOTS)) {
          report(tok.span(), "Unexpected '...' after type name; type pack is not allowed in this context");
          advance();
        } else if (name.equals("typeof")) {
          Opener open = opener(tok);
          expect(TokenKind.LPAREN, "typeof type");
          Expr e = expr();
          expectMatch(TokenKind.RPAREN, open);
          return new TypeNode.Typeof(e, from(start));
        }
        List<TypeArg> args = List.of();
        if (at(TokenKind.LT)) {
          Opener open = opener(tok);
          args = typeParams();
          expectMatch(TokenKind.GT, open);
        }
        return new TypeNode.Named(module, name, args, from(start));
      }
      case LBRACE:
        return tableType();
      case LPAREN:
      case LT:
        return functionType(allowPack);
      case FUNCTION:
        advance();
        report(start, "Using 'function' as a type annotation is not supported, consider replacing with a "
            + "function type annotation e.g. '(...any) -> ...any'");
        return new TypeNode.Named(null, "any", List.of(), start);
      default:
        // Luau places this error right after the previous token, where the type is missing, and
        // goes on with a placeholder so the rest of the signature or statement still parses.
        report(new Span(prev.endLine(), prev.endColumn(), prev.endLine(), prev.endColumn()),
            "Expected type, got " + tok.describe());
        Span here = new Span(start.line(), start.column(), start.line(), start.column());
        return new TypeNode.Named(null, "any", List.of(), here);
    }
  }

  /**
   * After a '<' (already current): TypeParams ::= (Type | TypePack | VariadicTypePack | GenericTypePack)
   * {',' ...}. Leaves the closing '>' to the caller. A parenthesized {@code (T)} is a pack unless a
   * '|', '&' or '?' follows, as in Luau.
   */
  private List<TypeArg> typeParams() {
    advance(); // '<'
    List<TypeArg> args = new ArrayList<>();
    while (true) {
      Span start = tok.span();
      if (at(TokenKind.DOTS) || (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS)) {
        args.add(typePack());
      } else if (at(TokenKind.LPAREN)) {
        int savedDepth = depth;
        TypeArg t = simpleType(true);
        if (t instanceof TypePack.Explicit p && p.tail() == null && p.types().size() == 1
            && (at(TokenKind.PIPE) || at(TokenKind.AMPERSAND) || at(TokenKind.QUESTION))) {
          args.add(typeSuffix(p.types().get(0), start));
        } else if (t instanceof TypePack pack) {
          args.add(pack);
        } else {
          args.add(typeSuffix((TypeNode) t, start));
        }
        depth = savedDepth;
      } else if (at(TokenKind.GT) && args.isEmpty()) {
        break;
      } else {
        args.add(type());
      }
      if (!accept(TokenKind.COMMA)) {
        break;
      }
    }
    return args;
  }

  /** VariadicTypePack ::= '...' Type | GenericTypePack ::= NAME '...'. */
  private TypePack typePack() {
    Span start = tok.span();
    if (accept(TokenKind.DOTS)) {
      TypeNode t = type();
      return new TypePack.Variadic(t, from(start));
    }
    String name = tok.text();
    advance();
    advance(); // '...'
    return new TypePack.Generic(name, from(start));
  }

  /** TableType ::= '{' Type '}' | '{' [PropList] '}', with 'read'/'write' modifiers. */
  private TypeNode tableType() {
    enter("type annotation");
    Span start = tok.span();
    Opener open = opener(tok);
    advance();
    List<TypeNode.TableProp> props = new ArrayList<>();
    TypeNode.TableIndexer indexer = null;
    while (!at(TokenKind.RBRACE)) {
      Span entryStart = tok.span();
      TypeNode.Access access = TypeNode.Access.READ_WRITE;
      if (at(TokenKind.NAME) && peek().kind() != TokenKind.COLON) {
        if (tok.text().equals("read")) {
          access = TypeNode.Access.READ;
          advance();
        } else if (tok.text().equals("write")) {
          access = TypeNode.Access.WRITE;
          advance();
        }
      }
      if (at(TokenKind.LBRACKET)) {
        Opener bracket = opener(tok);
        advance();
        if (at(TokenKind.STRING) && peek().kind() == TokenKind.RBRACKET) {
          byte[] key = tok.bytes();
          advance();
          expectMatch(TokenKind.RBRACKET, bracket);
          expect(TokenKind.COLON, "table field");
          TypeNode value = type();
          if (containsZero(key)) {
            report(entryStart, "String literal contains malformed escape sequence or \\0");
          }
          props.add(new TypeNode.TableProp(new String(key, StandardCharsets.UTF_8), access, value, from(entryStart)));
        } else {
          TypeNode key = type();
          expectMatch(TokenKind.RBRACKET, bracket);
          expect(TokenKind.COLON, "table field");
          TypeNode value = type();
          if (indexer != null) {
            report(entryStart, "Cannot have more than one table indexer");
          } else {
            indexer = new TypeNode.TableIndexer(access, key, value, from(entryStart));
          }
        }
      } else if (props.isEmpty() && indexer == null && !(at(TokenKind.NAME) && peek().kind() == TokenKind.COLON)) {
        // {T} is the array type {[number]: T}
        TypeNode element = type();
        Span s = from(entryStart);
        indexer = new TypeNode.TableIndexer(access, new TypeNode.Named(null, "number", List.of(), s), element, s);
        break;
      } else {
        String name = expectName("table field");
        expect(TokenKind.COLON, "table field");
        TypeNode value = type();
        props.add(new TypeNode.TableProp(name, access, value, from(entryStart)));
      }
      if (!accept(TokenKind.COMMA) && !accept(TokenKind.SEMICOLON)) {
        break;
      }
    }
    expectMatchOnLine(TokenKind.RBRACE, open);
    return new TypeNode.Table(props, indexer, from(start));
  }

  private static boolean containsZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * FunctionType ::= ['<' GenericTypeList '>'] '(' [BoundTypeList] ')' '->' ReturnType; without
   * generics, names or an arrow, {@code (T)} is a parenthesized type, and when {@code allowPack} any
   * parenthesized list is a type pack.
   */
  private TypeArg functionType(boolean allowPack) {
    enter("type annotation");
    Span start = tok.span();
    boolean forceFunction = at(TokenKind.LT);
    List<GenericParam> generics = new ArrayList<>();
    List<GenericPackParam> packs = new ArrayList<>();
    if (at(TokenKind.LT)) {
      genericTypeList(false, generics, packs);
    }
    Opener paren = opener(tok);
    expect(TokenKind.LPAREN, "function parameters");
    List<TypeNode.FunctionParam> params = new ArrayList<>();
    TypePack tail = null;
    if (!at(TokenKind.RPAREN)) {
      tail = typeList(params);
    }
    expectMatchOnLine(TokenKind.RPAREN, paren);
    for (TypeNode.FunctionParam p : params) {
      if (p.name() != null) {
        forceFunction = true;
      }
    }
    boolean arrow = at(TokenKind.ARROW) || at(TokenKind.COLON);
    if (params.size() == 1 && tail == null && !forceFunction && !arrow) {
      if (allowPack) {
        return new TypePack.Explicit(List.of(params.get(0).type()), null, from(start));
      }
      return params.get(0).type(); // a parenthesized type
    }
    if (!forceFunction && !arrow && allowPack) {
      return new TypePack.Explicit(paramTypes(params), tail, from(start));
    }
    return functionTypeTail(start, generics, packs, params, tail);
  }

  private static List<TypeNode> paramTypes(List<TypeNode.FunctionParam> params) {
    List<TypeNode> types = new ArrayList<>(params.size());
    for (TypeNode.FunctionParam p : params) {
      types.add(p.type());
    }
    return types;
  }

  /** '->' ReturnType after a function type's parameters. */
  private TypeNode functionTypeTail(Span start, List<GenericParam> generics, List<GenericPackParam> packs,
      List<TypeNode.FunctionParam> params, TypePack tail) {
    if (at(TokenKind.COLON)) {
      report(tok.span(), "Return types in function type annotations are written after '->' instead of ':'");
      advance();
    } else if (!at(TokenKind.ARROW) && generics.isEmpty() && packs.isEmpty() && params.isEmpty()) {
      report(start, "Expected '->' after '()' when parsing function type; did you mean 'nil'?");
      return new TypeNode.Named(null, "nil", List.of(), from(start));
    } else {
      expect(TokenKind.ARROW, "function type");
    }
    TypePack returns = returnType();
    return new TypeNode.Function(List.copyOf(generics), List.copyOf(packs), params, tail, returns, from(start));
  }

  /**
   * TypeList ::= [NAME ':'] Type {',' [NAME ':'] Type} [',' (VariadicTypePack | GenericTypePack)];
   * returns the pack tail or null.
   */
  private TypePack typeList(List<TypeNode.FunctionParam> out) {
    while (true) {
      if (at(TokenKind.DOTS) || (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS)) {
        return typePack();
      }
      Span start = tok.span();
      String name = null;
      if (at(TokenKind.NAME) && peek().kind() == TokenKind.COLON) {
        name = tok.text();
        advance();
        advance();
      }
      out.add(new TypeNode.FunctionParam(name, type(), from(start)));
      if (!accept(TokenKind.COMMA)) {
        return null;
      }
      if (at(TokenKind.RPAREN)) {
        report(tok.span(), "Expected type after ',' but got ')' instead");
        return null;
      }
    }
  }

  /**
   * ReturnType ::= Type | TypePack | GenericTypePack | VariadicTypePack; a single type becomes a pack
   * of one, and {@code (A) | B} is a union, not a pack.
   */
  private TypePack returnType() {
    int savedDepth = depth;
    enter("type annotation");
    Span start = tok.span();
    try {
      if (!at(TokenKind.LPAREN)) {
        if (at(TokenKind.DOTS) || (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS)) {
          return typePack();
        }
        TypeNode t = type();
        return new TypePack.Explicit(List.of(t), null, t.span());
      }
      Opener paren = opener(tok);
      advance();
      List<TypeNode.FunctionParam> params = new ArrayList<>();
      TypePack tail = null;
      if (!at(TokenKind.RPAREN)) {
        tail = typeList(params);
      }
      expectMatchOnLine(TokenKind.RPAREN, paren);
      boolean named = false;
      for (TypeNode.FunctionParam p : params) {
        named |= p.name() != null;
      }
      if (!at(TokenKind.ARROW) && !named) {
        if (params.size() == 1) {
          TypeNode t = typeSuffix(params.get(0).type(), start);
          return new TypePack.Explicit(List.of(t), tail, from(start));
        }
        return new TypePack.Explicit(paramTypes(params), tail, from(start));
      }
      TypeNode fn = functionTypeTail(start, List.of(), List.of(), params, tail);
      return new TypePack.Explicit(List.of(fn), null, from(start));
    } finally {
      depth = savedDepth;
    }
  }

  /**
   * '<' GenericTypeList '>' (GenericTypeListWithDefaults for type aliases): type parameters first,
   * then packs {@code T...}; once a default is given every later parameter needs one.
   */
  private void genericTypeList(
      boolean withDefaults, List<GenericParam> generics, List<GenericPackParam> packs) {
    Opener open = opener(tok);
    advance(); // '<'
    boolean seenPack = false;
    boolean seenDefault = false;
    while (true) {
      Span start = tok.span();
      String name = expectName(null);
      if (at(TokenKind.DOTS) || seenPack) {
        seenPack = true;
        if (!at(TokenKind.DOTS)) {
          report(tok.span(), "Generic types come before generic type packs");
        } else {
          advance();
        }
        TypePack dflt = null;
        if (withDefaults && accept(TokenKind.ASSIGN)) {
          seenDefault = true;
          dflt = packDefault();
        } else if (seenDefault) {
          report(tok.span(), "Expected default type pack after type pack name");
        }
        packs.add(new GenericPackParam(name, dflt, from(start)));
      } else {
        TypeNode dflt = null;
        if (withDefaults && accept(TokenKind.ASSIGN)) {
          seenDefault = true;
          dflt = type();
        } else if (seenDefault) {
          report(tok.span(), "Expected default type after type name");
        }
        generics.add(new GenericParam(name, dflt, from(start)));
      }
      if (!accept(TokenKind.COMMA)) {
        break;
      }
      if (at(TokenKind.GT)) {
        report(tok.span(), "Expected type after ',' but got '>' instead");
        break;
      }
    }
    expectMatch(TokenKind.GT, open);
  }

  /** The default of a generic pack: {@code (A, B)}, {@code ...T} or {@code T...}. */
  private TypePack packDefault() {
    if (at(TokenKind.DOTS) || (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS)) {
      return typePack();
    }
    Span start = tok.span();
    int savedDepth = depth;
    TypeArg t = simpleType(true);
    depth = savedDepth;
    if (t instanceof TypePack pack) {
      return pack;
    }
    TypeNode type = typeSuffix((TypeNode) t, start);
    report(type.span(), "Expected type pack after '=', got type");
    return new TypePack.Explicit(List.of(type), null, type.span());
  }
}
