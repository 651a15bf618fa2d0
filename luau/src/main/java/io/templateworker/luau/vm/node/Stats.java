package io.templateworker.luau.vm.node;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Cell;
import io.templateworker.luau.vm.Frame;
import io.templateworker.luau.vm.ForIn;
import io.templateworker.luau.vm.Ops;

/** Statement nodes. Each records its line in the frame first, for error positions and tracebacks. */
public final class Stats {
  private Stats() {
  }

  /** Evaluates {@code values} adjusted to exactly {@code n} results (missing ones nil, extra dropped). */
  static Object[] adjust(Frame f, Expr[] values, int n) {
    Object[] out = new Object[n];
    int m = values.length;
    for (int i = 0; i < m; i++) {
      Expr e = values[i];
      if (i == m - 1 && e.isMulti()) {
        Object[] r = e.evalMulti(f);
        if (i < n) { // past the targets the call still runs, its values are dropped
          System.arraycopy(r, 0, out, i, Math.min(r.length, n - i));
        }
      } else if (i < n) {
        out[i] = e.eval(f);
      } else {
        e.eval(f); // evaluated for side effects, value dropped
      }
    }
    return out;
  }

  public static final class Block extends Stat {
    public final Stat[] body;

    public Block(Stat[] body) {
      this.body = body;
    }

    @Override
    public int exec(Frame f) {
      Stat[] b = body;
      for (int i = 0; i < b.length; i++) {
        int c = b[i].exec(f);
        if (c != NORMAL) {
          return c;
        }
      }
      return NORMAL;
    }
  }

  /** An expression evaluated for its effects (a call statement). */
  public static final class ExprStat extends Stat {
    public final Expr e;
    public final int line;

    public ExprStat(Expr e, int line) {
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      e.eval(f); // a call statement: its results are dropped, so the one-result call paths serve
      return NORMAL;
    }
  }

  // ---- assignments --------------------------------------------------------------------------------

  public static final class SetLocal extends Stat {
    public final int slot;
    public final Expr e;
    public final int line;

    public SetLocal(int slot, Expr e, int line) {
      this.slot = slot;
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      f.slots[slot] = e.eval(f);
      return NORMAL;
    }
  }

  /** Declares a captured local: a fresh cell each time (each loop iteration gets its own variable). */
  public static final class NewCell extends Stat {
    public final int slot;
    public final Expr e;
    public final int line;

    public NewCell(int slot, Expr e, int line) {
      this.slot = slot;
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      f.slots[slot] = new Cell(e == null ? null : e.eval(f));
      return NORMAL;
    }
  }

  public static final class SetCell extends Stat {
    public final int slot;
    public final Expr e;
    public final int line;

    public SetCell(int slot, Expr e, int line) {
      this.slot = slot;
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      ((Cell) f.slots[slot]).v = e.eval(f);
      return NORMAL;
    }
  }

  public static final class SetUpval extends Stat {
    public final int index;
    public final Expr e;
    public final int line;

    public SetUpval(int index, Expr e, int line) {
      this.index = index;
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      f.closure.upvals[index].v = e.eval(f);
      return NORMAL;
    }
  }

  public static final class SetGlobal extends Stat {
    public final LuauString name;
    public final Expr e;
    public final int line;

    public SetGlobal(LuauString name, Expr e, int line) {
      this.name = name;
      this.e = e;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Object v = e.eval(f);
      f.line = line;
      Ops.setIndex(f.L, f.closure.env, name, v);
      return NORMAL;
    }
  }

  public static final class SetIndex extends Stat {
    public final Expr object;
    public final Expr key;
    public final Expr e;
    public final int line;

    // a local object and a constant key (t.x = v) are read without a megamorphic call, as in Exprs
    public final int os;
    public final int ks;
    public final Object kk;

