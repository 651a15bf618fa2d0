package io.templateworker.luau.jit;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Cell;
import io.templateworker.luau.vm.Frame;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stat;
import java.util.Arrays;

/**
 * What compiled Luau functions call: the operations too large to emit inline. Each mirrors the interpreter's
 * node of the same name exactly (evaluation order, the frame line set before anything that can fail), so a
 * function behaves the same whether it runs interpreted or compiled. Small and static, so HotSpot inlines them.
 */
public final class JitRuntime {
  private JitRuntime() {
  }

  static final Object[] NONE = LuauFunction.NONE;

  public static boolean truthy(Object v) {
    return v != null && v != Boolean.FALSE;
  }

  public static Cell cell(Object v) {
    return new Cell(v);
  }

  // ---- variables and indexing ---------------------------------------------------------------------

  public static void setGlobal(Frame f, int line, LuauString name, Object v) {
    f.line = line;
    Ops.setIndex(f.L, f.closure.env, name, v);
  }

  public static Object indexStr(Frame f, Object o, LuauString key) {
    if (o instanceof LuauTable t) {
      Object v = t.rawgetStr(key);
      if (v != null || t.getMetatable() == null) {
        return v;
      }
    }
    return Ops.indexStr(f.L, o, key);
  }

  public static Object index(Frame f, Object o, Object k) {
    if (o instanceof LuauTable t) {
      Object v = t.rawget(k);
      if (v != null || t.getMetatable() == null) {
        return v;
      }
    }
    return Ops.index(f.L, o, k);
  }

  /** {@code o[k] = v} of an assignment statement. */
  public static void setIndex(Frame f, int line, Object o, Object k, Object v) {
    f.line = line;
    if (o instanceof LuauTable t && t.getMetatable() == null) {
      t.rawset(k, v);
    } else {
      Ops.setIndex(f.L, o, k, v);
    }
  }

  /** {@code o.name = v} of an assignment statement (a constant string key). */
  public static void setField(Frame f, int line, Object o, LuauString k, Object v) {
    f.line = line;
    if (o instanceof LuauTable t && t.getMetatable() == null) {
      t.rawsetStr(k, v);
    } else {
      Ops.setIndex(f.L, o, k, v);
    }
  }

  /** A store of a multiple or compound assignment (always through {@link Ops#setIndex}, as interpreted). */
  public static void store(Frame f, Object o, Object k, Object v) {
    Ops.setIndex(f.L, o, k, v);
  }

  /** The current value read by a compound assignment to {@code o[k]}. */
  public static Object load(Frame f, Object o, Object k) {
    return Ops.index(f.L, o, k);
  }

  public static Object first(Object[] values) {
    return values.length > 0 ? values[0] : null;
  }

  public static Object at(Object[] values, int i) {
    return i < values.length ? values[i] : null;
  }

  // ---- arithmetic and other operators (slow paths; the number paths are emitted inline) -------------

  public static Object arith(Frame f, int line, int op, Object x, Object y) {
    f.line = line;
    return Ops.arith(f.L, op, x, y);
  }

  // compact mode's arithmetic: the number path first, small enough for HotSpot to inline anywhere

  public static Object add(Frame f, int line, Object x, Object y) {
    return x instanceof Double a && y instanceof Double b ? (Object) (a + b) : arith(f, line, Ops.ADD, x, y);
  }

  public static Object sub(Frame f, int line, Object x, Object y) {
    return x instanceof Double a && y instanceof Double b ? (Object) (a - b) : arith(f, line, Ops.SUB, x, y);
  }

  public static Object mul(Frame f, int line, Object x, Object y) {
    return x instanceof Double a && y instanceof Double b ? (Object) (a * b) : arith(f, line, Ops.MUL, x, y);
  }

  public static Object div(Frame f, int line, Object x, Object y) {
    return x instanceof Double a && y instanceof Double b ? (Object) (a / b) : arith(f, line, Ops.DIV, x, y);
  }

  public static Object mod(Frame f, int line, Object x, Object y) {
    return x instanceof Double a && y instanceof Double b ? (Object) Ops.mod(a, b) : arith(f, line, Ops.MOD, x, y);
  }

  public static Object unm(Frame f, int line, Object x) {
    f.line = line;
    return Ops.unm(f.L, x);
  }

