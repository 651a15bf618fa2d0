package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * The {@code bit32} library: numbers are taken as 32-bit unsigned integers (C's (unsigned)(long long) cast,
 * so -1 is 0xFFFFFFFF) and results are returned in [0, 2^32).
 */
public final class Bit32Lib {

  private Bit32Lib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable b = new LuauTable(0, 20);
    StringLib.reg(b, "arshift", new Shift("arshift") { int apply(int r, int i) { return arshift(r, i); } });
    StringLib.reg(b, "band", new Fold("band", -1) { int op(int r, int v) { return r & v; } });
    StringLib.reg(b, "bnot", new Unary("bnot") { Object apply(int x) { return box(~x); } });
    StringLib.reg(b, "bor", new Fold("bor", 0) { int op(int r, int v) { return r | v; } });
    StringLib.reg(b, "btest", new Fold("btest", -1) {
      int op(int r, int v) {
        return r & v;
      }

      @Override
      Object result(int r) {
        return r != 0;
      }
    });
    StringLib.reg(b, "bxor", new Fold("bxor", 0) { int op(int r, int v) { return r ^ v; } });
    StringLib.reg(b, "extract", Bit32Lib::extract);
    StringLib.reg(b, "lrotate", new Shift("lrotate") { int apply(int r, int i) { return Integer.rotateLeft(r, i); } });
    StringLib.reg(b, "lshift", new Shift("lshift") { int apply(int r, int i) { return shift(r, i); } });
    StringLib.reg(b, "replace", Bit32Lib::replace);
    StringLib.reg(b, "rrotate", new Shift("rrotate") { int apply(int r, int i) { return Integer.rotateRight(r, i); } });
    StringLib.reg(b, "rshift", new Shift("rshift") { int apply(int r, int i) { return shift(r, -(long) i); } });
    StringLib.reg(b, "countlz", new Unary("countlz") {
      Object apply(int x) {
        return (double) Integer.numberOfLeadingZeros(x);
      }
    });
    StringLib.reg(b, "countrz", new Unary("countrz") {
      Object apply(int x) {
        return (double) Integer.numberOfTrailingZeros(x);
      }
    });
    StringLib.reg(b, "byteswap", new Unary("byteswap") { Object apply(int x) { return box(Integer.reverseBytes(x)); } });
    globals.rawset(LuauString.of("bit32"), b);
  }

  /** luaL_checkunsigned: through long long, then the low 32 bits. */
  static int u(Object[] a, int i, String fname) {
    return (int) StringPack.toLong(Args.checkNumber(a, i, fname));
  }

  /** {@link #u(Object[], int, String)} of one passed argument. */
  static int u(Object v, int i, String fname) {
    return (int) StringPack.toLong(Args.number(v, i, fname));
  }

  private static int shiftArg(Object[] a, int i, String fname) {
    return MathLib.toInt(Args.checkNumber(a, i, fname));
  }

  /** A 32-bit result as Luau sees it: a number in [0, 2^32). */
  static Double box(int v) {
    return (double) (v & 0xFFFFFFFFL);
  }

  static Object[] out(int v) {
    return new Object[] {box(v)};
  }

  // ---- builtins compiled Luau calls without argument/result arrays (HostFunction.call1..3) ----------
  // Each registration is its own (anonymous) class, so a call site that always calls bit32.band inlines
  // exactly band's code.

  /** band, bor, bxor, btest: the operator folded over any number of arguments, from {@code identity}. */
  abstract static class Fold implements HostFunction {
    private final String name;
    private final int identity;

    Fold(String name, int identity) {
      this.name = name;
      this.identity = identity;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    abstract int op(int r, int v);

    Object result(int r) {
      return box(r);
    }

    @Override
    public final Object[] call(LuauThread L, Object[] a) {
      int r = identity;
      for (int i = 0; i < a.length; i++) {
        r = op(r, u(a, i, name));
      }
      return new Object[] {result(r)};
    }

    @Override
    public final Object call1(LuauThread L, Object x) {
      return result(op(identity, u(x, 0, name)));
    }

    @Override
    public final Object call2(LuauThread L, Object x, Object y) {
      return result(op(u(x, 0, name), u(y, 1, name)));
    }

    @Override
    public final Object call3(LuauThread L, Object x, Object y, Object z) {
      return result(op(op(u(x, 0, name), u(y, 1, name)), u(z, 2, name)));
    }
  }

  /** lshift, rshift, arshift, lrotate, rrotate: a value and a shift count. */
  abstract static class Shift implements HostFunction {
    private final String name;

    Shift(String name) {
      this.name = name;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    abstract int apply(int r, int i);

    @Override
    public final Object[] call(LuauThread L, Object[] a) {
      int r = u(a, 0, name);
      return out(apply(r, shiftArg(a, 1, name)));
    }

    @Override
    public final Object call2(LuauThread L, Object x, Object n) {
      int r = u(x, 0, name);
      return box(apply(r, MathLib.toInt(Args.number(n, 1, name))));
    }
  }

  /** bnot, countlz, countrz, byteswap: one value. */
  abstract static class Unary implements HostFunction {
    private final String name;

    Unary(String name) {
      this.name = name;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    abstract Object apply(int x);

    @Override
    public final Object[] call(LuauThread L, Object[] a) {
      return new Object[] {apply(u(a, 0, name))};
    }

    @Override
    public final Object call1(LuauThread L, Object x) {
      return apply(u(x, 0, name));
    }
  }

  /** Logical shift left for positive i, right for negative; 32 or more positions give 0. */
  static int shift(int r, long i) {
    if (i < 0) {
      return -i >= 32 ? 0 : r >>> (int) -i;
    }
    return i >= 32 ? 0 : r << (int) i;
  }

  static int arshift(int r, int i) {
    if (i < 0 || r >= 0) {
      return shift(r, -(long) i);
    }
    return i >= 32 ? -1 : r >> i;
  }

  private static int[] fieldArgs(Object[] a, int fi, String fname) {
    int f = MathLib.toInt(Args.checkNumber(a, fi, fname));
    int w = MathLib.toInt(Args.optNumber(a, fi + 1, fname, 1));
    if (f < 0) {
      throw Errors.badArgument(fi + 1, fname, "field cannot be negative");
    }
    if (w <= 0) {
      throw Errors.badArgument(fi + 2, fname, "width must be positive");
    }
    if (f + w > 32) { // in C int arithmetic, as Luau: a huge field wraps negative and passes (shifts mask it)
      throw LuauError.runtime("trying to access non-existent bits");
    }
    return new int[] {f, w};
  }

  /** Luau's mask(n): ~((ALLONES << 1) << (n - 1)), shift counts taken mod 32 as on x86. */
  private static int mask(int w) {
    return ~((-1 << 1) << (w - 1));
  }

  private static Object[] extract(LuauThread L, Object[] a) {
    int r = u(a, 0, "extract");
    int[] fw = fieldArgs(a, 1, "extract");
    return out((r >>> fw[0]) & mask(fw[1]));
  }

  private static Object[] replace(LuauThread L, Object[] a) {
    int r = u(a, 0, "replace");
    int v = u(a, 1, "replace");
    int[] fw = fieldArgs(a, 2, "replace");
    int m = mask(fw[1]);
    v &= m;
    return out((r & ~(m << fw[0])) | (v << fw[0]));
  }
}