    public SetIndex(Expr object, Expr key, Expr e, int line) {
      this.object = object;
      this.key = key;
      this.e = e;
      this.line = line;
      this.os = Exprs.slotOf(object);
      this.ks = Exprs.slotOf(key);
      this.kk = Exprs.constOf(key);
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Object o = os >= 0 ? f.slots[os] : object.eval(f);
      Object k = ks >= 0 ? f.slots[ks] : kk != null ? kk : key.eval(f);
      Object v = e.eval(f);
      f.line = line;
      if (o instanceof LuauTable t && t.getMetatable() == null) {
        if (kk instanceof LuauString name) {
          t.rawsetStr(name, v);
        } else {
          t.rawset(k, v);
        }
      } else {
        Ops.setIndex(f.L, o, k, v);
      }
      return NORMAL;
    }
  }

  /** Where a multiple assignment stores one value. */
  public abstract static class Target {
    /** Evaluates the target's object (before any value is evaluated). */
    public Object object(Frame f) {
      return null;
    }

    public Object key(Frame f) {
      return null;
    }

    public abstract void store(Frame f, Object obj, Object key, Object v);
  }

  public static final class LocalTarget extends Target {
    public final int slot;
    public final boolean cell;

    public LocalTarget(int slot, boolean cell) {
      this.slot = slot;
      this.cell = cell;
    }

    @Override
    public void store(Frame f, Object obj, Object key, Object v) {
      if (cell) {
        ((Cell) f.slots[slot]).v = v;
      } else {
        f.slots[slot] = v;
      }
    }
  }

  public static final class UpvalTarget extends Target {
    public final int index;

    public UpvalTarget(int index) {
      this.index = index;
    }

    @Override
    public void store(Frame f, Object obj, Object key, Object v) {
      f.closure.upvals[index].v = v;
    }
  }

  public static final class GlobalTarget extends Target {
    public final LuauString name;

    public GlobalTarget(LuauString name) {
      this.name = name;
    }

    @Override
    public void store(Frame f, Object obj, Object key, Object v) {
      Ops.setIndex(f.L, f.closure.env, name, v);
    }
  }

  public static final class IndexTarget extends Target {
    public final Expr object;
    public final Expr key;

    public IndexTarget(Expr object, Expr key) {
      this.object = object;
      this.key = key;
    }

    @Override
    public Object object(Frame f) {
      return object.eval(f);
    }

    @Override
    public Object key(Frame f) {
      return key.eval(f);
    }

    @Override
    public void store(Frame f, Object obj, Object key, Object v) {
      Ops.setIndex(f.L, obj, key, v);
    }
  }

  public static final class MultiAssign extends Stat {
    public final Target[] targets;
    public final Expr[] values;
    public final int line;

    public MultiAssign(Target[] targets, Expr[] values, int line) {
      this.targets = targets;
      this.values = values;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      int n = targets.length;
      if (n == 2 && values.length == 2) {
        // The swap `a[i], a[j] = a[j], a[i]`: same order as below, without the three arrays.
        Target t0 = targets[0];
        Target t1 = targets[1];
        Object o0 = t0.object(f);
        Object k0 = t0.key(f);
        Object o1 = t1.object(f);
        Object k1 = t1.key(f);
        Object v0 = values[0].eval(f);
        Object v1 = values[1].eval(f);
        f.line = line;
        t0.store(f, o0, k0, v0);
        t1.store(f, o1, k1, v1);
        return NORMAL;
      }
      Object[] objs = new Object[n];
      Object[] keys = new Object[n];
      for (int i = 0; i < n; i++) {
        objs[i] = targets[i].object(f);
        keys[i] = targets[i].key(f);
      }
      Object[] vals = adjust(f, values, n);
      f.line = line;
      for (int i = 0; i < n; i++) {
        targets[i].store(f, objs[i], keys[i], vals[i]);
      }
      return NORMAL;
    }
  }

  /** {@code local a, b, c = explist}. */
  public static final class LocalMulti extends Stat {
    public final int[] slots;
    public final boolean[] cells;
    public final Expr[] values;
    public final int line;

    public LocalMulti(int[] slots, boolean[] cells, Expr[] values, int line) {
      this.slots = slots;
      this.cells = cells;
      this.values = values;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      if (values.length == slots.length) {
        // One value per name: store each as it is computed, no array. Safe because the new locals are not
        // in scope yet and expressions never write slots, so no later value can observe the earlier stores.
        Object[] frameSlots = f.slots;
        for (int i = 0; i < slots.length; i++) {
          Object v = values[i].eval(f);
          frameSlots[slots[i]] = cells[i] ? new Cell(v) : v;
        }
        return NORMAL;
      }
      Object[] vals = adjust(f, values, slots.length);
      for (int i = 0; i < slots.length; i++) {
        f.slots[slots[i]] = cells[i] ? new Cell(vals[i]) : vals[i];
      }
      return NORMAL;
    }
  }

