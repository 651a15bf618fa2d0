package io.templateworker.luau.vm;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.LuauVector;
import io.templateworker.luau.value.Values;

/**
 * Metamethod-aware operations. Each tries the fast path first (plain tables, numbers, strings), then the
 * metamethod, and raises Luau's error last. Slow paths live in separate methods so the fast ones inline.
 */
public final class Ops {
  private Ops() {
  }

  public static final int ADD = 0;
  public static final int SUB = 1;
  public static final int MUL = 2;
  public static final int DIV = 3;
  public static final int MOD = 4;
  public static final int POW = 5;
  public static final int IDIV = 6;
  public static final int UNM = 7;

  /** Luau stops following __index / __newindex chains after this many steps. */
  private static final int MAX_TAG_LOOP = 100;

  // ---- metatables ----------------------------------------------------------------------------------

  /** The metatable of any value (strings share the VM's string metatable), or null. */
  public static LuauTable metatable(LuauThread L, Object v) {
    if (v instanceof LuauTable t) {
      return t.getMetatable();
    }
    if (v instanceof LuauString) {
      return L.vm().stringMetatable();
    }
    if (v instanceof LuauUserdata u) {
      return u.getMetatable();
    }
    return null;
  }

  /** The metamethod {@code event} of {@code v}, or null. */
  public static Object metamethod(LuauThread L, Object v, LuauString event) {
    LuauTable mt = metatable(L, v);
    return mt == null ? null : mt.rawgetStr(event);
  }

  // ---- indexing ------------------------------------------------------------------------------------

  public static Object index(LuauThread L, Object obj, Object key) {
    if (obj instanceof LuauTable t) {
      Object v = t.rawget(key);
      if (v != null || t.getMetatable() == null) {
        return v;
      }
    }
    return indexSlow(L, obj, key);
  }

