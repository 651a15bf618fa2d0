package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;

/**
 * The {@code table} library, as Luau defines it. Element access is raw (no metamethods), lengths are the
 * raw border, like Luau's C implementation. Long loops check the VM's interrupt.
 */
public final class TableLib {

  /** table.create beyond this many slots is Luau's "table overflow" (its array part holds at most 2^26). */
  private static final int MAX_CREATE = 1 << 26;
  /** Bytes charged per preallocated array slot. */
  private static final int SLOT_BYTES = 16;
  private static final LuauString META_PROTECT = LuauString.of("__metatable");

  private TableLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable t = new LuauTable(0, 20);
    StringLib.reg(t, "concat", TableLib::concat);
    StringLib.reg(t, "foreach", TableLib::foreach);
    StringLib.reg(t, "foreachi", TableLib::foreachi);
    StringLib.reg(t, "getn", TableLib::getn);
    StringLib.reg(t, "maxn", TableLib::maxn);
    StringLib.reg(t, "insert", TableLib::insert);
    StringLib.reg(t, "remove", TableLib::remove);
    StringLib.reg(t, "sort", TableLib::sort);
    StringLib.reg(t, "pack", TableLib::pack);
    StringLib.reg(t, "unpack", TableLib::unpack);
    StringLib.reg(t, "move", TableLib::move);
    StringLib.reg(t, "create", TableLib::create);
    StringLib.reg(t, "find", TableLib::find);
    StringLib.reg(t, "clear", TableLib::clear);
    StringLib.reg(t, "freeze", TableLib::freeze);
    StringLib.reg(t, "isfrozen", TableLib::isfrozen);
    StringLib.reg(t, "clone", TableLib::clone);
    globals.rawset(LuauString.of("table"), t);
    // Lua 5.1 compatibility: the global unpack is table.unpack (unless the base library set its own)
    LuauString unpackName = LuauString.of("unpack");
    if (globals.rawget(unpackName) == null) {
      globals.rawset(unpackName, t.rawget(unpackName));
    }
  }

  /** luaL_checkinteger: a C int (see {@link Args#checkInteger}). */
  private static int checkInt(Object[] args, int i, String fname) {
    return (int) Args.checkInteger(args, i, fname);
  }

  private static int optInt(Object[] args, int i, String fname, int dflt) {
    return (int) Args.optInteger(args, i, fname, dflt);
  }

  private static Object[] concat(LuauThread L, Object[] args) {
    LuauString sep = Args.optString(args, 1, "concat", LuauString.EMPTY);
    LuauTable t = Args.checkTable(args, 0, "concat");
    int i = optInt(args, 2, "concat", 1);
    int last = args.length > 3 && args[3] != null ? checkInt(args, 3, "concat") : t.length();
    ByteBuilder out = new ByteBuilder(L, 64);
    for (; i < last; i++) {
      addField(out, t, i);
      out.append(sep);
      if ((i & 0xFFF) == 0) {
        L.checkInterrupt();
      }
    }
    if (i == last) {
      addField(out, t, i);
    }
    return StringLib.one(out.toLuauString());
  }

  private static void addField(ByteBuilder out, LuauTable t, int i) {
    Object v = t.rawget(i);
    LuauString s = v instanceof LuauString ls ? ls : v instanceof Double ? Values.toLuauString(v) : null;
    if (s == null) {
      throw LuauError.runtime("invalid value (" + Values.typeName(v) + ") at index " + i + " in table for 'concat'");
    }
    out.append(s);
  }

  private static Object[] foreachi(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "foreachi");
    LuauFunction f = Args.checkFunction(args, 1, "foreachi");
    int n = t.length();
    for (int i = 1; i <= n; i++) {
      Object[] r = L.call(f, (double) i, t.rawget(i));
      if (r.length > 0 && r[0] != null) {
        return StringLib.one(r[0]);
      }
    }
    return LuauFunction.NONE;
  }

  private static Object[] foreach(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "foreach");
    LuauFunction f = Args.checkFunction(args, 1, "foreach");
    Object[] kv = t.next(null);
    while (kv != null) {
      Object[] r = L.call(f, kv[0], kv[1]);
      if (r.length > 0 && r[0] != null) {
        return StringLib.one(r[0]);
      }
      kv = t.next(kv[0]);
    }
    return LuauFunction.NONE;
  }

  private static Object[] maxn(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "maxn");
    double max = 0;
    Object[] kv = t.next(null);
    while (kv != null) {
      if (kv[0] instanceof Double d && d > max) {
        max = d;
      }
      kv = t.next(kv[0]);
    }
    return StringLib.one(max);
  }

  private static Object[] getn(LuauThread L, Object[] args) {
    return StringLib.one((double) Args.checkTable(args, 0, "getn").length());
  }

  /** Copies t[f..e] to dst[d..], in the direction that is safe when the ranges overlap. */
  private static void moveElements(LuauThread L, LuauTable src, LuauTable dst, int f, int e, int d) {
    if (dst.isFrozen()) {
      throw Errors.readonly();
    }
    int n = e - f + 1;
    if (d > e || d <= f || src != dst) {
      for (int i = 0; i < n; i++) {
        dst.rawset(d + i, src.rawget(f + i));
        if ((i & 0xFFFF) == 0xFFFF) {
          L.checkInterrupt();
        }
      }
    } else {
      for (int i = n - 1; i >= 0; i--) {
        dst.rawset(d + i, src.rawget(f + i));
        if ((i & 0xFFFF) == 0) {
          L.checkInterrupt();
        }
      }
    }
  }

  private static Object[] insert(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "insert");
    int n = t.length();
    int pos;
    Object value;
    switch (args.length) {
      case 2 -> {
        pos = n + 1;
        value = args[1];
      }
      case 3 -> {
        pos = checkInt(args, 1, "insert");
        value = args[2];
        if (1 <= pos && pos <= n) {
          moveElements(L, t, t, pos, n, pos + 1);
        }
      }
      default -> throw LuauError.runtime("wrong number of arguments to 'insert'");
    }
    t.rawset(pos, value);
    return LuauFunction.NONE;
  }

  private static Object[] remove(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "remove");
    int n = t.length();
    int pos = optInt(args, 1, "remove", n);
    if (!(1 <= pos && pos <= n)) {
      return LuauFunction.NONE;
    }
    Object v = t.rawget(pos);
    moveElements(L, t, t, pos + 1, n, pos);
    t.rawset(n, null);
    return StringLib.one(v);
  }

  private static Object[] move(LuauThread L, Object[] args) {
    LuauTable a1 = Args.checkTable(args, 0, "move");
    int f = checkInt(args, 1, "move");
    int e = checkInt(args, 2, "move");
    int t = checkInt(args, 3, "move");
    boolean other = args.length > 4 && args[4] != null;
    LuauTable dst = other ? Args.checkTable(args, 4, "move") : a1;
    if (e >= f) {
      if (!(f > 0 || e < Integer.MAX_VALUE + f)) {
        throw Errors.badArgument(3, "move", "too many elements to move");
      }
      int n = e - f + 1;
      if (t > Integer.MAX_VALUE - n + 1) {
        throw Errors.badArgument(4, "move", "destination wrap around");
      }
      moveElements(L, a1, dst, f, e, t);
    }
    return StringLib.one(dst);
  }

  private static Object[] pack(LuauThread L, Object[] args) {
    int n = args.length;
    LuauTable t = new LuauTable(n, 1);
    for (int i = 0; i < n; i++) {
      t.rawset(i + 1, args[i]);
    }
    t.rawset(LuauString.of("n"), (double) n);
    return StringLib.one(t);
  }

  private static Object[] unpack(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "unpack");
    int i = optInt(args, 1, "unpack", 1);
    int e = args.length > 2 && args[2] != null ? checkInt(args, 2, "unpack") : t.length();
    if (i > e) {
      return LuauFunction.NONE;
    }
    long n = (long) e - i + 1;
    if (n + args.length > StringLib.MAX_RESULTS) {
      throw LuauError.runtime("too many results to unpack");
    }
    Object[] out = new Object[(int) n];
    for (int k = 0; k < n; k++) {
      out[k] = t.rawget(i + k);
    }
    return out;
  }

  private static Object[] create(LuauThread L, Object[] args) {
    int size = checkInt(args, 0, "create");
    if (size < 0) {
      throw Errors.badArgument(1, "create", "size out of range");
    }
    if (size > MAX_CREATE) {
      throw Errors.tableOverflow();
    }
    L.allocate((long) size * SLOT_BYTES);
    LuauTable t = new LuauTable(size, 0);
    Object v = Args.arg(args, 1);
    if (v != null) {
      for (int i = 1; i <= size; i++) {
        t.rawset(i, v);
      }
    }
    return StringLib.one(t);
  }

  private static Object[] find(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "find");
    Object v = Args.checkAny(args, 1, "find");
    int init = optInt(args, 2, "find", 1);
    if (init < 1) {
      throw Errors.badArgument(3, "find", "index out of range");
    }
    for (int i = init; ; i++) {
      Object e = t.rawget(i);
      if (e == null) {
        break;
      }
      if (Ops.equals(L, v, e)) {
        return StringLib.one((double) i);
      }
      if ((i & 0xFFFF) == 0) {
        L.checkInterrupt();
      }
    }
    return StringLib.one(null);
  }

  private static Object[] clear(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "clear");
    if (t.isFrozen()) {
      throw Errors.readonly();
    }
    t.clear();
    return LuauFunction.NONE;
  }

  private static boolean hasProtectedMetatable(LuauTable t) {
    LuauTable mt = t.getMetatable();
    return mt != null && mt.rawget(META_PROTECT) != null;
  }

  private static Object[] freeze(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "freeze");
    if (t.isFrozen()) {
      throw Errors.badArgument(1, "freeze", "table is already frozen");
    }
    if (hasProtectedMetatable(t)) {
      throw Errors.badArgument(1, "freeze", "table has a protected metatable");
    }
    t.freeze();
    return StringLib.one(t);
  }

  private static Object[] isfrozen(LuauThread L, Object[] args) {
    return StringLib.one(Args.checkTable(args, 0, "isfrozen").isFrozen());
  }

  private static Object[] clone(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "clone");
    if (hasProtectedMetatable(t)) {
      throw Errors.badArgument(1, "clone", "table has a protected metatable");
    }
    return StringLib.one(t.copy());
  }

  // ---------------------------------------------------------------- sort

  private static Object[] sort(LuauThread L, Object[] args) {
    LuauTable t = Args.checkTable(args, 0, "sort");
    int n = t.length();
    Object cmp = Args.arg(args, 1);
    if (cmp != null) {
      Args.checkFunction(args, 1, "sort");
    }
    if (t.isFrozen()) { // even a frozen table too short to need sorting (Luau checks first)
      throw Errors.readonly();
    }
    if (n < 2) {
      return LuauFunction.NONE;
    }
    // sort a snapshot and write it back: same comparisons as sorting in place, without a table access each;
    // written back also when a comparison fails, since Luau leaves the table as far as it got
    Object[] a = new Object[n + 1];
    boolean numbers = cmp == null;
    for (int i = 1; i <= n; i++) {
      Object v = t.rawget(i);
      a[i] = v;
      numbers &= v instanceof Double;
    }
    L.enterHostLevel(); // table.sort is a call level under its comparator, as in Luau
    Sorter sorter = numbers ? new NumberSorter(L, a, n) : new ValueSorter(L, a, (LuauFunction) cmp);
    try {
      sorter.sort(1, n);
    } finally {
      L.exitHostLevel();
      sorter.writeBack(t, n);
    }
    return LuauFunction.NONE;
  }

  /**
   * Quicksort with median-of-three pivots (Sedgewick), as in Lua, over positions 1..n of a snapshot. A comparator
   * that is not a strict weak order would run the scans off the ends of the range; that is caught and reported as
   * "invalid order function for sorting" instead. The pivot stays at {@code up - 1} while a range is partitioned
   * (the scans swap only positions below it), so comparisons name positions.
   */
  private abstract static class Sorter {
    private final LuauThread thread;
    private int steps;

    Sorter(LuauThread thread) {
      this.thread = thread;
    }

    /** Whether the element at {@code i} goes before the one at {@code j}. */
    abstract boolean lessAt(int i, int j);

    abstract void swap(int i, int j);

    abstract void writeBack(LuauTable t, int n);

    private boolean less(int i, int j) {
      if ((++steps & 0x3FF) == 0) {
        thread.checkInterrupt();
      }
      return lessAt(i, j);
    }

    final void sort(int lo, int up) {
      while (lo < up) {
        if (less(up, lo)) {
          swap(lo, up);
        }
        if (up - lo == 1) {
          break;
        }
        int i = (lo + up) >>> 1;
        if (less(i, lo)) {
          swap(i, lo);
        } else if (less(up, i)) {
          swap(i, up);
        }
        if (up - lo == 2) {
          break;
        }
        int pivot = up - 1;
        swap(i, pivot);
        // invariant: a[lo..i] <= pivot <= a[j..up]; only lo+1..up-2 remain to partition
        i = lo;
        int j = up - 1;
        for (;;) {
          while (less(++i, pivot)) {
            if (i >= up) {
              throw LuauError.runtime("invalid order function for sorting");
            }
          }
          while (less(pivot, --j)) {
            if (j <= lo) {
              throw LuauError.runtime("invalid order function for sorting");
            }
          }
          if (j < i) {
            break;
          }
          swap(i, j);
        }
        swap(up - 1, i);
        // recurse into the smaller half, loop on the larger one: depth stays logarithmic
        if (i - lo < up - i) {
          sort(lo, i - 1);
          lo = i + 1;
        } else {
          sort(i + 1, up);
          up = i - 1;
        }
      }
    }
  }

  /** Any values, ordered by {@code <} (with its metamethods) or by a Luau comparator. */
  private static final class ValueSorter extends Sorter {
    private final LuauThread thread;
    private final Object[] a;
    private final LuauFunction cmp;

    ValueSorter(LuauThread thread, Object[] a, LuauFunction cmp) {
      super(thread);
      this.thread = thread;
      this.a = a;
      this.cmp = cmp;
    }

    @Override
    boolean lessAt(int i, int j) {
      Object x = a[i];
      Object y = a[j];
      if (cmp == null) {
        return Ops.lessThan(thread, x, y);
      }
      thread.enterCCall(); // a comparator call nests like Luau's lua_call
      try {
        return Values.isTruthy(cmp.callForFirst(thread, x, y));
      } finally {
        thread.exitCCall();
      }
    }

    @Override
    void swap(int i, int j) {
      Object tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }

    @Override
    void writeBack(LuauTable t, int n) {
      for (int i = 1; i <= n; i++) {
        t.rawset(i, a[i]);
      }
    }
  }

  /**
   * Only numbers and no comparator (the common {@code table.sort(t)}): the same algorithm on unboxed values, so
   * each comparison reads two adjacent doubles rather than two objects spread over the heap.
   */
  private static final class NumberSorter extends Sorter {
    private final double[] d;

    NumberSorter(LuauThread thread, Object[] a, int n) {
      super(thread);
      d = new double[n + 1];
      for (int i = 1; i <= n; i++) {
        d[i] = (Double) a[i];
      }
    }

    @Override
    boolean lessAt(int i, int j) {
      return d[i] < d[j];
    }

    @Override
    void swap(int i, int j) {
      double tmp = d[i];
      d[i] = d[j];
      d[j] = tmp;
    }

    @Override
    void writeBack(LuauTable t, int n) {
      for (int i = 1; i <= n; i++) {
        t.rawset(i, (Object) d[i]);
      }
    }
  }
}