  /** {@code target op= value}: the target's object and key are evaluated once. */
  public static final class CompoundAssign extends Stat {
    public final Target target;
    public final Expr read; // reads the current value given the object/key captured in the frame temps
    public final int op;    // Ops arithmetic constant, or -1 for concatenation
    public final Expr value;
    public final Expr objectExpr;
    public final Expr keyExpr;
    public final int line;

    public CompoundAssign(Target target, Expr read, Expr objectExpr, Expr keyExpr, int op, Expr value, int line) {
      this.target = target;
      this.read = read;
      this.objectExpr = objectExpr;
      this.keyExpr = keyExpr;
      this.op = op;
      this.value = value;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Object obj = null;
      Object key = null;
      Object cur;
      if (objectExpr != null) {
        obj = objectExpr.eval(f);
        key = keyExpr.eval(f);
        cur = Ops.index(f.L, obj, key);
      } else {
        cur = read.eval(f);
      }
      Object rhs = value.eval(f);
      f.line = line;
      Object r;
      if (op < 0) {
        r = Ops.concat(f.L, cur, rhs);
      } else if (cur instanceof Double x && rhs instanceof Double y) {
        r = Ops.arithNum(op, x, y);
      } else {
        r = Ops.arith(f.L, op, cur, rhs);
      }
      target.store(f, obj, key, r);
      return NORMAL;
    }
  }

  // ---- control flow -------------------------------------------------------------------------------

  public static final class Return extends Stat {
    public final Expr[] values;
    public final int line;

    public Return(Expr[] values, int line) {
      this.values = values;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Expr[] v = values;
      if (v.length == 1) {
        Expr e = v[0];
        if (e.isMulti()) {
          f.ret = e.evalMulti(f);
        } else {
          f.ret1 = e.eval(f); // no results array: callers that want one value read ret1 directly
        }
      } else if (v.length == 0) {
        f.ret = LuauFunction.NONE;
      } else {
        f.ret = Exprs.evalArgs(f, v, v[v.length - 1].isMulti());
      }
      return RETURN;
    }
  }

  /**
   * {@code return f(args)}. Shallow calls stay ordinary calls, so tracebacks, error levels and debug.info see
   * every frame as in Luau (which keeps tail-calling frames); past {@link #TRAMPOLINE_DEPTH} the call is handed
   * to the frame's caller loop instead, so long tail-call chains keep the Java stack flat.
   */
  public static final class TailCall extends Stat {
    public static final int TRAMPOLINE_DEPTH = 100;
    public final Expr call;
    public final int line;

    public TailCall(Expr call, int line) {
      this.call = call;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      if (f.L.callDepth() < TRAMPOLINE_DEPTH) {
        f.ret = call.evalMulti(f);
        return RETURN;
      }
      if (call instanceof Exprs.Call c) {
        c.prepareTail(f);
      } else {
        ((Exprs.MethodCall) call).prepareTail(f);
      }
      return RETURN;
    }
  }

  public static final class Break extends Stat {
    @Override
    public int exec(Frame f) {
      return BREAK;
    }
  }

  public static final class Continue extends Stat {
    @Override
    public int exec(Frame f) {
      return CONTINUE;
    }
  }

  public static final class If extends Stat {
    public final Expr[] conds;
    public final Stat[] bodies;
    public final Stat otherwise; // may be null
    public final int line;

    public If(Expr[] conds, Stat[] bodies, Stat otherwise, int line) {
      this.conds = conds;
      this.bodies = bodies;
      this.otherwise = otherwise;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Expr[] c = conds;
      for (int i = 0; i < c.length; i++) {
        if (c[i].test(f)) {
          return bodies[i].exec(f);
        }
      }
      return otherwise == null ? NORMAL : otherwise.exec(f);
    }
  }