  /**
   * Field access with a string key (the common {@code obj.name} case). Chains of {@code __index} tables (classes
   * and their bases) are walked with string lookups; anything else joins the general path where it stands.
   */
  public static Object indexStr(LuauThread L, Object obj, LuauString key) {
    Object cur = obj;
    for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
      if (!(cur instanceof LuauTable t)) {
        return indexSlow(L, cur, key, loop);
      }
      Object v = t.rawgetStr(key);
      if (v != null) {
        return v;
      }
      LuauTable mt = t.getMetatable();
      if (mt == null) {
        return null;
      }
      Object handler = mt.rawgetStr(Meta.INDEX);
      if (handler == null) {
        return null;
      }
      if (handler instanceof LuauFunction f) {
        Object[] r = metaCall(L, f, new Object[] {cur, key});
        return r.length > 0 ? r[0] : null;
      }
      cur = handler;
    }
    throw LuauError.runtime("'__index' chain too long; possible loop");
  }

  private static Object indexSlow(LuauThread L, Object obj, Object key) {
    return indexSlow(L, obj, key, 0);
  }

  /** The general {@code __index} walk from {@code obj}, {@code done} steps of the chain already taken. */
  private static Object indexSlow(LuauThread L, Object obj, Object key, int done) {
    Object cur = obj;
    for (int loop = done; loop < MAX_TAG_LOOP; loop++) {
      Object handler;
      if (cur instanceof LuauTable t) {
        Object v = t.rawget(key);
        if (v != null) {
          return v;
        }
        LuauTable mt = t.getMetatable();
        if (mt == null) {
          return null;
        }
        handler = mt.rawgetStr(Meta.INDEX);
        if (handler == null) {
          return null;
        }
      } else if (cur instanceof LuauVector vec) {
        return vectorField(vec, key, cur);
      } else {
        handler = metamethod(L, cur, Meta.INDEX);
        if (handler == null) {
          throw Errors.index(cur, key);
        }
      }
      if (handler instanceof LuauFunction f) {
        Object[] r = metaCall(L, f, new Object[] {cur, key});
        return r.length > 0 ? r[0] : null;
      }
      cur = handler;
    }
    throw LuauError.runtime("'__index' chain too long; possible loop");
  }

  private static Object vectorField(LuauVector v, Object key, Object obj) {
    if (key instanceof LuauString s && s.length() == 1) {
      switch (s.byteAt(0)) {
        case 'x', 'X' -> {
          return (double) v.x();
        }
        case 'y', 'Y' -> {
          return (double) v.y();
        }
        case 'z', 'Z' -> {
          return (double) v.z();
        }
        default -> {
        }
      }
    }
    throw Errors.index(obj, key);
  }

  public static void setIndex(LuauThread L, Object obj, Object key, Object value) {
    if (obj instanceof LuauTable t && t.getMetatable() == null) {
      t.rawset(key, value);
      return;
    }
    setIndexSlow(L, obj, key, value);
  }

  private static void setIndexSlow(LuauThread L, Object obj, Object key, Object value) {
    Object cur = obj;
    for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
      Object handler;
      if (cur instanceof LuauTable t) {
        LuauTable mt = t.getMetatable();
        if (mt == null || t.rawget(key) != null) {
          t.rawset(key, value);
          return;
        }
        handler = mt.rawgetStr(Meta.NEWINDEX);
        if (handler == null) {
          t.rawset(key, value);
          return;
        }
      } else {
        handler = metamethod(L, cur, Meta.NEWINDEX);
        if (handler == null) {
          throw Errors.index(cur, key);
        }
      }
      if (handler instanceof LuauFunction f) {
        metaCall(L, f, new Object[] {cur, key, value});
        return;
      }
      cur = handler;
    }
    throw LuauError.runtime("'__newindex' chain too long; possible loop");
  }

  // ---- calls ---------------------------------------------------------------------------------------

  public static Object[] call(LuauThread L, Object fn, Object[] args) {
    if (fn instanceof LuauFunction f) {
      return f.call(L, args);
    }
    return callMeta(L, fn, args);
  }

  private static Object[] callMeta(LuauThread L, Object fn, Object[] args) {
    Object h = metamethod(L, fn, Meta.CALL);
    if (!(h instanceof LuauFunction)) { // Luau calls __call only when it is a function; the error names fn
      throw Errors.call(fn);
    }
    Object[] a = new Object[args.length + 1];
    a[0] = fn;
    System.arraycopy(args, 0, a, 1, args.length);
    return call(L, h, a);
  }

  /** First result of a metamethod call, or nil; counted as a C call, as Luau's luaD_call. */
  public static Object call1(LuauThread L, Object fn, Object[] args) {
    L.enterCCall();
    try {
      Object[] r = call(L, fn, args);
      return r.length > 0 ? r[0] : null;
    } finally {
      L.exitCCall();
    }
  }

  /** A metamethod function's call (__index, __newindex): counted as a C call. */
  private static Object[] metaCall(LuauThread L, LuauFunction f, Object[] args) {
    L.enterCCall();
    try {
      return f.call(L, args);
    } finally {
      L.exitCCall();
    }
  }

  // ---- arithmetic ----------------------------------------------------------------------------------

  public static Object arith(LuauThread L, int op, Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return arithNum(op, x, y);
    }
    return arithSlow(L, op, a, b);
  }

  public static double arithNum(int op, double x, double y) {
    switch (op) {
      case ADD:
        return x + y;
      case SUB:
        return x - y;
      case MUL:
        return x * y;
      case DIV:
        return x / y;
      case MOD:
        return mod(x, y);
      case POW:
        return pow(x, y);
      case IDIV:
        return Math.floor(x / y);
      default:
        return -x;
    }
  }

  /** Luau's modulo: a - floor(a / b) * b. */
  public static double mod(double a, double b) {
    return a - Math.floor(a / b) * b;
  }

  public static double pow(double a, double b) {
    if (b == 2) {
      return a * a;
    }
    if (b == 0.5) {
      return Math.sqrt(a);
    }
    double r = Math.pow(a, b);
    // C's pow(1, y) is 1 for every y and pow(-1, ±inf) is 1, where Java answers NaN
    return r == r || (a != 1.0 && (a != -1.0 || !Double.isInfinite(b))) ? r : 1.0;
  }

  private static Object arithSlow(LuauThread L, int op, Object a, Object b) {
    if (a instanceof LuauVector || b instanceof LuauVector) {
      Object r = vectorArith(op, a, b);
      if (r != null) {
        return r;
      }
    }
    Object h = metamethod(L, a, Meta.ARITH[op]);
    if (h == null) {
      h = metamethod(L, b, Meta.ARITH[op]);
    }
    if (h != null) {
      return call1(L, h, new Object[] {a, b});
    }
    if (!(a instanceof Long) && !(b instanceof Long)) {
      Double x = Values.toNumber(a);
      Double y = Values.toNumber(b);
      if (x != null && y != null) {
        return arithNum(op, x, y);
      }
    }
    throw Errors.arithmetic(Meta.ARITH_NAMES[op], a, b);
  }

  private static Object vectorArith(int op, Object a, Object b) {
    // a numeric string scales a vector as its number does (v * "2"), as Luau coerces it
    if (a instanceof LuauString && Values.toNumber(a) instanceof Double d) {
      a = d;
    } else if (b instanceof LuauString && Values.toNumber(b) instanceof Double d) {
      b = d;
    }
    if (a instanceof LuauVector x && b instanceof LuauVector y) {
      switch (op) {
        case ADD:
          return new LuauVector(x.x() + y.x(), x.y() + y.y(), x.z() + y.z());
        case SUB:
          return new LuauVector(x.x() - y.x(), x.y() - y.y(), x.z() - y.z());
        case MUL:
          return new LuauVector(x.x() * y.x(), x.y() * y.y(), x.z() * y.z());
        case DIV:
          return new LuauVector(x.x() / y.x(), x.y() / y.y(), x.z() / y.z());
        case IDIV:
          return new LuauVector((float) Math.floor(x.x() / y.x()), (float) Math.floor(x.y() / y.y()),
              (float) Math.floor(x.z() / y.z()));
        default:
          return null;
      }
    }
    if (a instanceof LuauVector x && b instanceof Double d) {
      float s = (float) (double) d;
      switch (op) {
        case MUL:
          return new LuauVector(x.x() * s, x.y() * s, x.z() * s);
        case DIV:
          return new LuauVector(x.x() / s, x.y() / s, x.z() / s);
        case IDIV:
          return new LuauVector((float) Math.floor(x.x() / s), (float) Math.floor(x.y() / s),
              (float) Math.floor(x.z() / s));
        default:
          return null;
      }
    }
    if (a instanceof Double d && b instanceof LuauVector y) {
      float s = (float) (double) d;
      switch (op) {
        case MUL:
          return new LuauVector(s * y.x(), s * y.y(), s * y.z());
        case DIV:
          return new LuauVector(s / y.x(), s / y.y(), s / y.z());
        case IDIV:
          return new LuauVector((float) Math.floor(s / y.x()), (float) Math.floor(s / y.y()),
              (float) Math.floor(s / y.z()));
        default:
          return null;
      }
    }
    return null;
  }

  public static Object unm(LuauThread L, Object a) {
    if (a instanceof Double x) {
      return -x;
    }
    if (a instanceof LuauVector v) {
      return new LuauVector(-v.x(), -v.y(), -v.z());
    }
    Object h = metamethod(L, a, Meta.UNM);
    if (h != null) {
      return call1(L, h, new Object[] {a, a});
    }
    Double x = Values.toNumber(a);
    if (x != null) {
      return -x;
    }
    throw Errors.arithmetic("unm", a);
  }

  // ---- comparison ----------------------------------------------------------------------------------

  public static boolean equals(LuauThread L, Object a, Object b) {
    if (a instanceof Double x) { // before the identity check: a NaN is unequal even to itself
      return b instanceof Double y && x.doubleValue() == y.doubleValue();
    }
    if (a == b) {
      return true;
    }
    if (a instanceof LuauString) {
      return a.equals(b);
    }
    if ((a instanceof LuauTable && b instanceof LuauTable) || (a instanceof LuauUserdata && b instanceof LuauUserdata)) {
      Object h = metamethod(L, a, Meta.EQ);
      if (h == null) {
        h = metamethod(L, b, Meta.EQ);
      }
      return h != null && Values.isTruthy(call1(L, h, new Object[] {a, b}));
    }
    return Values.rawEquals(a, b);
  }

  public static boolean lessThan(LuauThread L, Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x < y;
    }
    return compareSlow(L, a, b, false);
  }

  public static boolean lessEqual(LuauThread L, Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x <= y;
    }
    return compareSlow(L, a, b, true);
  }

  /** The comparison metamethod of {@code a} when {@code b} has the very same one; else null. */
  private static Object orderMetamethod(LuauThread L, Object a, Object b, LuauString event) {
    Object h = metamethod(L, a, event);
    return h != null && Values.rawEquals(h, metamethod(L, b, event)) ? h : null;
  }

  private static boolean compareSlow(LuauThread L, Object a, Object b, boolean orEqual) {
    if (a instanceof LuauString x && b instanceof LuauString y) {
      int c = x.compareTo(y);
      return orEqual ? c <= 0 : c < 0;
    }
    if (Values.typeName(a).equals(Values.typeName(b))) {
      // as Luau's call_orderTM: both operands must have the same metamethod; <= falls back to not (b < a)
      Object h = orderMetamethod(L, a, b, orEqual ? Meta.LE : Meta.LT);
      if (h != null) {
        return Values.isTruthy(call1(L, h, new Object[] {a, b}));
      }
      if (orEqual) {
        h = orderMetamethod(L, b, a, Meta.LT);
        if (h != null) {
          return !Values.isTruthy(call1(L, h, new Object[] {b, a}));
        }
      }
    }
    throw Errors.compare(a, orEqual ? "<=" : "<", b);
  }

  // ---- length, concatenation, tostring ------------------------------------------------------------

  public static Object len(LuauThread L, Object v) {
    if (v instanceof LuauString s) {
      return (double) s.length();
    }
    if (v instanceof LuauTable t) {
      LuauTable mt = t.getMetatable();
      if (mt == null) {
        return (double) t.length();
      }
      Object h = mt.rawgetStr(Meta.LEN);
      if (h == null) {
        return (double) t.length();
      }
      return call1(L, h, new Object[] {v});
    }
    Object h = metamethod(L, v, Meta.LEN);
    if (h != null) {
      return call1(L, h, new Object[] {v});
    }
    throw Errors.length(v);
  }

  public static Object concat(LuauThread L, Object a, Object b) {
    LuauString x = a instanceof Long ? null : Values.toLuauString(a); // integers do not concatenate
    LuauString y = b instanceof Long ? null : Values.toLuauString(b);
    if (x != null && y != null) {
      long n = (long) x.length() + y.length();
      LuauString.checkLength(n);
      L.allocate(24 + n); // memory accounting for every concatenation result
      return x.concat(y);
    }
    Object h = metamethod(L, a, Meta.CONCAT);
    if (h == null) {
      h = metamethod(L, b, Meta.CONCAT);
    }
    if (h != null) {
      return call1(L, h, new Object[] {a, b});
    }
    throw Errors.concat(a, b);
  }

  /** tostring(v): honours __tostring (must return a string or a number); __name is not read, as in Luau 0.735. */
  public static LuauString tostring(LuauThread L, Object v) {
    if (v instanceof LuauString s) {
      return s;
    }
    if (v instanceof Double d) {
      return LuauString.of(Values.numberToString(d));
    }
    if (v == null) {
      return LuauString.of("nil");
    }
    if (v instanceof Boolean b) {
      return LuauString.of(b ? "true" : "false");
    }
    if (v instanceof Long l) {
      return LuauString.of(Long.toString(l));
    }
    LuauTable mt = metatable(L, v);
    if (mt != null) {
      Object h = mt.rawgetStr(Meta.TOSTRING);
      if (h != null) {
        Object r = call1(L, h, new Object[] {v});
        if (r instanceof LuauString s) {
          return s;
        }
        if (r instanceof Double d) {
          return LuauString.of(Values.numberToString(d)); // a number is a string to Luau's lua_isstring
        }
        throw LuauError.runtime("'__tostring' must return a string");
      }
    }
    if (v instanceof LuauVector vec) {
      return LuauString.of(Values.numberToString(vec.x()) + ", " + Values.numberToString(vec.y()) + ", "
          + Values.numberToString(vec.z()));
    }
    return LuauString.of(Values.typeName(v) + ": " + address(v));
  }

  /** A stable pseudo-address for printing reference values ("0x" and 16 hex digits, like Luau on 64-bit). */
  public static String address(Object v) {
    String h = Integer.toHexString(System.identityHashCode(v));
    return "0x" + "0000000000000000".substring(h.length()) + h;
  }

  /** typeof(v): like type(v), but a userdata's metatable may name its type with __type. */
  public static String typeOf(LuauThread L, Object v) {
    if (v instanceof LuauUserdata u && u.getMetatable() != null) {
      Object t = u.getMetatable().rawgetStr(Meta.TYPE);
      if (t instanceof LuauString s) {
        return s.toString();
      }
    }
    return Values.typeName(v);
  }

  /** Truthiness as a Java boolean. */
  public static boolean truthy(Object v) {
    return v != null && v != Boolean.FALSE;
  }
}
