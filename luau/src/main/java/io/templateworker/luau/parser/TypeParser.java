package io.templateworker.luau.parser;

import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.GenericPackParam;
import io.templateworker.luau.ast.GenericParam;
import io.templateworker.luau.ast.TypeArg;
import io.templateworker.luau.ast.TypeNode;
import io.templateworker.luau.ast.TypePack;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.lexer.TokenKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Luau's type annotations (type aliases, typed bindings, function signatures, generics). Types are checked
 * for syntax only and erased by the compiler; {@code typeof(expr)} reaches back into {@link Parser}'s expressions.
 */
abstract class TypeParser extends TokenCursor {
  TypeParser(byte[] source) {
    super(source);
  }

  abstract Expr expr();

  abstract Expr simpleExpr();

  /** Type ::= [SimpleType] {'|' SimpleType | '?' | '&' SimpleType}, with an optional leading '|' or '&'. */
  TypeNode type() {
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
  TypeNode typeSuffix(TypeNode first, Span start) {
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
  TypeNode simplePart() {
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
  TypeArg simpleType(boolean allowPack) {
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
  List<TypeArg> typeParams() {
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
  TypePack typePack() {
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
  TypeNode tableType() {
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

  static boolean containsZero(byte[] bytes) {
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
  TypeArg functionType(boolean allowPack) {
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

  static List<TypeNode> paramTypes(List<TypeNode.FunctionParam> params) {
    List<TypeNode> types = new ArrayList<>(params.size());
    for (TypeNode.FunctionParam p : params) {
      types.add(p.type());
    }
    return types;
  }

  /** '->' ReturnType after a function type's parameters. */
  TypeNode functionTypeTail(Span start, List<GenericParam> generics, List<GenericPackParam> packs,
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
  TypePack typeList(List<TypeNode.FunctionParam> out) {
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
  TypePack returnType() {
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
  void genericTypeList(
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
  TypePack packDefault() {
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
