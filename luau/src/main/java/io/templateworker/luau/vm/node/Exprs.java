package io.templateworker.luau.vm.node;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Cell;
import io.templateworker.luau.vm.Frame;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import java.util.Arrays;

/** Expression nodes. Number fast paths come first; everything else goes through {@link Ops}. */
public final class Exprs {
  private Exprs() {
  }

  static final Object[] NONE = LuauFunction.NONE;

  /**
   * The frame slot a plain local read uses, or -1. Binary nodes read such operands straight from the slots
   * array: a predictable branch instead of a megamorphic virtual call on the hottest operand kind.
   */
  static int slotOf(Expr e) {
    return e instanceof LocalGet g ? g.slot : -1;
  }

  /**
   * The value of a constant operand, or null (also for a nil constant, which then takes the general path).
   * Like {@link #slotOf}: a field read instead of a megamorphic call for literals such as {@code 2 * x}.
   */
  static Object constOf(Expr e) {
    return e instanceof Const c ? c.value : null;
  }

  // ---- constants and variables -------------------------------------------------------------------

  public static final class Const extends Expr {
    public final Object value;

    public Const(Object value) {
      this.value = value;
    }

    @Override
    public Object eval(Frame f) {
      return value;
    }

    public Object value() {
      return value;
    }
  }

  public static final class LocalGet extends Expr {
    public final int slot;

    public LocalGet(int slot) {
      this.slot = slot;
    }

    @Override
    public Object eval(Frame f) {
      return f.slots[slot];
    }
  }

  public static final class CellGet extends Expr {
    public final int slot;

    public CellGet(int slot) {
      this.slot = slot;
    }

    @Override
    public Object eval(Frame f) {
      return ((Cell) f.slots[slot]).v;
    }
  }

  public static final class UpvalGet extends Expr {
    public final int index;

    public UpvalGet(int index) {
      this.index = index;
    }

    @Override
    public Object eval(Frame f) {
      return f.closure.upvals[index].v;
    }
  }

  public static final class GlobalGet extends Expr {
    public final LuauString name;

    public GlobalGet(LuauString name) {
      this.name = name;
    }

    @Override
    public Object eval(Frame f) {
      LuauTable env = f.closure.env;
      Object v = env.rawgetStr(name);
      if (v != null || env.getMetatable() == null) {
        return v;
      }
      return Ops.indexStr(f.L, env, name);
    }
  }

  public static final class Vararg extends Expr {
    @Override
    public Object eval(Frame f) {
      Object[] va = f.varargs;
      return va.length > 0 ? va[0] : null;
    }

    @Override
    public Object[] evalMulti(Frame f) {
      return f.varargs;
    }

    @Override
    public boolean isMulti() {
      return true;
    }
  }

  /** Truncates a multi-value expression to its first value: {@code (f())}. */
  public static final class Single extends Expr {
    public final Expr inner;

    public Single(Expr inner) {
      this.inner = inner;
    }

    @Override
    public Object eval(Frame f) {
      return inner.eval(f);
    }
  }

  // ---- indexing -----------------------------------------------------------------------------------

  public static final class IndexStr extends Expr {
    public final Expr object;
    public final LuauString key;
    public final int os;

    public IndexStr(Expr object, LuauString key) {
      this.object = object;
      this.key = key;
      this.os = slotOf(object);
    }

    @Override
    public Object eval(Frame f) {
      Object o = os >= 0 ? f.slots[os] : object.eval(f);
      if (o instanceof LuauTable t) {
        Object v = t.rawgetStr(key);
        if (v != null || t.getMetatable() == null) {
          return v;
        }
      }
      return Ops.indexStr(f.L, o, key);
    }
  }

  public static final class Index extends Expr {
    public final Expr object;
    public final Expr key;
    public final int os;
    public final int ks;

    public Index(Expr object, Expr key) {
      this.object = object;
      this.key = key;
      this.os = slotOf(object);
      this.ks = slotOf(key);
    }