  public static Object len(Frame f, int line, Object x) {
    if (x instanceof LuauTable t && t.getMetatable() == null) {
      return (double) t.length();
    }
    f.line = line;
    return Ops.len(f.L, x);
  }

  public static Object concat(Frame f, int line, Object[] parts) {
    return Exprs.Concat.join(f, line, parts);
  }

  public static Object concat2(Frame f, Object x, Object y) {
    return Ops.concat(f.L, x, y);
  }

  public static LuauString tostr(Frame f, int line, Object v) {
    f.line = line;
    return Ops.tostring(f.L, v);
  }

  public static LuauString interp(byte[][] parts, LuauString[] values) {
    return Exprs.Interp.join(parts, values);
  }

  public static boolean eq(Frame f, int line, Object x, Object y) {
    if (x instanceof Double dx) { // before the identity check: a NaN is unequal even to itself
      return y instanceof Double dy && dx.doubleValue() == dy.doubleValue();
    }
    if (x == y) {
      return true;
    }
    if (x instanceof LuauString) {
      return x.equals(y);
    }
    f.line = line;
    return Ops.equals(f.L, x, y);
  }

  public static boolean lt(Frame f, int line, Object x, Object y) {
    if (x instanceof Double dx && y instanceof Double dy) {
      return dx < dy;
    }
    f.line = line;
    return Ops.lessThan(f.L, x, y);
  }

  public static boolean le(Frame f, int line, Object x, Object y) {
    if (x instanceof Double dx && y instanceof Double dy) {
      return dx <= dy;
    }
    f.line = line;
    return Ops.lessEqual(f.L, x, y);
  }

  // ---- functions and tables -----------------------------------------------------------------------

  public static LuauClosure closure(Frame f, Proto p) {
    return Exprs.Function.create(f, p);
  }

  public static LuauTable newTable(Frame f, int positional, int keyed) {
    f.L.allocate(Exprs.TABLE_BYTES + 8L * (positional + 2 * keyed)); // memory accounting
    return new LuauTable(positional, keyed);
  }

  public static void tableSet(Frame f, int line, LuauTable t, Object k, Object v) {
    if (k == null) {
      f.line = line;
      throw LuauError.runtime("table index is nil");
    }
    t.rawset(k, v);
  }

  /** Appends the values of a constructor's trailing call or {@code ...} from position {@code n}. */
  public static void tableAppend(LuauTable t, int n, Object[] rest) {
    t.ensureArray(n - 1 + rest.length);
    for (int i = 0; i < rest.length; i++) {
      t.rawset(n + i, rest[i]);
    }
  }

