package io.templateworker.luau.jit;

import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Expr;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the locals of one function that always hold a number, so compiled code keeps them in JVM
 * {@code double} locals instead of boxed values in the frame. A local qualifies when it is not a parameter,
 * not captured by a closure, and every write to it stores a number for certain: a numeric constant, a
 * numeric {@code for} variable, or arithmetic whose operands are such numbers (arithmetic on two numbers never
 * reaches a metamethod). Solved as a greatest fixpoint: assume every local qualifies, drop those with a write
 * that may not be a number, repeat until nothing changes.
 */
final class NumberSlots {
  private NumberSlots() {
  }

  /** One write to a slot: {@code value} is the stored expression, or null for "certainly a number". */
  private record Write(int slot, Expr value, boolean never) {
  }

  /** For each frame slot of {@code p}, whether it always holds a number. */
  static boolean[] infer(Proto p) {
    boolean[] num = new boolean[p.frameSize];
    boolean[] written = new boolean[p.frameSize];
    List<Write> writes = new ArrayList<>();
    Nodes.walk(p.body(), n -> collect(n, writes));
    Arrays.fill(num, true);
    for (int i = 0; i < p.numParams && i < num.length; i++) {
      num[i] = false;
    }
    for (Write w : writes) {
      written[w.slot] = true;
      if (w.never) {
        num[w.slot] = false;
      }
    }
    for (int i = 0; i < num.length; i++) {
      num[i] &= written[i];
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Write w : writes) {
        if (num[w.slot] && w.value != null && !isNumber(w.value, num)) {
          num[w.slot] = false;
          changed = true;
        }
      }
    }
    return num;
  }

  private static void collect(Object n, List<Write> out) {
    switch (n) {
      case Stats.SetLocal s -> out.add(new Write(s.slot, s.e, false));
      case Stats.NewCell s -> out.add(new Write(s.slot, null, true));
      case Stats.SetCell s -> out.add(new Write(s.slot, null, true));
      case Exprs.CellGet g -> out.add(new Write(g.slot, null, true));
      case Stats.LocalMulti s -> {
        boolean oneEach = s.values.length == s.slots.length;
        for (int i = 0; i < s.slots.length; i++) {
          out.add(new Write(s.slots[i], oneEach ? s.values[i] : null, s.cells[i] || !oneEach));
        }
      }
      case Stats.NumericFor s -> out.add(new Write(s.slot, null, s.cell));
      case Stats.GenericFor s -> {
        for (int slot : s.slots) {
          out.add(new Write(slot, null, true));
        }
      }
      case Stats.MultiAssign s -> {
        boolean oneEach = s.values.length == s.targets.length;
        for (int i = 0; i < s.targets.length; i++) {
          if (s.targets[i] instanceof Stats.LocalTarget t) {
            out.add(new Write(t.slot, oneEach ? s.values[i] : null, t.cell || !oneEach));
          }
        }
      }
      case Stats.CompoundAssign s -> {
        if (s.target instanceof Stats.LocalTarget t) {
          // x op= v stores a number when x and v are numbers: modelled as the write "x = v" (x is the slot)
          out.add(new Write(t.slot, s.value, t.cell || s.op < 0));
        }
      }
      default -> {
      }
    }
  }

  /** Whether {@code e} certainly evaluates to a number (a boxed double), given the numeric slots. */
  static boolean isNumber(Expr e, boolean[] num) {
    return switch (e) {
      case Exprs.Const c -> c.value instanceof Double;
      case Exprs.LocalGet g -> num[g.slot];
      case Exprs.Add a -> isNumber(a.a, num) && isNumber(a.b, num);
      case Exprs.Sub a -> isNumber(a.a, num) && isNumber(a.b, num);
      case Exprs.Mul a -> isNumber(a.a, num) && isNumber(a.b, num);
      case Exprs.Div a -> isNumber(a.a, num) && isNumber(a.b, num);
      case Exprs.Arith a -> a.op <= Ops.IDIV && isNumber(a.a, num) && isNumber(a.b, num);
      case Exprs.AddConst a -> isNumber(a.a, num);
      case Exprs.Unm u -> isNumber(u.a, num);
      default -> false;
    };
  }
}