    @Override
    public Object eval(Frame f) {
      Object o = os >= 0 ? f.slots[os] : object.eval(f);
      Object k = ks >= 0 ? f.slots[ks] : key.eval(f);
      if (o instanceof LuauTable t) {
        Object v = t.rawget(k);
        if (v != null || t.getMetatable() == null) {
          return v;
        }
      }
      return Ops.index(f.L, o, k);
    }
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** Evaluates an argument list; a trailing call or {@code ...} expands to all its values. */
  public static Object[] evalArgs(Frame f, Expr[] args, boolean lastMulti) {
    int n = args.length;
    if (!lastMulti) {
      if (n == 0) {
        return NONE;
      }
      Object[] out = new Object[n];
      for (int i = 0; i < n; i++) {
        out[i] = args[i].eval(f);
      }
      return out;
    }
    Object[] head = new Object[n - 1];
    for (int i = 0; i < n - 1; i++) {
      head[i] = args[i].eval(f);
    }
    Object[] tail = args[n - 1].evalMulti(f);
    if (n == 1) {
      return tail;
    }
    Object[] out = Arrays.copyOf(head, n - 1 + tail.length);
    System.arraycopy(tail, 0, out, n - 1, tail.length);
    return out;
  }

  /**
   * A builtin called with {@code n} (1..3) evaluated arguments whose first result only is used: no argument or
   * result array when the builtin implements {@link io.templateworker.luau.value.HostFunction#call1} and kin.
   */
  static Object callHost1(Frame f, int line, LuauFunction.Host h, int n, Object x, Object y, Object z) {
    f.line = line;
    f.hostCallee = h;
    Object r = switch (n) {
      case 1 -> h.body().call1(f.L, x);
      case 2 -> h.body().call2(f.L, x, y);
      default -> h.body().call3(f.L, x, y, z);
    };
    f.hostCallee = null;
    return r;
  }

  public static final class Call extends Expr {
    public final Expr fn;
    public final Expr[] args;
    public final boolean lastMulti;
    public final int line;

    public Call(Expr fn, Expr[] args, int line) {
      this.fn = fn;
      this.args = args;
      this.lastMulti = args.length > 0 && args[args.length - 1].isMulti();
      this.line = line;
    }

    /** The callee's slots with the arguments in place, for a fixed-arity closure called without expansion. */
    private Object[] directSlots(Frame f, Proto p) {
      Object[] slots = new Object[p.frameSize];
      Expr[] a = args;
      int np = p.numParams;
      for (int i = 0; i < a.length; i++) {
        Object v = a[i].eval(f);
        if (i < np) {
          slots[i] = v;
        }
      }
      f.line = line;
      return slots;
    }

    @Override
    public Object eval(Frame f) {
      Object callee = fn.eval(f);
      if (callee instanceof LuauClosure c && !lastMulti && !c.proto.isVararg) {
        return c.execute1(f.L, directSlots(f, c.proto), NONE);
      }
      if (callee instanceof LuauFunction.Host h && !lastMulti && args.length >= 1 && args.length <= 3) {
        Expr[] a = args;
        Object x = a[0].eval(f);
        Object y = a.length > 1 ? a[1].eval(f) : null;
        Object z = a.length > 2 ? a[2].eval(f) : null;
        return callHost1(f, line, h, a.length, x, y, z);
      }
      Object[] r = callGeneric(f, callee);
      return r.length > 0 ? r[0] : null;
    }

    @Override
    public Object[] evalMulti(Frame f) {
      Object callee = fn.eval(f);
      if (callee instanceof LuauClosure c && !lastMulti && !c.proto.isVararg) {
        // fast path: arguments go straight into the callee's slots, no argument array
        return c.execute(f.L, directSlots(f, c.proto), NONE);
      }
      return callGeneric(f, callee);
    }

    private Object[] callGeneric(Frame f, Object callee) {
      Object[] a = evalArgs(f, args, lastMulti);
      f.line = line;
      if (callee instanceof LuauFunction lf) {
        f.hostCallee = lf;
        Object[] r = lf.call(f.L, a);
        f.hostCallee = null;
        return r;
      }
      return Ops.call(f.L, callee, a);
    }

