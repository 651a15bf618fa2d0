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
import io.templateworker.luau.ast.TypeNode;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.lexer.Token;
import io.templateworker.luau.lexer.TokenKind;
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
public final class Parser extends ExprParser {

  private Parser(byte[] source) {
    super(source);
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

  @Override
  Block block() {
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
}
