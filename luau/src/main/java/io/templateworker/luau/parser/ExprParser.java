package io.templateworker.luau.parser;

import io.templateworker.luau.ast.Attribute;
import io.templateworker.luau.ast.BinaryOp;
import io.templateworker.luau.ast.Binding;
import io.templateworker.luau.ast.Block;
import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.FunctionBody;
import io.templateworker.luau.ast.GenericPackParam;
import io.templateworker.luau.ast.GenericParam;
import io.templateworker.luau.ast.TableField;
import io.templateworker.luau.ast.TypeArg;
import io.templateworker.luau.ast.TypeNode;
import io.templateworker.luau.ast.TypePack;
import io.templateworker.luau.ast.UnaryOp;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses expressions, function bodies and attributes; {@link Parser} adds the statements a function body holds.
 */
abstract class ExprParser extends TypeParser {
  static final int UNARY_PRIORITY = 8;

  /** Loops enclosing the current statement within its function ('break' and 'continue' need one). */
  int loopDepth;
  /** Whether '...' may appear: in the main chunk and in vararg functions. */
  boolean varargAllowed = true;

  ExprParser(byte[] source) {
    super(source);
  }

  abstract Block block();

  /** attributes ::= {'@' NAME | '@[' parattr {',' parattr} ']'}. */
  List<Attribute> attributes() {
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
  Attribute validatedAttribute(
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
  void checkDeprecatedArgs(Span at, List<Expr> args) {
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

  static boolean isLiteral(Expr e) {
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
  FunctionBody funcBody(
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
  TypePack variadicArgumentTypePack() {
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
  TypePack optionalReturnType() {
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
  Binding binding() {
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
  List<Expr> exprList() {
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

  @Override
  Expr expr() {
    return subExpr(0);
  }

  static BinaryOp binaryOp(TokenKind k) {
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
  static int leftPriority(BinaryOp op) {
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

  static int rightPriority(BinaryOp op) {
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
  Expr subExpr(int limit) {
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
  Expr asExpr() {
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
  @Override
  Expr simpleExpr() {
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
  Expr ifElseExpr() {
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
  Expr stringInterp() {
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
  Expr tableConstructor() {
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
  static Expr named(Expr value, String name) {
    if (value instanceof Expr.Function f && f.body().name() == null) {
      FunctionBody b = f.body();
      return new Expr.Function(new FunctionBody(name, b.attributes(), b.generics(), b.genericPacks(), b.params(),
          b.method(), b.vararg(), b.varargType(), b.returnType(), b.body(), b.span()), f.span());
    }
    return value;
  }

  /** prefixexp ::= NAME | '(' exp ')', then any number of '.', '[]', ':', call and '<<>>' suffixes. */
  Expr primaryExpr(boolean asStatement) {
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

  void reportAmbiguousCall() {
    report(tok.span(), "Ambiguous syntax: this looks like an argument list for a function call, "
        + "but could also be a start of new statement; use ';' to separate statements");
  }

  /** Whether the current tokens are '<' '<': an explicit type instantiation. */
  boolean atInstantiation() {
    return at(TokenKind.LT) && peek().kind() == TokenKind.LT;
  }

  /** '<<' TypeParams '>>'. */
  List<TypeArg> typeInstantiation() {
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
  List<Expr> funcArgs(Span callee) {
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
}