    /** Evaluates the callee and arguments without calling (for tail calls). */
    public void prepareTail(Frame f) {
      Object callee = fn.eval(f);
      Object[] a = evalArgs(f, args, lastMulti);
      f.line = line;
      f.tailFn = callee;
      f.tailArgs = a;
    }

    @Override
    public boolean isMulti() {
      return true;
    }
  }

  public static final class MethodCall extends Expr {
    public final Expr object;
    public final LuauString name;
    public final Expr[] args;
    public final boolean lastMulti;
    public final int line;

    public MethodCall(Expr object, LuauString name, Expr[] args, int line) {
      this.object = object;
      this.name = name;
      this.args = args;
      this.lastMulti = args.length > 0 && args[args.length - 1].isMulti();
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object self = object.eval(f);
      Object callee = method(f, self);
      if (callee instanceof LuauClosure c && !lastMulti && !c.proto.isVararg) {
        return c.execute1(f.L, directSlots(f, c.proto, self), NONE);
      }
      if (callee instanceof LuauFunction.Host h && !lastMulti && args.length <= 2) {
        Expr[] a = args;
        Object y = a.length > 0 ? a[0].eval(f) : null;
        Object z = a.length > 1 ? a[1].eval(f) : null;
        return callHost1(f, line, h, a.length + 1, self, y, z);
      }
      Object[] r = callGeneric(f, self, callee);
      return r.length > 0 ? r[0] : null;
    }

    /** The callee's slots with self and the arguments in place (fixed-arity closure, no expansion). */
    private Object[] directSlots(Frame f, Proto p, Object self) {
      Object[] slots = new Object[p.frameSize];
      int np = p.numParams;
      if (np > 0) {
        slots[0] = self;
      }
      Expr[] a = args;
      for (int i = 0; i < a.length; i++) {
        Object v = a[i].eval(f);
        if (i + 1 < np) {
          slots[i + 1] = v;
        }
      }
      f.line = line;
      return slots;
    }

    private Object method(Frame f, Object self) {
      if (self instanceof LuauTable t) {
        Object m = t.rawgetStr(name);
        if (m != null || t.getMetatable() == null) {
          return m;
        }
      }
      f.line = line;
      return Ops.indexStr(f.L, self, name);
    }

    @Override
    public Object[] evalMulti(Frame f) {
      Object self = object.eval(f);
      Object callee = method(f, self);
      if (callee instanceof LuauClosure c && !lastMulti && !c.proto.isVararg) {
        return c.execute(f.L, directSlots(f, c.proto, self), NONE);
      }
      return callGeneric(f, self, callee);
    }

    private Object[] callGeneric(Frame f, Object self, Object callee) {
      Object[] a = withSelf(self, evalArgs(f, args, lastMulti));
      f.line = line;
      if (callee instanceof LuauFunction lf) {
        f.hostCallee = lf;
        Object[] r = lf.call(f.L, a);
        f.hostCallee = null;
        return r;
      }
      if (callee == null) {
        throw Errors.missingMethod(name, self);
      }
      return Ops.call(f.L, callee, a);
    }

    public void prepareTail(Frame f) {
      Object self = object.eval(f);
      Object callee = method(f, self);
      Object[] a = withSelf(self, evalArgs(f, args, lastMulti));
      f.line = line;
      if (callee == null) {
        throw Errors.missingMethod(name, self);
      }
      f.tailFn = callee;
      f.tailArgs = a;
    }

    private static Object[] withSelf(Object self, Object[] rest) {
      Object[] a = new Object[rest.length + 1];
      a[0] = self;
      System.arraycopy(rest, 0, a, 1, rest.length);
      return a;
    }

    @Override
    public boolean isMulti() {
      return true;
    }
  }

  // ---- functions and tables -----------------------------------------------------------------------

  /** Creates a closure, capturing cells from the enclosing frame or its upvalues. */
  public static final class Function extends Expr {
    public final Proto proto;

    public Function(Proto proto) {
      this.proto = proto;
    }

    @Override
    public Object eval(Frame f) {
      return create(f, proto);
    }