  /** {@code if cond then body end}, the most common form: no arrays to walk. */
  public static final class IfThen extends Stat {
    public final Expr cond;
    public final Stat body;
    public final int line;

    public IfThen(Expr cond, Stat body, int line) {
      this.cond = cond;
      this.body = body;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      return cond.test(f) ? body.exec(f) : NORMAL;
    }
  }

  public static final class While extends Stat {
    public final Expr cond;
    public final Stat body;
    public final int line;

    public While(Expr cond, Stat body, int line) {
      this.cond = cond;
      this.body = body;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      while (true) {
        f.line = line;
        if (!cond.test(f)) {
          return NORMAL;
        }
        int c = body.exec(f);
        if (c == BREAK) {
          return NORMAL;
        }
        if (c == RETURN) {
          return c;
        }
        f.L.checkInterrupt();
      }
    }
  }

  public static final class Repeat extends Stat {
    public final Stat body;
    public final Expr cond;
    public final int line;

    public Repeat(Stat body, Expr cond, int line) {
      this.body = body;
      this.cond = cond;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      while (true) {
        int c = body.exec(f);
        if (c == BREAK) {
          return NORMAL;
        }
        if (c == RETURN) {
          return c;
        }
        f.line = line;
        if (cond.test(f)) {
          return NORMAL;
        }
        f.L.checkInterrupt();
      }
    }
  }

  public static final class NumericFor extends Stat {
    public final int slot;
    public final boolean cell;
    public final Expr start;
    public final Expr limit;
    public final Expr step;
    public final Stat body;
    public final int line;

    public NumericFor(int slot, boolean cell, Expr start, Expr limit, Expr step, Stat body, int line) {
      this.slot = slot;
      this.cell = cell;
      this.start = start;
      this.limit = limit;
      this.step = step;
      this.body = body;
      this.line = line;
    }

    public static double forNumber(Object v, String what) {
      if (v instanceof Double d) {
        return d;
      }
      Double d = Values.toNumber(v);
      if (d == null) {
        throw LuauError.runtime("invalid 'for' " + what + " (number expected, got " + Values.typeName(v) + ")");
      }
      return d;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      double i = forNumber(start.eval(f), "initial value");
      double lim = forNumber(limit.eval(f), "limit");
      double st = step == null ? 1 : forNumber(step.eval(f), "step");
      Object[] slots = f.slots;
      if (st > 0) {
        for (; i <= lim; i += st) {
          slots[slot] = cell ? new Cell(i) : (Object) i;
          int c = body.exec(f);
          if (c == BREAK) {
            return NORMAL;
          }
          if (c == RETURN) {
            return c;
          }
          f.L.checkInterrupt();
        }
      } else {
        for (; lim <= i; i += st) {
          slots[slot] = cell ? new Cell(i) : (Object) i;
          int c = body.exec(f);
          if (c == BREAK) {
            return NORMAL;
          }
          if (c == RETURN) {
            return c;
          }
          f.L.checkInterrupt();
        }
      }
      return NORMAL;
    }
  }

  /**
   * {@code for vars in explist}: calls the iterator per step, or walks a table directly for generalized
   * iteration ({@code for k, v in t}), {@code pairs} and {@code ipairs}; honours {@code __iter}.
   */
  public static final class GenericFor extends Stat {
    public final int[] slots;
    public final boolean[] cells;
    public final Expr[] values;
    public final Stat body;
    public final int line;

    public GenericFor(int[] slots, boolean[] cells, Expr[] values, Stat body, int line) {
      this.slots = slots;
      this.cells = cells;
      this.values = values;
      this.body = body;
      this.line = line;
    }

    @Override
    public int exec(Frame f) {
      f.line = line;
      Object[] init = adjust(f, values, 3);
      ForIn it = ForIn.start(f, init[0], init[1], init[2]);
      int n = slots.length;
      while (it.next(f, line)) {
        for (int i = 0; i < n; i++) {
          Object v = it.value(i);
          f.slots[slots[i]] = cells[i] ? new Cell(v) : v;
        }
        int c = body.exec(f);
        if (c == BREAK) {
          return NORMAL;
        }
        if (c == RETURN) {
          return c;
        }
        f.L.checkInterrupt();
      }
      return NORMAL;
    }
  }
}
