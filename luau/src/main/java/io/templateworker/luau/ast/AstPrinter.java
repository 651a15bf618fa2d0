package io.templateworker.luau.ast;

import java.util.List;

/**
 * Dumps a syntax tree as compact S-expressions, one statement per line, for golden tests and
 * debugging. Spans are not printed. Strings print with non-printable bytes as {@code \ddd}.
 */
public final class AstPrinter {

  private final StringBuilder out = new StringBuilder();
  private int indent;

  private AstPrinter() {}

  /** The dump of a whole chunk (or any block). */
  public static String print(Block block) {
    AstPrinter p = new AstPrinter();
    p.block(block);
    return p.out.toString();
  }

  /** The dump of one expression. */
  public static String print(Expr expr) {
    AstPrinter p = new AstPrinter();
    p.expr(expr);
    return p.out.toString();
  }

  /** The dump of one type. */
  public static String print(TypeArg type) {
    AstPrinter p = new AstPrinter();
    p.typeArg(type);
    return p.out.toString();
  }

  private void block(Block block) {
    for (Stat s : block.stats()) {
      out.append("  ".repeat(indent));
      stat(s);
      out.append('\n');
    }
  }

  private void nested(Block block) {
    out.append('\n');
    indent++;
    block(block);
    indent--;
    out.append("  ".repeat(indent));
  }

  private void stat(Stat stat) {
    switch (stat) {
      case Stat.Local s -> {
        out.append("(local");
        for (Binding b : s.names()) {
          out.append(' ');
          binding(b);
        }
        if (!s.values().isEmpty()) {
          out.append(" =");
          exprs(s.values());
        }
        out.append(')');
      }
      case Stat.Assign s -> {
        out.append("(assign");
        exprs(s.targets());
        out.append(" =");
        exprs(s.values());
        out.append(')');
      }
      case Stat.CompoundAssign s -> {
        out.append("(").append(s.op().symbol()).append("= ");
        expr(s.target());
        out.append(' ');
        expr(s.value());
        out.append(')');
      }
      case Stat.CallStat s -> {
        out.append("(callstat ");
        expr(s.call());
        out.append(')');
      }
      case Stat.Do s -> {
        out.append("(do");
        nested(s.body());
        out.append(')');
      }
      case Stat.While s -> {
        out.append("(while ");
        expr(s.condition());
        nested(s.body());
        out.append(')');
      }
      case Stat.Repeat s -> {
        out.append("(repeat");
        nested(s.body());
        out.append("until ");
        expr(s.condition());
        out.append(')');
      }
      case Stat.If s -> {
        out.append("(if");
        boolean first = true;
        for (Stat.IfClause c : s.clauses()) {
          out.append(first ? " " : "elseif ");
          first = false;
          expr(c.condition());
          nested(c.body());
        }
        if (s.elseBody() != null) {
          out.append("else");
          nested(s.elseBody());
        }
        out.append(')');
      }
      case Stat.NumericFor s -> {
        out.append("(for ");
        binding(s.var());
        out.append(" = ");
        expr(s.start());
        out.append(' ');
        expr(s.limit());
        if (s.step() != null) {
          out.append(' ');
          expr(s.step());
        }
        nested(s.body());
        out.append(')');
      }
      case Stat.GenericFor s -> {
        out.append("(forin");
        for (Binding b : s.vars()) {
          out.append(' ');
          binding(b);
        }
        out.append(" in");
        exprs(s.values());
        nested(s.body());
        out.append(')');
      }
      case Stat.Function s -> {
        out.append("(function ");
        expr(s.target());
        out.append(' ');
        functionBody(s.body());
        out.append(')');
      }
      case Stat.LocalFunction s -> {
        out.append("(localfunction ");
        binding(s.name());
        out.append(' ');
        functionBody(s.body());
        out.append(')');
      }
      case Stat.Return s -> {
        out.append("(return");
        exprs(s.values());
        out.append(')');
      }
      case Stat.Break s -> out.append("(break)");
      case Stat.Continue s -> out.append("(continue)");
      case Stat.TypeAlias s -> {
        out.append(s.exported() ? "(export type " : "(type ").append(s.name());
        generics(s.generics(), s.genericPacks());
        out.append(" = ");
        type(s.type());
        out.append(')');
      }
      case Stat.TypeFunction s -> {
        out.append(s.exported() ? "(export typefunction " : "(typefunction ").append(s.name()).append(' ');
        functionBody(s.body());
        out.append(')');
      }
    }
  }