    /** A new closure of {@code p} inside frame {@code f} (also called by compiled code). */
    public static LuauClosure create(Frame f, Proto p) {
      int n = p.upvalFromParentSlot.length;
      Cell[] cells = n == 0 ? LuauClosure.NO_UPVALUES : new Cell[n];
      for (int i = 0; i < n; i++) {
        int slot = p.upvalFromParentSlot[i];
        cells[i] = slot >= 0 ? (Cell) f.slots[slot] : f.closure.upvals[p.upvalFromParentUpval[i]];
      }
      f.L.allocate(32 + 4L * n); // memory accounting: the closure and its upvalue array
      return new LuauClosure(p, cells, f.closure.env);
    }
  }

  /** Estimated size of an empty table (object header and fields), charged to the VM's memory budget. */
  public static final long TABLE_BYTES = 56;

  public static final class Table extends Expr {
    public final Expr[] positional;
    public final Expr[] keys;   // keyed and named entries, in source order with values
    public final Expr[] values;
    public final boolean lastMulti;
    public final int line;

    public Table(Expr[] positional, Expr[] keys, Expr[] values, int line) {
      this.positional = positional;
      this.keys = keys;
      this.values = values;
      this.lastMulti = positional.length > 0 && positional[positional.length - 1].isMulti();
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      f.L.allocate(TABLE_BYTES + 8L * (positional.length + 2 * keys.length)); // memory accounting
      LuauTable t = new LuauTable(positional.length, keys.length);
      for (int i = 0; i < keys.length; i++) {
        Object k = keys[i].eval(f);
        Object v = values[i].eval(f);
        if (k == null) {
          f.line = line;
          throw LuauError.runtime("table index is nil");
        }
        t.rawset(k, v);
      }
      int n = positional.length;
      int last = lastMulti ? n - 1 : n;
      for (int i = 0; i < last; i++) {
        t.rawset(i + 1, positional[i].eval(f));
      }
      if (lastMulti) {
        Object[] rest = positional[n - 1].evalMulti(f);
        t.ensureArray(n - 1 + rest.length);
        for (int i = 0; i < rest.length; i++) {
          t.rawset(n + i, rest[i]);
        }
      }
      return t;
    }
  }

  // ---- logic --------------------------------------------------------------------------------------

  public static final class And extends Expr {
    public final Expr a;
    public final Expr b;

    public And(Expr a, Expr b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Object eval(Frame f) {
      Object x = a.eval(f);
      return (x == null || x == Boolean.FALSE) ? x : b.eval(f);
    }

    @Override
    public boolean test(Frame f) {
      return a.test(f) && b.test(f);
    }
  }

  public static final class Or extends Expr {
    public final Expr a;
    public final Expr b;

    public Or(Expr a, Expr b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Object eval(Frame f) {
      Object x = a.eval(f);
      return (x == null || x == Boolean.FALSE) ? b.eval(f) : x;
    }

    @Override
    public boolean test(Frame f) {
      return a.test(f) || b.test(f);
    }
  }

  public static final class Not extends Expr {
    public final Expr a;

    public Not(Expr a) {
      this.a = a;
    }

    @Override
    public Object eval(Frame f) {
      return a.test(f) ? Boolean.FALSE : Boolean.TRUE;
    }

    @Override
    public boolean test(Frame f) {
      return !a.test(f);
    }
  }

  public static final class IfElse extends Expr {
    public final Expr cond;
    public final Expr then;
    public final Expr otherwise;

    public IfElse(Expr cond, Expr then, Expr otherwise) {
      this.cond = cond;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    public Object eval(Frame f) {
      return cond.test(f) ? then.eval(f) : otherwise.eval(f);
    }
  }

  // ---- arithmetic ---------------------------------------------------------------------------------

  /** Any arithmetic operator; the operator constant selects the number path. */
  public static final class Arith extends Expr {
    public final int op;
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final int line;

    public Arith(int op, Expr a, Expr b, int line) {
      this.op = op;
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (x instanceof Double dx && y instanceof Double dy) {
        return Ops.arithNum(op, dx, dy);
      }
      f.line = line;
      return Ops.arith(f.L, op, x, y);
    }
  }

