package io.templateworker.luau.jit;

import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stat;
import io.templateworker.luau.vm.node.Stats;
import java.util.function.Consumer;

/** Walks the interpreter's node tree of one function (nested functions are not entered). */
final class Nodes {
  private Nodes() {
  }

  /** Calls {@code visit} on {@code node} and every statement and expression below it, parents first. */
  static void walk(Object node, Consumer<Object> visit) {
    if (node == null) {
      return;
    }
    visit.accept(node);
    switch (node) {
      case Stats.Block b -> all(b.body, visit);
      case Stats.ExprStat s -> walk(s.e, visit);
      case Stats.SetLocal s -> walk(s.e, visit);
      case Stats.NewCell s -> walk(s.e, visit);
      case Stats.SetCell s -> walk(s.e, visit);
      case Stats.SetUpval s -> walk(s.e, visit);
      case Stats.SetGlobal s -> walk(s.e, visit);
      case Stats.SetIndex s -> {
        walk(s.object, visit);
        walk(s.key, visit);
        walk(s.e, visit);
      }
      case Stats.MultiAssign s -> {
        for (Stats.Target t : s.targets) {
          if (t instanceof Stats.IndexTarget it) {
            walk(it.object, visit);
            walk(it.key, visit);
          }
        }
        all(s.values, visit);
      }
      case Stats.LocalMulti s -> all(s.values, visit);
      case Stats.CompoundAssign s -> {
        walk(s.read, visit);
        walk(s.objectExpr, visit);
        walk(s.keyExpr, visit);
        walk(s.value, visit);
      }
      case Stats.Return s -> all(s.values, visit);
      case Stats.TailCall s -> walk(s.call, visit);
      case Stats.If s -> {
        all(s.conds, visit);
        all(s.bodies, visit);
        walk(s.otherwise, visit);
      }
      case Stats.IfThen s -> {
        walk(s.cond, visit);
        walk(s.body, visit);
      }
      case Stats.While s -> {
        walk(s.cond, visit);
        walk(s.body, visit);
      }
      case Stats.Repeat s -> {
        walk(s.body, visit);
        walk(s.cond, visit);
      }
      case Stats.NumericFor s -> {
        walk(s.start, visit);
        walk(s.limit, visit);
        walk(s.step, visit);
        walk(s.body, visit);
      }
      case Stats.GenericFor s -> {
        all(s.values, visit);
        walk(s.body, visit);
      }
      case Exprs.Single e -> walk(e.inner, visit);
      case Exprs.IndexStr e -> walk(e.object, visit);
      case Exprs.Index e -> {
        walk(e.object, visit);
        walk(e.key, visit);
      }
      case Exprs.Call e -> {
        walk(e.fn, visit);
        all(e.args, visit);
      }
      case Exprs.MethodCall e -> {
        walk(e.object, visit);
        all(e.args, visit);
      }
      case Exprs.Table e -> {
        for (int i = 0; i < e.keys.length; i++) {
          walk(e.keys[i], visit);
          walk(e.values[i], visit);
        }
        all(e.positional, visit);
      }
      case Exprs.And e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Or e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Not e -> walk(e.a, visit);
      case Exprs.IfElse e -> {
        walk(e.cond, visit);
        walk(e.then, visit);
        walk(e.otherwise, visit);
      }
      case Exprs.Arith e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Add e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Sub e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Mul e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Div e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.AddConst e -> walk(e.a, visit);
      case Exprs.Unm e -> walk(e.a, visit);
      case Exprs.Len e -> walk(e.a, visit);
      case Exprs.Concat e -> all(e.parts, visit);
      case Exprs.Interp e -> all(e.exprs, visit);
      case Exprs.Eq e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      case Exprs.Lt e -> {
        walk(e.a, visit);
        walk(e.b, visit);
      }
      default -> {
        // leaves: constants, variable reads, varargs, function constructors, break/continue
      }
    }
  }

  private static void all(Object[] nodes, Consumer<Object> visit) {
    for (Object n : nodes) {
      walk(n, visit);
    }
  }

  /** Whether the function body contains a loop (such functions are compiled on their first call). */
  static boolean hasLoop(Stat body) {
    boolean[] found = {false};
    walk(body, n -> found[0] |= n instanceof Stats.While || n instanceof Stats.Repeat
        || n instanceof Stats.NumericFor || n instanceof Stats.GenericFor);
    return found[0];
  }

  static int count(Stat body) {
    int[] n = {0};
    walk(body, x -> n[0]++);
    return n[0];
  }
}
