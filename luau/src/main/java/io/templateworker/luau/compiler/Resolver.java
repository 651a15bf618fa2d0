package io.templateworker.luau.compiler;

import io.templateworker.luau.ast.Binding;
import io.templateworker.luau.ast.Block;
import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.FunctionBody;
import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.ast.TableField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * First pass: walks scopes exactly as the compiler does and records which local declarations are referenced
 * from an inner function. Only those are boxed in cells; all other locals live directly in frame slots.
 */
final class Resolver {
  private final Set<Binding> captured = Collections.newSetFromMap(new IdentityHashMap<>());

  private static final class Scope {
    final Scope parentFunction;
    final List<Map<String, Binding>> blocks = new ArrayList<>();

    Scope(Scope parentFunction) {
      this.parentFunction = parentFunction;
    }
  }

  private Scope fn;

  static Set<Binding> capturedLocals(Block chunk) {
    Resolver r = new Resolver();
    r.fn = new Scope(null);
    r.block(chunk);
    return r.captured;
  }

  private void open() {
    fn.blocks.add(new HashMap<>());
  }

  private void close() {
    fn.blocks.remove(fn.blocks.size() - 1);
  }

  private void declare(Binding b) {
    fn.blocks.get(fn.blocks.size() - 1).put(b.name(), b);
  }

  private void reference(String name) {
    for (Scope s = fn; s != null; s = s.parentFunction) {
      for (int i = s.blocks.size() - 1; i >= 0; i--) {
        Binding b = s.blocks.get(i).get(name);
        if (b != null) {
          if (s != fn) {
            captured.add(b);
          }
          return;
        }
      }
    }
  }

  private void block(Block b) {
    open();
    stats(b.stats());
    close();
  }

  private void stats(List<Stat> stats) {
    for (Stat s : stats) {
      stat(s);
    }
  }

  private void function(FunctionBody body) {
    Scope saved = fn;
    fn = new Scope(saved);
    open();
    for (Binding p : body.params()) {
      declare(p);
    }
    stats(body.body().stats());
    fn = saved;
  }

  private void stat(Stat s) {
    switch (s) {
      case Stat.Local l -> {
        exprs(l.values());
        for (Binding b : l.names()) {
          declare(b);
        }
      }
      case Stat.Assign a -> {
        exprs(a.targets());
        exprs(a.values());
      }
      case Stat.CompoundAssign c -> {
        expr(c.target());
        expr(c.value());
      }
      case Stat.CallStat c -> expr(c.call());
      case Stat.Do d -> block(d.body());
      case Stat.While w -> {
        expr(w.condition());
        block(w.body());
      }
      case Stat.Repeat r -> {
        open();
        stats(r.body().stats());
        expr(r.condition());
        close();
      }
      case Stat.If i -> {
        for (Stat.IfClause c : i.clauses()) {
          expr(c.condition());
          block(c.body());
        }
        if (i.elseBody() != null) {
          block(i.elseBody());
        }
      }
      case Stat.NumericFor f -> {
        expr(f.start());
        expr(f.limit());
        if (f.step() != null) {
          expr(f.step());
        }
        open();
        declare(f.var());
        block(f.body());
        close();
      }
      case Stat.GenericFor f -> {
        exprs(f.values());
        open();
        for (Binding b : f.vars()) {
          declare(b);
        }
        block(f.body());
        close();
      }
      case Stat.Function f -> {
        expr(f.target());
        function(f.body());
      }
      case Stat.LocalFunction f -> {
        declare(f.name());
        function(f.body());
      }
      case Stat.Return r -> exprs(r.values());
      default -> {
        // break, continue, type declarations: nothing to resolve
      }
    }
  }

  private void exprs(List<Expr> es) {
    for (Expr e : es) {
      expr(e);
    }
  }

  private void expr(Expr e) {
    switch (e) {
      case Expr.Name n -> reference(n.name());
      case Expr.Index i -> {
        expr(i.object());
        expr(i.key());
      }
      case Expr.Field f -> expr(f.object());
      case Expr.Call c -> {
        expr(c.function());
        exprs(c.args());
      }
      case Expr.MethodCall m -> {
        expr(m.object());
        exprs(m.args());
      }
      case Expr.Instantiate i -> expr(i.target());
      case Expr.Function f -> function(f.body());
      case Expr.Table t -> {
        for (TableField f : t.fields()) {
          if (f instanceof TableField.Keyed k) {
            expr(k.key());
          }
          expr(f.value());
        }
      }
      case Expr.Unary u -> expr(u.operand());
      case Expr.Binary b -> {
        expr(b.left());
        expr(b.right());
      }
      case Expr.Paren p -> expr(p.inner());
      case Expr.IfElse i -> {
        expr(i.condition());
        expr(i.then());
        expr(i.otherwise());
      }
      case Expr.Interp i -> exprs(i.exprs());
      case Expr.TypeCast t -> expr(t.expr());
      default -> {
        // literals and varargs reference nothing
      }
    }
  }
}