  public static final class Add extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final int line;

    public Add(Expr a, Expr b, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (x instanceof Double dx && y instanceof Double dy) {
        return dx + dy;
      }
      f.line = line;
      return Ops.arith(f.L, Ops.ADD, x, y);
    }
  }

  public static final class Sub extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final int line;

    public Sub(Expr a, Expr b, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (x instanceof Double dx && y instanceof Double dy) {
        return dx - dy;
      }
      f.line = line;
      return Ops.arith(f.L, Ops.SUB, x, y);
    }
  }

  public static final class Mul extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final int line;

    public Mul(Expr a, Expr b, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (x instanceof Double dx && y instanceof Double dy) {
        return dx * dy;
      }
      f.line = line;
      return Ops.arith(f.L, Ops.MUL, x, y);
    }
  }
  public static final class Div extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final int line;

    public Div(Expr a, Expr b, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (x instanceof Double dx && y instanceof Double dy) {
        return dx / dy;
      }
      f.line = line;
      return Ops.arith(f.L, Ops.DIV, x, y);
    }
  }

  /** {@code x + k} / {@code x - k} with a numeric constant (k negated for subtraction). */
  public static final class AddConst extends Expr {
    public final Expr a;
    public final int as;
    public final double k;
    public final int op;
    public final Object boxedK;
    public final int line;

    public AddConst(Expr a, double k, int op, int line) {
      this.a = a;
      this.as = slotOf(a);
      this.k = op == Ops.SUB ? -k : k;
      this.op = op;
      this.boxedK = k;
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = as >= 0 ? f.slots[as] : a.eval(f);
      if (x instanceof Double dx) {
        return dx + k;
      }
      f.line = line;
      return Ops.arith(f.L, op, x, boxedK);
    }
  }

  public static final class Unm extends Expr {
    public final Expr a;
    public final int line;

    public Unm(Expr a, int line) {
      this.a = a;
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = a.eval(f);
      if (x instanceof Double d) {
        return -d;
      }
      f.line = line;
      return Ops.unm(f.L, x);
    }
  }

  public static final class Len extends Expr {
    public final Expr a;
    public final int line;

    public Len(Expr a, int line) {
      this.a = a;
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      Object x = a.eval(f);
      if (x instanceof LuauTable t && t.getMetatable() == null) {
        return (double) t.length();
      }
      f.line = line;
      return Ops.len(f.L, x);
    }
  }

  /** {@code a .. b .. c}: all operands at once when they are strings/numbers, else pairwise from the right. */
  public static final class Concat extends Expr {
    public final Expr[] parts;
    public final int line;

    public Concat(Expr[] parts, int line) {
      this.parts = parts;
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      int n = parts.length;
      Object[] v = new Object[n];
      for (int i = 0; i < n; i++) {
        v[i] = parts[i].eval(f);
      }
      return join(f, line, v);
    }

    /** Concatenates evaluated operands (also called by compiled code); {@code v} may be overwritten. */
    public static Object join(Frame f, int line, Object[] v) {
      int n = v.length;
      boolean plain = true;
      for (int i = 0; i < n && plain; i++) {
        plain = v[i] instanceof LuauString || v[i] instanceof Double; // an integer does not concatenate (Luau 0.735)
      }
      f.line = line;
      if (plain) {
        long total = 0;
        for (int i = 0; i < n; i++) {
          if (v[i] instanceof Double) {
            v[i] = Values.toLuauString(v[i]);
          }
          total += ((LuauString) v[i]).length();
        }
        LuauString.checkLength(total);
        f.L.allocate(24L + total); // every string counts, or many small ones would escape the cap
        byte[] out = new byte[(int) total];
        int pos = 0;
        for (int i = 0; i < n; i++) {
          byte[] b = ((LuauString) v[i]).bytes();
          System.arraycopy(b, 0, out, pos, b.length);
          pos += b.length;
        }
        return LuauString.wrap(out);
      }
      // pairwise from the right with the operands as they are: __concat and the error see numbers, not strings
      Object acc = v[n - 1];
      for (int i = n - 2; i >= 0; i--) {
        acc = Ops.concat(f.L, v[i], acc);
      }
      return acc;
    }
  }

