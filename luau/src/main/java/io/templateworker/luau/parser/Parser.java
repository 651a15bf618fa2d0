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
 * on luau.org). Never throws: syntax errors are collected, the parser resynchronises at the next
 * statement and carries on, up to {@link #MAX_ERRORS}. Nesting deeper than {@link #MAX_DEPTH}
 * (expressions, blocks, types) is reported as an error instead of overflowing the Java stack.
 */
public final class Parser {

  /** Nesting limit, as Luau's LUAI_MAXCCALLS. */
  static final int MAX_DEPTH = 200;

  /** After this many errors parsing stops (a broken file should not report thousands). */
  static final int MAX_ERRORS = 100;

  static final String RECURSION_MESSAGE =
      "Exceeded allowed recursion depth; simplify your expression to make the code compile";

  // Operator priorities (left, right) as in Luau; unary operators bind at UNARY_PRIORITY.
  private static final int UNARY_PRIORITY = 8;
  private static final int CONCAT_LEFT = 5;

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

  private static final Recover RECOVER = new Recover();
  private static final Abort ABORT = new Abort();

  private final Lexer lexer;
  private final List<ParseError> errors = new ArrayList<>();
  private Token tok;
  private Token ahead;
  private Span prev = new Span(1, 1, 1, 1);

  private int depth;
  private int loopDepth;
  private boolean varargAllowed = true;

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
    Parser p = new Parser(source);
    Block chunk;
    try {
      chunk = p.chunk();
    } catch (Abort e) {
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
    while (true) {
      Token t = lexer.next();
      if (t.error() != null) {
        report(t.span(), t.error());
      }
      if (t.kind() != TokenKind.ERROR) {
        return t;
      }
      report(t.span(), t.text());
    }
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

  private void report(Span at, String message) {
    if (!errors.isEmpty()) {
      ParseError last = errors.get(errors.size() - 1);
      if (last.line() == at.line() && last.column() == at.column()) {
        return; // one error per position: the rest is cascade
      }
    }
    if (errors.size() >= MAX_ERRORS) {
      errors.add(new ParseError(at.line(), at.column(), "Reached error limit (" + MAX_ERRORS + ")"));
      throw ABORT;
    }
    errors.add(new ParseError(at.line(), at.column(), message));
  }

  /** Reports {@code message} at the current token and returns the exception to unwind with. */
  private Recover fail(String message) {
    report(tok.span(), message);
    return RECOVER;
  }

  private void expect(TokenKind kind, String context) {
    if (!accept(kind)) {
      throw fail("Expected '" + kind.display() + "' when parsing " + context + ", got " + tok.describe());
    }
  }

  /** Expects the token closing {@code opener} (which started at {@code openedAt}). */
  private void expectMatch(TokenKind kind, String opener, Span openedAt) {
    if (accept(kind)) {
      return;
    }
    String where = openedAt.line() == tok.span().line()
        ? "column " + openedAt.column()
        : "line " + openedAt.line();
    throw fail("Expected '" + kind.display() + "' (to close '" + opener + "' at " + where + "), got "
        + tok.describe());
  }

  private String expectName(String context) {
    if (tok.kind() != TokenKind.NAME) {
      throw fail("Expected identifier when parsing " + context + ", got " + tok.describe());
    }
    String name = tok.text();
    advance();
    return name;
  }

  /** Expects a '>' closing a generic list; a '>=' is split so that '=' remains. */
  private void expectCloseAngle(String context) {
    if (tok.kind() == TokenKind.GE) {
      Span s = tok.span();
      prev = new Span(s.line(), s.column(), s.line(), s.column() + 1);
      tok = new Token(TokenKind.ASSIGN, new Span(s.line(), s.column() + 1, s.endLine(), s.endColumn()),
          null, null, 0, 0, null);
      return;
    }
    expect(TokenKind.GT, context);
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      report(tok.span(), RECURSION_MESSAGE);
      throw ABORT;
    }
  }

  private void leave() {
    depth--;
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
    enter();
    Span start = tok.span();
    List<Stat> stats = new ArrayList<>();
    statList(stats);
    leave();
    return new Block(stats, stats.isEmpty() ? new Span(start.line(), start.column(), start.line(), start.column()) : from(start));
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
        Stat s = stat();
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
        case LOCAL, FUNCTION, IF, WHILE, FOR, REPEAT, DO, RETURN, BREAK, AT:
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
    switch (tok.kind()) {
      case IF: return ifStat();
      case WHILE: return whileStat();
      case DO: return doStat();
      case FOR: return forStat();
      case REPEAT: return repeatStat();
      case FUNCTION: return functionStat(List.of(), tok.span());
      case LOCAL: return localStat(List.of(), tok.span());
      case RETURN: return returnStat();
      case BREAK: return breakStat();
      case AT: return attributedStat();
      case NAME:
        if (tok.text().equals("type")) {
          TokenKind next = peek().kind();
          if (next == TokenKind.NAME || next == TokenKind.FUNCTION) {
            return typeStat(false, tok.span());
          }
        } else if (tok.text().equals("export")) {
          Token next = peek();
          if (next.kind() == TokenKind.NAME && next.text().equals("type")) {
            Span start = tok.span();
            advance();
            return typeStat(true, start);
          }
        }
        return exprStat();
      default:
        return exprStat();
    }
  }

  private Stat ifStat() {
    Span start = tok.span();
    advance();
    List<Stat.IfClause> clauses = new ArrayList<>();
    Span clauseStart = start;
    Expr cond = expr();
    expect(TokenKind.THEN, "if statement");
    Block body = block();
    clauses.add(new Stat.IfClause(cond, body, from(clauseStart)));
    Block elseBody = null;
    while (at(TokenKind.ELSEIF)) {
      clauseStart = tok.span();
      advance();
      cond = expr();
      expect(TokenKind.THEN, "if statement");
      body = block();
      clauses.add(new Stat.IfClause(cond, body, from(clauseStart)));
    }
    if (accept(TokenKind.ELSE)) {
      elseBody = block();
    }
    expectMatch(TokenKind.END, "if", start);
    return new Stat.If(clauses, elseBody, from(start));
  }

  private Stat whileStat() {
    Span start = tok.span();
    advance();
    Expr cond = expr();
    expect(TokenKind.DO, "while loop");
    Block body = loopBody();
    expectMatch(TokenKind.END, "do", start);
    return new Stat.While(cond, body, from(start));
  }

  private Block loopBody() {
    loopDepth++;
    Block body = block();
    loopDepth--;
    return body;
  }

  private Stat doStat() {
    Span start = tok.span();
    advance();
    Block body = block();
    expectMatch(TokenKind.END, "do", start);
    return new Stat.Do(body, from(start));
  }

  private Stat repeatStat() {
    Span start = tok.span();
    advance();
    Block body = loopBody();
    expectMatch(TokenKind.UNTIL, "repeat", start);
    Expr cond = expr();
    return new Stat.Repeat(body, cond, from(start));
  }

  private Stat forStat() {
    Span start = tok.span();
    advance();
    Binding first = binding("for loop");
    if (accept(TokenKind.ASSIGN)) {
      Expr from = expr();
      expect(TokenKind.COMMA, "index range");
      Expr limit = expr();
      Expr step = null;
      if (accept(TokenKind.COMMA)) {
        step = expr();
      }
      expect(TokenKind.DO, "for loop");
      Block body = loopBody();
      expectMatch(TokenKind.END, "do", start);
      return new Stat.NumericFor(first, from, limit, step, body, from(start));
    }
    List<Binding> vars = new ArrayList<>();
    vars.add(first);
    while (accept(TokenKind.COMMA)) {
      vars.add(binding("for loop"));
    }
    expect(TokenKind.IN, "for loop");
    List<Expr> values = exprList();
    expect(TokenKind.DO, "for loop");
    Block body = loopBody();
    expectMatch(TokenKind.END, "do", start);
    return new Stat.GenericFor(vars, values, body, from(start));
  }

  /** funcname ::= NAME {'.' NAME} [':' NAME], then the body. */
  private Stat functionStat(List<Attribute> attributes, Span start) {
    Span functionStart = tok.span();
    advance();
    Span nameStart = tok.span();
    String name = expectName("function name");
    Expr target = new Expr.Name(name, from(nameStart));
    while (at(TokenKind.DOT)) {
      advance();
      name = expectName("field name");
      target = new Expr.Field(target, name, from(nameStart));
    }
    boolean method = false;
    if (accept(TokenKind.COLON)) {
      name = expectName("method name");
      target = new Expr.Field(target, name, from(nameStart));
      method = true;
    }
    FunctionBody body = funcBody(functionStart, name, method, attributes);
    return new Stat.Function(target, body, from(start));
  }

  private Stat localStat(List<Attribute> attributes, Span start) {
    advance();
    if (at(TokenKind.FUNCTION)) {
      Span functionStart = tok.span();
      advance();
      Span nameStart = tok.span();
      String name = expectName("variable name");
      Binding binding = new Binding(name, null, from(nameStart));
      FunctionBody body = funcBody(functionStart, name, false, attributes);
      return new Stat.LocalFunction(binding, body, from(start));
    }
    if (!attributes.isEmpty()) {
      throw fail("Expected 'function' after local declaration with attribute, got " + tok.describe());
    }
    List<Binding> names = bindingList("local declaration");
    List<Expr> values = List.of();
    if (accept(TokenKind.ASSIGN)) {
      values = exprList();
    }
    return new Stat.Local(names, values, from(start));
  }

  private Stat returnStat() {
    Span start = tok.span();
    advance();
    List<Expr> values = List.of();
    if (!blockFollow(tok.kind()) && !at(TokenKind.SEMICOLON)) {
      values = exprList();
    }
    return new Stat.Return(values, from(start));
  }

  private Stat breakStat() {
    Span start = tok.span();
    if (loopDepth == 0) {
      throw fail("break statement must be inside a loop");
    }
    advance();
    return new Stat.Break(from(start));
  }

  /** attributes ('function' ... | 'local' 'function' ...). */
  private Stat attributedStat() {
    Span start = tok.span();
    List<Attribute> attributes = attributes();
    if (at(TokenKind.FUNCTION)) {
      return functionStat(attributes, start);
    }
    if (at(TokenKind.LOCAL)) {
      return localStat(attributes, start);
    }
    throw fail("Expected 'function' declaration after attribute, got " + tok.describe());
  }

  /** ['export'] 'type' NAME [generics] '=' Type | ['export'] 'type' 'function' NAME funcbody. */
  private Stat typeStat(boolean exported, Span start) {
    advance(); // 'type'
    if (at(TokenKind.FUNCTION)) {
      Span functionStart = tok.span();
      advance();
      String name = expectName("type function name");
      boolean savedVararg = varargAllowed;
      int savedLoops = loopDepth;
      FunctionBody body = funcBody(functionStart, name, false, List.of());
      varargAllowed = savedVararg;
      loopDepth = savedLoops;
      return new Stat.TypeFunction(exported, name, body, from(start));
    }
    String name = expectName("type name");
    List<GenericParam> generics = List.of();
    List<GenericPackParam> packs = List.of();
    if (at(TokenKind.LT)) {
      List<GenericParam> g = new ArrayList<>();
      List<GenericPackParam> gp = new ArrayList<>();
      genericTypeList(true, g, gp);
      generics = g;
      packs = gp;
    }
    expect(TokenKind.ASSIGN, "type alias");
    TypeNode type = type();
    return new Stat.TypeAlias(exported, name, generics, packs, type, from(start));
  }

  /**
   * An expression statement: a call, an assignment, a compound assignment, or the contextual
   * keyword {@code continue}.
   */
  private Stat exprStat() {
    Span start = tok.span();
    boolean continueCandidate = atName("continue");
    Expr first = primaryExpr();
    if (first instanceof Expr.Call || first instanceof Expr.MethodCall) {
      if (!at(TokenKind.ASSIGN) && !at(TokenKind.COMMA)) {
        return new Stat.CallStat(first, from(start));
      }
    }
    if (continueCandidate && first instanceof Expr.Name
        && !at(TokenKind.ASSIGN) && !at(TokenKind.COMMA) && compoundOp(tok.kind()) == null) {
      if (loopDepth == 0) {
        report(start, "continue statement must be inside a loop");
        throw RECOVER;
      }
      return new Stat.Continue(from(start));
    }
    BinaryOp compound = compoundOp(tok.kind());
    if (compound != null) {
      checkAssignable(first);
      advance();
      Expr value = expr();
      return new Stat.CompoundAssign(compound, first, value, from(start));
    }
    if (at(TokenKind.ASSIGN) || at(TokenKind.COMMA)) {
      List<Expr> targets = new ArrayList<>();
      checkAssignable(first);
      targets.add(first);
      while (accept(TokenKind.COMMA)) {
        Expr target = primaryExpr();
        checkAssignable(target);
        targets.add(target);
      }
      expect(TokenKind.ASSIGN, "assignment");
      List<Expr> values = exprList();
      return new Stat.Assign(targets, values, from(start));
    }
    throw fail("Incomplete statement: expected assignment or a function call");
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

  // ---- functions ---------------------------------------------------------------------------

  /** attribute ::= '@' NAME | '@[' parattr {',' parattr} ']'. */
  private List<Attribute> attributes() {
    List<Attribute> result = new ArrayList<>();
    while (at(TokenKind.AT)) {
      Span start = tok.span();
      advance();
      if (at(TokenKind.LBRACKET)) {
        Span open = tok.span();
        advance();
        do {
          Span attrStart = tok.span();
          String name = expectName("attribute");
          List<Expr> args = List.of();
          if (at(TokenKind.LPAREN) || at(TokenKind.LBRACE) || at(TokenKind.STRING)) {
            args = attributeArgs();
          }
          result.add(checkedAttribute(name, args, from(attrStart)));
        } while (accept(TokenKind.COMMA));
        expectMatch(TokenKind.RBRACKET, "@[", open);
      } else {
        String name = expectName("attribute");
        result.add(checkedAttribute(name, List.of(), from(start)));
      }
    }
    return result;
  }

  private Attribute checkedAttribute(String name, List<Expr> args, Span span) {
    if (!name.equals("native") && !name.equals("checked") && !name.equals("deprecated")) {
      report(span, "Invalid attribute '@" + name + "'");
    }
    return new Attribute(name, args, span);
  }

  /** pars ::= '(' [litlist] ')' | littable | STRING. */
  private List<Expr> attributeArgs() {
    List<Expr> args = new ArrayList<>();
    if (at(TokenKind.LPAREN)) {
      Span open = tok.span();
      advance();
      if (!at(TokenKind.RPAREN)) {
        do {
          args.add(literal());
        } while (accept(TokenKind.COMMA));
      }
      expectMatch(TokenKind.RPAREN, "(", open);
    } else {
      args.add(literal());
    }
    return args;
  }

  private Expr literal() {
    Expr e = simpleExpr();
    if (!isLiteral(e)) {
      report(e.span(), "Only literals can be passed as arguments for attributes");
    }
    return e;
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
   * @param start the {@code function} keyword, for the "to close" message and the span
   */
  private FunctionBody funcBody(Span start, String name, boolean method, List<Attribute> attributes) {
    List<GenericParam> generics = List.of();
    List<GenericPackParam> packs = List.of();
    if (at(TokenKind.LT)) {
      List<GenericParam> g = new ArrayList<>();
      List<GenericPackParam> gp = new ArrayList<>();
      genericTypeList(false, g, gp);
      generics = g;
      packs = gp;
    }
    Span open = tok.span();
    expect(TokenKind.LPAREN, "function");
    List<Binding> params = new ArrayList<>();
    if (method) {
      params.add(new Binding("self", null, open));
    }
    boolean vararg = false;
    TypePack varargType = null;
    if (!at(TokenKind.RPAREN)) {
      do {
        if (at(TokenKind.DOTS)) {
          Span dots = tok.span();
          advance();
          vararg = true;
          if (accept(TokenKind.COLON)) {
            if (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS) {
              Span packStart = tok.span();
              String pack = tok.text();
              advance();
              advance();
              varargType = new TypePack.Generic(pack, from(packStart));
            } else {
              TypeNode t = type();
              varargType = new TypePack.Variadic(t, from(dots));
            }
          }
          break;
        }
        params.add(binding("function parameter"));
      } while (accept(TokenKind.COMMA));
    }
    expectMatch(TokenKind.RPAREN, "(", open);
    TypePack returnType = null;
    if (accept(TokenKind.COLON)) {
      returnType = returnType();
    }
    int savedLoops = loopDepth;
    boolean savedVararg = varargAllowed;
    loopDepth = 0;
    varargAllowed = vararg;
    Block body = block();
    loopDepth = savedLoops;
    varargAllowed = savedVararg;
    expectMatch(TokenKind.END, "function", start);
    return new FunctionBody(name, attributes, generics, packs, params, method, vararg, varargType,
        returnType, body, from(start));
  }

  /** binding ::= NAME [':' Type]. */
  private Binding binding(String context) {
    Span start = tok.span();
    String name = expectName(context);
    TypeNode type = null;
    if (accept(TokenKind.COLON)) {
      type = type();
    }
    return new Binding(name, type, from(start));
  }

  private List<Binding> bindingList(String context) {
    List<Binding> list = new ArrayList<>();
    do {
      list.add(binding(context));
    } while (accept(TokenKind.COMMA));
    return list;
  }

  // ---- expressions -------------------------------------------------------------------------

  private List<Expr> exprList() {
    List<Expr> list = new ArrayList<>();
    do {
      list.add(expr());
    } while (accept(TokenKind.COMMA));
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

  private static int leftPriority(BinaryOp op) {
    return switch (op) {
      case OR -> 1;
      case AND -> 2;
      case EQ, NE, LT, LE, GT, GE -> 3;
      case CONCAT -> CONCAT_LEFT;
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
   * than {@code limit} are taken. Chains of the right-associative {@code ..} are collected in a loop
   * (long concatenations are common in generated code) and folded to the right.
   */
  private Expr subExpr(int limit) {
    enter();
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
      if (op == BinaryOp.CONCAT) {
        List<Expr> operands = new ArrayList<>();
        operands.add(left);
        operands.add(subExpr(CONCAT_LEFT));
        while (at(TokenKind.CONCAT)) {
          advance();
          operands.add(subExpr(CONCAT_LEFT));
        }
        Expr right = operands.get(operands.size() - 1);
        for (int i = operands.size() - 2; i >= 0; i--) {
          Expr l = operands.get(i);
          right = new Expr.Binary(BinaryOp.CONCAT, l, right, Span.between(l.span(), right.span()));
        }
        left = right;
      } else {
        Expr right = subExpr(rightPriority(op));
        left = new Expr.Binary(op, left, right, from(start));
      }
      op = binaryOp(tok.kind());
    }
    leave();
    return left;
  }

  /** asexp ::= simpleexp ['::' Type]. */
  private Expr asExpr() {
    Span start = tok.span();
    Expr e = simpleExpr();
    while (at(TokenKind.DCOLON)) {
      advance();
      TypeNode type = type();
      e = new Expr.TypeCast(e, type, from(start));
    }
    return e;
  }

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
      case STRING: {
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
        advance();
        FunctionBody body = funcBody(start, null, false, List.of());
        return new Expr.Function(body, from(start));
      }
      case AT: {
        List<Attribute> attributes = attributes();
        if (!at(TokenKind.FUNCTION)) {
          throw fail("Expected 'function' declaration after attribute, got " + tok.describe());
        }
        Span functionStart = tok.span();
        advance();
        FunctionBody body = funcBody(functionStart, null, false, attributes);
        return new Expr.Function(body, from(start));
      }
      case IF:
        return ifElseExpr();
      case INTERP_SIMPLE:
      case INTERP_BEGIN:
        return stringInterp();
      default:
        return primaryExpr();
    }
  }

  /** ifelseexp ::= 'if' exp 'then' exp {'elseif' exp 'then' exp} 'else' exp. */
  private Expr ifElseExpr() {
    List<Span> starts = new ArrayList<>();
    List<Expr> conditions = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    do {
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
    return result;
  }

  /** stringinterp ::= INTERP_BEGIN exp {INTERP_MID exp} INTERP_END. */
  private Expr stringInterp() {
    Span start = tok.span();
    List<byte[]> parts = new ArrayList<>();
    List<Expr> exprs = new ArrayList<>();
    parts.add(tok.bytes());
    if (at(TokenKind.INTERP_SIMPLE)) {
      advance();
      return new Expr.Interp(parts, exprs, start);
    }
    advance();
    while (true) {
      if (at(TokenKind.INTERP_MID) || at(TokenKind.INTERP_END)) {
        report(tok.span(), "Malformed interpolated string, expected expression inside '{}'");
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
      } else {
        throw fail("Malformed interpolated string; did you forget to add a '}'?");
      }
    }
  }

  /** tableconstructor ::= '{' [field {fieldsep field} [fieldsep]] '}'. */
  private Expr tableConstructor() {
    Span start = tok.span();
    advance();
    List<TableField> fields = new ArrayList<>();
    while (!at(TokenKind.RBRACE)) {
      Span fieldStart = tok.span();
      if (at(TokenKind.LBRACKET)) {
        advance();
        Expr key = expr();
        expectMatch(TokenKind.RBRACKET, "[", fieldStart);
        expect(TokenKind.ASSIGN, "table field");
        Expr value = expr();
        fields.add(new TableField.Keyed(key, value, from(fieldStart)));
      } else if (at(TokenKind.NAME) && peek().kind() == TokenKind.ASSIGN) {
        String name = tok.text();
        advance();
        advance();
        Expr value = expr();
        fields.add(new TableField.Named(name, value, from(fieldStart)));
      } else {
        Expr value = expr();
        fields.add(new TableField.Positional(value, from(fieldStart)));
      }
      if (!accept(TokenKind.COMMA) && !accept(TokenKind.SEMICOLON)) {
        break;
      }
    }
    expectMatch(TokenKind.RBRACE, "{", start);
    return new Expr.Table(fields, from(start));
  }

  /** prefixexp followed by any number of field, index, call and instantiation suffixes. */
  private Expr primaryExpr() {
    Span start = tok.span();
    Expr e;
    if (at(TokenKind.NAME)) {
      e = new Expr.Name(tok.text(), start);
      advance();
    } else if (at(TokenKind.LPAREN)) {
      advance();
      Expr inner = expr();
      expectMatch(TokenKind.RPAREN, "(", start);
      e = new Expr.Paren(inner, from(start));
    } else {
      throw fail("Expected identifier when parsing expression, got " + tok.describe());
    }
    while (true) {
      switch (tok.kind()) {
        case DOT: {
          advance();
          String name = expectName("field name");
          e = new Expr.Field(e, name, from(start));
          break;
        }
        case LBRACKET: {
          Span open = tok.span();
          advance();
          Expr key = expr();
          expectMatch(TokenKind.RBRACKET, "[", open);
          e = new Expr.Index(e, key, from(start));
          break;
        }
        case COLON: {
          advance();
          String name = expectName("method name");
          List<TypeArg> typeArgs = List.of();
          if (atInstantiation()) {
            typeArgs = typeInstantiation();
          }
          List<Expr> args = funcArgs("method call");
          e = new Expr.MethodCall(e, name, typeArgs, args, from(start));
          break;
        }
        case LPAREN:
          if (tok.span().line() != prev.endLine()) {
            report(tok.span(), "Ambiguous syntax: this looks like an argument list for a function call, "
                + "but could also be a start of new statement; use ';' to separate statements");
          }
          e = new Expr.Call(e, funcArgs("function call"), from(start));
          break;
        case STRING:
        case LBRACE:
          e = new Expr.Call(e, funcArgs("function call"), from(start));
          break;
        case LT:
          if (!atInstantiation()) {
            return e;
          }
          e = new Expr.Instantiate(e, typeInstantiation(), from(start));
          break;
        default:
          return e;
      }
    }
  }

  /** Whether the current tokens are '<' '<' written together: an explicit instantiation. */
  private boolean atInstantiation() {
    if (!at(TokenKind.LT)) {
      return false;
    }
    Token next = peek();
    return next.kind() == TokenKind.LT && next.span().line() == tok.span().line()
        && next.span().column() == tok.span().endColumn();
  }

  /** '<<' TypeParams '>>'. */
  private List<TypeArg> typeInstantiation() {
    advance();
    advance();
    List<TypeArg> args = new ArrayList<>();
    if (!at(TokenKind.GT)) {
      do {
        args.add(typeOrPack(true));
      } while (accept(TokenKind.COMMA));
    }
    expect(TokenKind.GT, "explicit type instantiation");
    expect(TokenKind.GT, "explicit type instantiation");
    return args;
  }

  /** funcargs ::= '(' [explist] ')' | tableconstructor | STRING. */
  private List<Expr> funcArgs(String context) {
    Span start = tok.span();
    switch (tok.kind()) {
      case LPAREN: {
        advance();
        List<Expr> args = at(TokenKind.RPAREN) ? List.of() : exprList();
        expectMatch(TokenKind.RPAREN, "(", start);
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
        throw fail("Expected '(', '{' or <string> when parsing " + context + ", got " + tok.describe());
    }
  }

  // ---- types -------------------------------------------------------------------------------

  private TypeNode type() {
    return (TypeNode) typeOrPack(false);
  }

  /**
   * Type ::= Union | Intersection, with an optional leading '|' or '&'. When {@code allowPack},
   * a type pack ({@code (A, B)}, {@code ...T}, {@code T...}) is accepted too and returned as is.
   */
  private TypeArg typeOrPack(boolean allowPack) {
    enter();
    Span start = tok.span();
    TokenKind leading = null;
    if (at(TokenKind.PIPE) || at(TokenKind.AMPERSAND)) {
      leading = tok.kind();
      advance();
    }
    TypeArg first = simpleTypeOrPack(allowPack && leading == null);
    if (first instanceof TypePack pack) {
      leave();
      return pack;
    }
    TypeNode t = optionalSuffix((TypeNode) first, start);
    TokenKind separator = at(TokenKind.PIPE) || at(TokenKind.AMPERSAND) ? tok.kind() : leading;
    if (separator == null) {
      leave();
      return t;
    }
    List<TypeNode> parts = new ArrayList<>();
    parts.add(t);
    while (at(TokenKind.PIPE) || at(TokenKind.AMPERSAND)) {
      if (tok.kind() != separator) {
        throw fail("Mixing union and intersection types is not allowed; consider wrapping in parentheses");
      }
      advance();
      Span partStart = tok.span();
      parts.add(optionalSuffix(simpleType(), partStart));
    }
    leave();
    if (parts.size() == 1) {
      return t;
    }
    return separator == TokenKind.PIPE
        ? new TypeNode.Union(parts, from(start))
        : new TypeNode.Intersection(parts, from(start));
  }

  private TypeNode optionalSuffix(TypeNode t, Span start) {
    while (at(TokenKind.QUESTION)) {
      advance();
      t = new TypeNode.Optional(t, from(start));
    }
    return t;
  }

  private TypeNode simpleType() {
    return (TypeNode) simpleTypeOrPack(false);
  }

  /**
   * SimpleType ::= 'nil' | SingletonType | NAME ['.' NAME] ['<' TypeParams '>'] | 'typeof' '(' exp ')'
   * | TableType | FunctionType | '(' Type ')'; plus, when {@code allowPack}, the pack forms.
   */
  private TypeArg simpleTypeOrPack(boolean allowPack) {
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
      case NAME: {
        Token next = peek();
        if (allowPack && next.kind() == TokenKind.DOTS) {
          String name = tok.text();
          advance();
          advance();
          return new TypePack.Generic(name, from(start));
        }
        if (tok.text().equals("typeof") && next.kind() == TokenKind.LPAREN) {
          advance();
          Span open = tok.span();
          advance();
          Expr e = expr();
          expectMatch(TokenKind.RPAREN, "(", open);
          return new TypeNode.Typeof(e, from(start));
        }
        String module = null;
        String name = tok.text();
        advance();
        if (at(TokenKind.DOT)) {
          advance();
          module = name;
          name = expectName("type name");
        }
        List<TypeArg> args = List.of();
        if (at(TokenKind.LT)) {
          advance();
          args = new ArrayList<>();
          if (!at(TokenKind.GT) && !at(TokenKind.GE)) {
            do {
              args.add(typeOrPack(true));
            } while (accept(TokenKind.COMMA));
          }
          expectCloseAngle("type parameters");
        }
        return new TypeNode.Named(module, name, args, from(start));
      }
      case LBRACE:
        return tableType();
      case LPAREN:
      case LT:
        return functionTypeOrParen(allowPack);
      case DOTS:
        if (allowPack) {
          advance();
          TypeNode t = type();
          return new TypePack.Variadic(t, from(start));
        }
        throw fail("Expected type, got " + tok.describe());
      default:
        throw fail("Expected type, got " + tok.describe());
    }
  }

  /** TableType ::= '{' Type '}' | '{' [PropList] '}'. */
  private TypeNode tableType() {
    Span start = tok.span();
    advance();
    List<TypeNode.TableProp> props = new ArrayList<>();
    TypeNode.TableIndexer indexer = null;
    if (!at(TokenKind.RBRACE) && !atTableTypeEntry()) {
      TypeNode element = type();
      expectMatch(TokenKind.RBRACE, "{", start);
      Span s = from(start);
      return new TypeNode.Table(List.of(),
          new TypeNode.TableIndexer(TypeNode.Access.READ_WRITE, new TypeNode.Named(null, "number", List.of(), s), element, s),
          s);
    }
    while (!at(TokenKind.RBRACE)) {
      Span entryStart = tok.span();
      TypeNode.Access access = TypeNode.Access.READ_WRITE;
      if (atAccessModifier()) {
        access = tok.text().equals("read") ? TypeNode.Access.READ : TypeNode.Access.WRITE;
        advance();
      }
      if (at(TokenKind.LBRACKET)) {
        Span open = tok.span();
        advance();
        if (at(TokenKind.STRING) && peek().kind() == TokenKind.RBRACKET) {
          String name = new String(tok.bytes(), StandardCharsets.UTF_8);
          advance();
          advance();
          expect(TokenKind.COLON, "table property");
          props.add(new TypeNode.TableProp(name, access, type(), from(entryStart)));
        } else {
          TypeNode key = type();
          expectMatch(TokenKind.RBRACKET, "[", open);
          expect(TokenKind.COLON, "table indexer");
          TypeNode value = type();
          if (indexer != null) {
            report(entryStart, "Cannot have more than one table indexer");
          }
          indexer = new TypeNode.TableIndexer(access, key, value, from(entryStart));
        }
      } else {
        String name = expectName("table type property");
        expect(TokenKind.COLON, "table type property");
        props.add(new TypeNode.TableProp(name, access, type(), from(entryStart)));
      }
      if (!accept(TokenKind.COMMA) && !accept(TokenKind.SEMICOLON)) {
        break;
      }
    }
    expectMatch(TokenKind.RBRACE, "{", start);
    return new TypeNode.Table(props, indexer, from(start));
  }

  /** Whether a table type entry (property or indexer) starts here, as opposed to {@code {T}}. */
  private boolean atTableTypeEntry() {
    if (at(TokenKind.LBRACKET)) {
      return true;
    }
    if (!at(TokenKind.NAME)) {
      return false;
    }
    return peek().kind() == TokenKind.COLON || atAccessModifier();
  }

  private boolean atAccessModifier() {
    if (!(atName("read") || atName("write"))) {
      return false;
    }
    TokenKind next = peek().kind();
    return next == TokenKind.NAME || next == TokenKind.LBRACKET;
  }

  /**
   * FunctionType ::= ['<' GenericTypeList '>'] '(' [BoundTypeList] ')' '->' ReturnType, or a
   * parenthesized type, or (when {@code allowPack}) a type pack {@code (A, B, ...C)}.
   */
  private TypeArg functionTypeOrParen(boolean allowPack) {
    Span start = tok.span();
    List<GenericParam> generics = List.of();
    List<GenericPackParam> packs = List.of();
    boolean hasGenerics = false;
    if (at(TokenKind.LT)) {
      hasGenerics = true;
      List<GenericParam> g = new ArrayList<>();
      List<GenericPackParam> gp = new ArrayList<>();
      genericTypeList(false, g, gp);
      generics = g;
      packs = gp;
    }
    Span open = tok.span();
    expect(TokenKind.LPAREN, "function type");
    List<TypeNode.FunctionParam> params = new ArrayList<>();
    TypePack tail = null;
    boolean named = false;
    if (!at(TokenKind.RPAREN)) {
      do {
        Span paramStart = tok.span();
        if (at(TokenKind.DOTS)) {
          advance();
          tail = new TypePack.Variadic(type(), from(paramStart));
          break;
        }
        if (at(TokenKind.NAME) && peek().kind() == TokenKind.DOTS) {
          String name = tok.text();
          advance();
          advance();
          tail = new TypePack.Generic(name, from(paramStart));
          break;
        }
        String name = null;
        if (at(TokenKind.NAME) && peek().kind() == TokenKind.COLON) {
          name = tok.text();
          named = true;
          advance();
          advance();
        }
        params.add(new TypeNode.FunctionParam(name, type(), from(paramStart)));
      } while (accept(TokenKind.COMMA));
    }
    expectMatch(TokenKind.RPAREN, "(", open);
    if (at(TokenKind.ARROW) || hasGenerics || named) {
      expect(TokenKind.ARROW, "function type");
      TypePack returns = returnType();
      return new TypeNode.Function(generics, packs, params, tail, returns, from(start));
    }
    if (params.size() == 1 && tail == null) {
      return params.get(0).type(); // a parenthesized type
    }
    List<TypeNode> types = new ArrayList<>(params.size());
    for (TypeNode.FunctionParam p : params) {
      types.add(p.type());
    }
    TypePack pack = new TypePack.Explicit(types, tail, from(start));
    if (!allowPack) {
      throw fail("Expected '->' after a type pack when parsing function type, got " + tok.describe());
    }
    return pack;
  }

  /** ReturnType ::= Type | TypePack | GenericTypePack | VariadicTypePack; a lone Type becomes a pack of one. */
  private TypePack returnType() {
    TypeArg t = typeOrPack(true);
    if (t instanceof TypePack pack) {
      return pack;
    }
    TypeNode single = (TypeNode) t;
    return new TypePack.Explicit(List.of(single), null, single.span());
  }

  /**
   * '<' GenericTypeList '>' (or GenericTypeListWithDefaults for type aliases): type parameters
   * first, then packs {@code T...}; once a default is given every later parameter needs one.
   */
  private void genericTypeList(boolean withDefaults, List<GenericParam> generics, List<GenericPackParam> packs) {
    Span open = tok.span();
    advance(); // '<'
    boolean seenDefault = false;
    if (!at(TokenKind.GT)) {
      do {
        Span start = tok.span();
        String name = expectName("generic type list");
        if (accept(TokenKind.DOTS)) {
          TypePack dflt = null;
          if (withDefaults && accept(TokenKind.ASSIGN)) {
            seenDefault = true;
            TypeArg d = typeOrPack(true);
            dflt = d instanceof TypePack p ? p : new TypePack.Explicit(List.of((TypeNode) d), null, d.span());
          } else if (seenDefault) {
            report(tok.span(), "Expected default type pack after type pack name");
          }
          packs.add(new GenericPackParam(name, dflt, from(start)));
        } else {
          if (!packs.isEmpty()) {
            report(start, "Generic types come before generic type packs");
          }
          TypeNode dflt = null;
          if (withDefaults && accept(TokenKind.ASSIGN)) {
            seenDefault = true;
            dflt = type();
          } else if (seenDefault) {
            report(tok.span(), "Expected default type after type name");
          }
          generics.add(new GenericParam(name, dflt, from(start)));
        }
      } while (accept(TokenKind.COMMA));
    }
    if (!at(TokenKind.GT) && !at(TokenKind.GE)) {
      expectMatch(TokenKind.GT, "<", open);
    }
    expectCloseAngle("generic type list");
  }
}