  private void binding(Binding b) {
    out.append(b.name());
    if (b.type() != null) {
      out.append(':');
      type(b.type());
    }
  }

  private void functionBody(FunctionBody f) {
    out.append("(fn");
    for (Attribute a : f.attributes()) {
      out.append(" @").append(a.name());
      if (!a.args().isEmpty()) {
        out.append('(');
        for (int i = 0; i < a.args().size(); i++) {
          if (i > 0) {
            out.append(' ');
          }
          expr(a.args().get(i));
        }
        out.append(')');
      }
    }
    if (f.name() != null) {
      out.append(" name=").append(f.name());
    }
    if (f.method()) {
      out.append(" method");
    }
    generics(f.generics(), f.genericPacks());
    out.append(" (");
    boolean first = true;
    for (Binding b : f.params()) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      binding(b);
    }
    if (f.vararg()) {
      out.append(first ? "..." : " ...");
      if (f.varargType() != null) {
        out.append(':');
        typeArg(f.varargType());
      }
    }
    out.append(')');
    if (f.returnType() != null) {
      out.append(" -> ");
      typeArg(f.returnType());
    }
    nested(f.body());
    out.append(')');
  }

  private void generics(List<GenericParam> generics, List<GenericPackParam> packs) {
    if (generics.isEmpty() && packs.isEmpty()) {
      return;
    }
    out.append(" <");
    boolean first = true;
    for (GenericParam g : generics) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      out.append(g.name());
      if (g.defaultType() != null) {
        out.append('=');
        type(g.defaultType());
      }
    }
    for (GenericPackParam g : packs) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      out.append(g.name()).append("...");
      if (g.defaultPack() != null) {
        out.append('=');
        typeArg(g.defaultPack());
      }
    }
    out.append('>');
  }

  private void exprs(List<Expr> exprs) {
    for (Expr e : exprs) {
      out.append(' ');
      expr(e);
    }
  }

  private void expr(Expr expr) {
    switch (expr) {
      case Expr.Nil e -> out.append("nil");
      case Expr.Bool e -> out.append(e.value());
      case Expr.Num e -> number(e.value());
      case Expr.Int e -> out.append(e.value()).append('i');
      case Expr.Str e -> string(e.value());
      case Expr.Vararg e -> out.append("...");
      case Expr.Name e -> out.append(e.name());
      case Expr.Index e -> {
        out.append("(index ");
        expr(e.object());
        out.append(' ');
        expr(e.key());
        out.append(')');
      }
      case Expr.Field e -> {
        out.append("(. ");
        expr(e.object());
        out.append(' ').append(e.name()).append(')');
      }
      case Expr.Call e -> {
        out.append("(call ");
        expr(e.function());
        exprs(e.args());
        out.append(')');
      }
      case Expr.MethodCall e -> {
        out.append("(: ");
        expr(e.object());
        out.append(' ').append(e.name());
        if (!e.typeArgs().isEmpty()) {
          typeArgs(e.typeArgs());
        }
        exprs(e.args());
        out.append(')');
      }
      case Expr.Instantiate e -> {
        out.append("(instantiate ");
        expr(e.target());
        typeArgs(e.typeArgs());
        out.append(')');
      }
      case Expr.Function e -> functionBody(e.body());
      case Expr.Table e -> {
        out.append("(table");
        for (TableField f : e.fields()) {
          out.append(' ');
          switch (f) {
            case TableField.Positional p -> expr(p.value());
            case TableField.Named n -> {
              out.append('(').append(n.name()).append(" = ");
              expr(n.value());
              out.append(')');
            }
            case TableField.Keyed k -> {
              out.append("([");
              expr(k.key());
              out.append("] = ");
              expr(k.value());
              out.append(')');
            }
          }
        }
        out.append(')');
      }
      case Expr.Unary e -> {
        out.append('(').append(e.op().symbol()).append(' ');
        expr(e.operand());
        out.append(')');
      }
      case Expr.Binary e -> {
        out.append('(').append(e.op().symbol()).append(' ');
        expr(e.left());
        out.append(' ');
        expr(e.right());
        out.append(')');
      }
      case Expr.Paren e -> {
        out.append("(paren ");
        expr(e.inner());
        out.append(')');
      }
      case Expr.IfElse e -> {
        out.append("(ifexpr ");
        expr(e.condition());
        out.append(' ');
        expr(e.then());
        out.append(' ');
        expr(e.otherwise());
        out.append(')');
      }
      case Expr.Interp e -> {
        out.append("(interp ");
        for (int i = 0; i < e.parts().size(); i++) {
          if (i > 0) {
            out.append(' ');
            expr(e.exprs().get(i - 1));
            out.append(' ');
          }
          string(e.parts().get(i));
        }
        out.append(')');
      }
      case Expr.TypeCast e -> {
        out.append("(:: ");
        expr(e.expr());
        out.append(' ');
        type(e.type());
        out.append(')');
      }
    }
  }

  private void typeArgs(List<TypeArg> args) {
    out.append(" <<");
    boolean first = true;
    for (TypeArg a : args) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      typeArg(a);
    }
    out.append(">>");
  }

  private void typeArg(TypeArg arg) {
    switch (arg) {
      case TypeNode t -> type(t);
      case TypePack p -> pack(p);
    }
  }

  private void pack(TypePack pack) {
    switch (pack) {
      case TypePack.Explicit p -> {
        out.append('(');
        boolean first = true;
        for (TypeNode t : p.types()) {
          if (!first) {
            out.append(", ");
          }
          first = false;
          type(t);
        }
        if (p.tail() != null) {
          if (!first) {
            out.append(", ");
          }
          pack(p.tail());
        }
        out.append(')');
      }
      case TypePack.Variadic p -> {
        out.append("...");
        type(p.type());
      }
      case TypePack.Generic p -> out.append(p.name()).append("...");
    }
  }

  private void type(TypeNode type) {
    switch (type) {
      case TypeNode.Named t -> {
        if (t.module() != null) {
          out.append(t.module()).append('.');
        }
        out.append(t.name());
        if (!t.args().isEmpty()) {
          out.append('<');
          boolean first = true;
          for (TypeArg a : t.args()) {
            if (!first) {
              out.append(", ");
            }
            first = false;
            typeArg(a);
          }
          out.append('>');
        }
      }
      case TypeNode.StringSingleton t -> string(t.value());
      case TypeNode.BoolSingleton t -> out.append(t.value());
      case TypeNode.Typeof t -> {
        out.append("typeof(");
        expr(t.expr());
        out.append(')');
      }
      case TypeNode.Table t -> {
        out.append('{');
        boolean first = true;
        for (TypeNode.TableProp p : t.props()) {
          out.append(first ? "" : ", ");
          first = false;
          access(p.access());
          out.append(p.name()).append(": ");
          type(p.type());
        }
        if (t.indexer() != null) {
          out.append(first ? "" : ", ");
          access(t.indexer().access());
          out.append('[');
          type(t.indexer().key());
          out.append("]: ");
          type(t.indexer().value());
        }
        out.append('}');
      }
      case TypeNode.Function t -> {
        out.append("(fntype");
        generics(t.generics(), t.genericPacks());
        out.append(" (");
        boolean first = true;
        for (TypeNode.FunctionParam p : t.params()) {
          out.append(first ? "" : ", ");
          first = false;
          if (p.name() != null) {
            out.append(p.name()).append(": ");
          }
          type(p.type());
        }
        if (t.varargs() != null) {
          out.append(first ? "" : ", ");
          pack(t.varargs());
        }
        out.append(") -> ");
        pack(t.returns());
        out.append(')');
      }
      case TypeNode.Union t -> typeList("(union", t.types());
      case TypeNode.Intersection t -> typeList("(intersection", t.types());
      case TypeNode.Optional t -> {
        out.append("(optional ");
        type(t.type());
        out.append(')');
      }
    }
  }

  private void access(TypeNode.Access access) {
    switch (access) {
      case READ -> out.append("read ");
      case WRITE -> out.append("write ");
      case READ_WRITE -> { }
    }
  }

  private void typeList(String head, List<TypeNode> types) {
    out.append(head);
    for (TypeNode t : types) {
      out.append(' ');
      type(t);
    }
    out.append(')');
  }

  private void number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      out.append((long) v);
    } else {
      out.append(v);
    }
  }

  private void string(byte[] bytes) {
    out.append('"');
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append((char) c);
      } else {
        out.append('\\').append(c);
      }
    }
    out.append('"');
  }
}