  /** An interpolated string: literal parts around tostring() of each expression. */
  public static final class Interp extends Expr {
    public final byte[][] parts;
    public final Expr[] exprs;
    public final int line;

    public Interp(byte[][] parts, Expr[] exprs, int line) {
      this.parts = parts;
      this.exprs = exprs;
      this.line = line;
    }

    @Override
    public Object eval(Frame f) {
      LuauString[] values = new LuauString[exprs.length];
      for (int i = 0; i < exprs.length; i++) {
        Object v = exprs[i].eval(f);
        f.line = line;
        values[i] = Ops.tostring(f.L, v);
      }
      return join(parts, values);
    }

    /** The literal parts around the converted values (also called by compiled code). */
    public static LuauString join(byte[][] parts, LuauString[] values) {
      long total = parts[0].length;
      for (int i = 0; i < values.length; i++) {
        total += values[i].length() + parts[i + 1].length;
      }
      if (total > LuauString.MAX_LENGTH) {
        throw io.templateworker.luau.errors.Errors.blockTooBig(); // Luau builds it with string.format
      }
      byte[] out = new byte[(int) total];
      System.arraycopy(parts[0], 0, out, 0, parts[0].length);
      int pos = parts[0].length;
      for (int i = 0; i < values.length; i++) {
        byte[] v = values[i].bytes();
        System.arraycopy(v, 0, out, pos, v.length);
        pos += v.length;
        byte[] p = parts[i + 1];
        System.arraycopy(p, 0, out, pos, p.length);
        pos += p.length;
      }
      return LuauString.wrap(out);
    }
  }

  // ---- comparison ---------------------------------------------------------------------------------

  public static final class Eq extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final boolean negate;
    public final int line;

    public Eq(Expr a, Expr b, boolean negate, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.negate = negate;
      this.line = line;
    }

    @Override
    public boolean test(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      boolean r;
      if (x instanceof Double dx) { // before the identity check: a NaN is unequal even to itself
        r = y instanceof Double dy && dx.doubleValue() == dy.doubleValue();
      } else if (x == y) {
        r = true;
      } else if (x instanceof LuauString) {
        r = x.equals(y);
      } else {
        f.line = line;
        r = Ops.equals(f.L, x, y);
      }
      return r != negate;
    }

    @Override
    public Object eval(Frame f) {
      return test(f) ? Boolean.TRUE : Boolean.FALSE;
    }
  }

  /** {@code a < b} (and {@code b > a}); {@code orEqual} for {@code <=} / {@code >=}. */
  public static final class Lt extends Expr {
    public final Expr a;
    public final Expr b;
    public final int as;
    public final int bs;
    public final Object ak;
    public final Object bk;
    public final boolean orEqual;
    public final boolean swapped;
    public final int line;

    /** When {@code swapped}, the source was {@code a > b}: evaluate a then b, compare b < a. */
    public Lt(Expr a, Expr b, boolean orEqual, boolean swapped, int line) {
      this.a = a;
      this.b = b;
      this.as = slotOf(a);
      this.bs = slotOf(b);
      this.ak = constOf(a);
      this.bk = constOf(b);
      this.orEqual = orEqual;
      this.swapped = swapped;
      this.line = line;
    }

    @Override
    public boolean test(Frame f) {
      Object x = as >= 0 ? f.slots[as] : ak != null ? ak : a.eval(f);
      Object y = bs >= 0 ? f.slots[bs] : bk != null ? bk : b.eval(f);
      if (swapped) {
        Object t = x;
        x = y;
        y = t;
      }
      if (x instanceof Double dx && y instanceof Double dy) {
        return orEqual ? dx <= dy : dx < dy;
      }
      f.line = line;
      return orEqual ? Ops.lessEqual(f.L, x, y) : Ops.lessThan(f.L, x, y);
    }

    @Override
    public Object eval(Frame f) {
      return test(f) ? Boolean.TRUE : Boolean.FALSE;
    }
  }
}