  public static double forNumber(Object v, String what) {
    return io.templateworker.luau.vm.node.Stats.NumericFor.forNumber(v, what);
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** Arguments followed by the values of a trailing call or {@code ...}. */
  public static Object[] append(Object[] head, Object[] tail) {
    if (head.length == 0) {
      return tail;
    }
    Object[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  /** A call through the general path: any callee, arguments already adjusted. */
  public static Object[] callv(Frame f, int line, Object callee, Object[] args) {
    f.line = line;
    if (callee instanceof LuauFunction lf) {
      f.hostCallee = lf;
      Object[] r = lf.call(f.L, args);
      f.hostCallee = null;
      return r;
    }
    return Ops.call(f.L, callee, args);
  }

  private static Object[] slots(Proto p, Object[] args, int from) {
    Object[] s = new Object[p.frameSize];
    int n = Math.min(args.length, p.numParams - from);
    if (n > 0) {
      System.arraycopy(args, 0, s, from, n);
    }
    return s;
  }

  private static boolean direct(Object callee) {
    return callee instanceof LuauClosure c && !c.proto.isVararg;
  }

  /**
   * The Java code of a host function callee, or null; when there is one, it becomes the frame's running builtin
   * (for a traceback's "[C] function" line) until the call site clears it.
   */
  public static HostFunction hostBody(Frame f, Object callee) {
    if (callee instanceof LuauFunction.Host h) {
      f.hostCallee = h;
      return h.body();
    }
    return null;
  }

  /** Whether the callee is a builtin that always gives exactly one result ({@link HostFunction#oneResult}). */
  public static boolean isOneResult(Object callee) {
    return callee instanceof LuauFunction.Host h && h.body().oneResult();
  }

  // ---- a compiled call site running a Luau callee's body itself (see CodeGen.directCall) -------------

  /** Pushes the frame of a call of {@code c} with no arguments. */
  public static Frame enter0(LuauThread L, LuauClosure c) {
    return LuauClosure.begin(L, c, slots0(c));
  }

  public static Frame enter1(LuauThread L, LuauClosure c, Object a) {
    return LuauClosure.begin(L, c, slots1(c, a));
  }

  public static Frame enter2(LuauThread L, LuauClosure c, Object a, Object b) {
    return LuauClosure.begin(L, c, slots2(c, a, b));
  }

  public static Frame enter3(LuauThread L, LuauClosure c, Object a, Object b, Object d) {
    return LuauClosure.begin(L, c, slots3(c, a, b, d));
  }

  /** After the body of a frame from {@code enterK} returned {@code code}: runs requested tail calls. */
  public static Frame complete(int code, Frame f) {
    return LuauClosure.complete(f.L, f, code);
  }

  /** Pops a completed call's frame and returns its first result. */
  public static Object result1(Frame f) {
    LuauClosure.end(f.L);
    return LuauClosure.result1(f);
  }

  /** Pops a completed call's frame and returns all its results. */
  public static Object[] results(Frame f) {
    LuauClosure.end(f.L);
    return LuauClosure.results(f);
  }

  /** The error leaving a call begun with {@code enterK}, located in that call's frame, which is popped. */
  public static Throwable abort(Throwable t, Frame f) {
    return LuauClosure.abort(t, f.L, f);
  }

  public static Object[] array0() {
    return NONE;
  }

  public static Object[] array1(Object a) {
    return new Object[] {a};
  }

  public static Object[] array2(Object a, Object b) {
    return new Object[] {a, b};
  }

  public static Object[] array3(Object a, Object b, Object c) {
    return new Object[] {a, b, c};
  }


  /** A host function's results as {@link LuauFunction.Host#call} returns them. */
  public static Object[] hostResults(Object[] r) {
    return r == null ? NONE : r;
  }

  /** The callee as a closure whose slots can take the arguments directly, or null (general path). */
  public static LuauClosure directClosure(Object callee) {
    return callee instanceof LuauClosure c && !c.proto.isVararg ? c : null;
  }

  public static Object[] callN(Frame f, int line, Object fn, Object[] args) {
    if (direct(fn)) {
      LuauClosure c = (LuauClosure) fn;
      f.line = line;
      return c.execute(f.L, slots(c.proto, args, 0), NONE);
    }
    return callv(f, line, fn, args);
  }

  public static Object call1(Frame f, int line, Object fn, Object[] args) {
    if (direct(fn)) {
      LuauClosure c = (LuauClosure) fn;
      f.line = line;
      return c.execute1(f.L, slots(c.proto, args, 0), NONE);
    }
    return first(callv(f, line, fn, args));
  }

  // ---- compact call sites (CodeGen's compact mode, for bodies too large for HotSpot to inline into) -----
  // One static call per site instead of the inline closure and builtin paths: the site profiles nothing of its
  // own, but a body that large has no inlining budget left for what it calls anyway, and its smaller size leaves
  // room to inline the boxing and operators between the calls.

  /** Calls a builtin known to be one ({@code LuauFunction.Host}) with one argument, as the inline path does. */
  public static Object host1(Frame f, Object fn, Object a) {
    LuauFunction.Host h = (LuauFunction.Host) fn;
    f.hostCallee = h;
    Object r = h.body().call1(f.L, a);
    f.hostCallee = null;
    return r;
  }

  public static Object host2(Frame f, Object fn, Object a, Object b) {
    LuauFunction.Host h = (LuauFunction.Host) fn;
    f.hostCallee = h;
    Object r = h.body().call2(f.L, a, b);
    f.hostCallee = null;
    return r;
  }

  public static Object host3(Frame f, Object fn, Object a, Object b, Object c) {
    LuauFunction.Host h = (LuauFunction.Host) fn;
    f.hostCallee = h;
    Object r = h.body().call3(f.L, a, b, c);
    f.hostCallee = null;
    return r;
  }

  /** {@code fn()}'s first result. */
  public static Object first0(Frame f, int line, Object fn) {
    return call1(f, line, fn, NONE);
  }

  /** {@code fn(a)}'s first result: a builtin through {@link HostFunction#call1}, anything else as {@link #call1}. */
  public static Object first1(Frame f, int line, Object fn, Object a) {
    return fn instanceof LuauFunction.Host ? host1(f, fn, a) : call1(f, line, fn, new Object[] {a});
  }

  public static Object first2(Frame f, int line, Object fn, Object a, Object b) {
    return fn instanceof LuauFunction.Host ? host2(f, fn, a, b) : call1(f, line, fn, new Object[] {a, b});
  }

  public static Object first3(Frame f, int line, Object fn, Object a, Object b, Object c) {
    return fn instanceof LuauFunction.Host ? host3(f, fn, a, b, c) : call1(f, line, fn, new Object[] {a, b, c});
  }

  public static Object[] slots0(LuauClosure c) {
    return new Object[c.proto.frameSize];
  }

  public static Object[] slots1(LuauClosure c, Object a) {
    Proto p = c.proto;
    Object[] s = new Object[p.frameSize];
    if (p.numParams > 0) {
      s[0] = a;
    }
    return s;
  }

  public static Object[] slots2(LuauClosure c, Object a, Object b) {
    Proto p = c.proto;
    Object[] s = new Object[p.frameSize];
    int np = p.numParams;
    if (np > 0) {
      s[0] = a;
      if (np > 1) {
        s[1] = b;
      }
    }
    return s;
  }

  public static Object[] slots3(LuauClosure c, Object a, Object b, Object d) {
    Proto p = c.proto;
    Object[] s = new Object[p.frameSize];
    int np = p.numParams;
    if (np > 0) {
      s[0] = a;
      if (np > 1) {
        s[1] = b;
        if (np > 2) {
          s[2] = d;
        }
      }
    }
    return s;
  }

  // ---- method calls: obj:name(args) ---------------------------------------------------------------

  /** Looks up the method (self is first so compiled code can duplicate it on the stack). */
  public static Object method(Object self, Frame f, int line, LuauString name) {
    if (self instanceof LuauTable t) {
      Object m = t.rawgetStr(name);
      if (m != null || t.getMetatable() == null) {
        return m;
      }
    }
    f.line = line;
    return Ops.indexStr(f.L, self, name);
  }

  private static Object[] withSelf(Object self, Object[] rest) {
    Object[] a = new Object[rest.length + 1];
    a[0] = self;
    System.arraycopy(rest, 0, a, 1, rest.length);
    return a;
  }

  /** A method call through the general path. */
  public static Object[] mcallv(Frame f, int line, LuauString name, Object self, Object fn, Object[] rest) {
    Object[] a = withSelf(self, rest);
    f.line = line;
    if (fn instanceof LuauFunction lf) {
      f.hostCallee = lf;
      Object[] r = lf.call(f.L, a);
      f.hostCallee = null;
      return r;
    }
    if (fn == null) {
      throw Errors.missingMethod(name, self);
    }
    return Ops.call(f.L, fn, a);
  }

  public static Object[] mcallN(Frame f, int line, LuauString name, Object self, Object fn, Object[] rest) {
    if (direct(fn)) {
      LuauClosure c = (LuauClosure) fn;
      Object[] s = slots(c.proto, rest, 1);
      if (c.proto.numParams > 0) {
        s[0] = self;
      }
      f.line = line;
      return c.execute(f.L, s, NONE);
    }
    return mcallv(f, line, name, self, fn, rest);
  }

  public static Object mcall1(Frame f, int line, LuauString name, Object self, Object fn, Object[] rest) {
    if (direct(fn)) {
      LuauClosure c = (LuauClosure) fn;
      Object[] s = slots(c.proto, rest, 1);
      if (c.proto.numParams > 0) {
        s[0] = self;
      }
      f.line = line;
      return c.execute1(f.L, s, NONE);
    }
    return first(mcallv(f, line, name, self, fn, rest));
  }

  // ---- tail calls past the trampoline depth (see Stats.TailCall) ------------------------------------

  public static int tail(Frame f, int line, Object fn, Object[] args) {
    f.line = line;
    f.tailFn = fn;
    f.tailArgs = args;
    return Stat.RETURN;
  }

  public static int tailMethod(Frame f, int line, LuauString name, Object self, Object fn, Object[] rest) {
    Object[] a = withSelf(self, rest);
    f.line = line;
    if (fn == null) {
      throw Errors.missingMethod(name, self);
    }
    f.tailFn = fn;
    f.tailArgs = a;
    return Stat.RETURN;
  }
}
