package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.NumberParser;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * The {@code integer} library for Luau's 64-bit {@code integer} type (Java {@code Long}): wrapping
 * arithmetic, signed and unsigned division and comparison, shifts, rotations and bit fields.
 */
public final class IntegerLib {

  private IntegerLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable t = new LuauTable(0, 48);
    StringLib.reg(t, "create", IntegerLib::create);
    StringLib.reg(t, "tonumber", (L, a) -> StringLib.one((double) i(a, 0, "tonumber")));
    StringLib.reg(t, "neg", (L, a) -> r(-i(a, 0, "neg")));
    StringLib.reg(t, "add", (L, a) -> r(i(a, 0, "add") + i(a, 1, "add")));
    StringLib.reg(t, "sub", (L, a) -> r(i(a, 0, "sub") - i(a, 1, "sub")));
    StringLib.reg(t, "mul", (L, a) -> r(i(a, 0, "mul") * i(a, 1, "mul")));
    StringLib.reg(t, "div", (L, a) -> r(div(i(a, 0, "div"), i(a, 1, "div"), false)));
    StringLib.reg(t, "idiv", (L, a) -> r(idiv(i(a, 0, "idiv"), i(a, 1, "idiv"))));
    StringLib.reg(t, "rem", IntegerLib::rem);
    StringLib.reg(t, "mod", IntegerLib::mod);
    StringLib.reg(t, "udiv", (L, a) -> r(Long.divideUnsigned(i(a, 0, "udiv"), nonZero(i(a, 1, "udiv")))));
    StringLib.reg(t, "urem", (L, a) -> r(Long.remainderUnsigned(i(a, 0, "urem"), nonZero(i(a, 1, "urem")))));
    StringLib.reg(t, "min", IntegerLib::min);
    StringLib.reg(t, "max", IntegerLib::max);
    StringLib.reg(t, "clamp", IntegerLib::clamp);
    StringLib.reg(t, "band", (L, a) -> r(and(a, "band")));
    StringLib.reg(t, "bor", IntegerLib::bor);
    StringLib.reg(t, "bxor", IntegerLib::bxor);
    StringLib.reg(t, "bnot", (L, a) -> r(~i(a, 0, "bnot")));
    StringLib.reg(t, "btest", (L, a) -> StringLib.one(and(a, "btest") != 0));
    StringLib.reg(t, "lt", (L, a) -> StringLib.one(i(a, 0, "lt") < i(a, 1, "lt")));
    StringLib.reg(t, "le", (L, a) -> StringLib.one(i(a, 0, "le") <= i(a, 1, "le")));
    StringLib.reg(t, "gt", (L, a) -> StringLib.one(i(a, 0, "gt") > i(a, 1, "gt")));
    StringLib.reg(t, "ge", (L, a) -> StringLib.one(i(a, 0, "ge") >= i(a, 1, "ge")));
    StringLib.reg(t, "ult", (L, a) -> StringLib.one(Long.compareUnsigned(i(a, 0, "ult"), i(a, 1, "ult")) < 0));
    StringLib.reg(t, "ule", (L, a) -> StringLib.one(Long.compareUnsigned(i(a, 0, "ule"), i(a, 1, "ule")) <= 0));
    StringLib.reg(t, "ugt", (L, a) -> StringLib.one(Long.compareUnsigned(i(a, 0, "ugt"), i(a, 1, "ugt")) > 0));
    StringLib.reg(t, "uge", (L, a) -> StringLib.one(Long.compareUnsigned(i(a, 0, "uge"), i(a, 1, "uge")) >= 0));
    StringLib.reg(t, "lshift", (L, a) -> r(shiftLeft(i(a, 0, "lshift"), i(a, 1, "lshift"))));
    StringLib.reg(t, "rshift", (L, a) -> r(shiftLeft(i(a, 0, "rshift"), -clampShift(i(a, 1, "rshift")))));
    StringLib.reg(t, "arshift", IntegerLib::arshift);
    StringLib.reg(t, "lrotate", (L, a) -> r(Long.rotateLeft(i(a, 0, "lrotate"), (int) (i(a, 1, "lrotate") & 63))));
    StringLib.reg(t, "rrotate", (L, a) -> r(Long.rotateRight(i(a, 0, "rrotate"), (int) (i(a, 1, "rrotate") & 63))));
    StringLib.reg(t, "extract", IntegerLib::extract);
    StringLib.reg(t, "replace", IntegerLib::replace);
    StringLib.reg(t, "countrz", (L, a) -> r(Long.numberOfTrailingZeros(i(a, 0, "countrz"))));
    StringLib.reg(t, "countlz", (L, a) -> r(Long.numberOfLeadingZeros(i(a, 0, "countlz"))));
    StringLib.reg(t, "bswap", (L, a) -> r(Long.reverseBytes(i(a, 0, "bswap"))));
    StringLib.reg(t, "fromstring", IntegerLib::fromstring);
    t.rawset(LuauString.of("maxsigned"), Long.MAX_VALUE);
    t.rawset(LuauString.of("minsigned"), Long.MIN_VALUE);
    globals.rawset(LuauString.of("integer"), t);
  }

  /** luaL_checkinteger64: the argument must be an integer value, not a number. */
  static long i(Object[] a, int k, String fname) {
    if (k < a.length && a[k] instanceof Long l) {
      return l;
    }
    throw k >= a.length ? Errors.typeMismatchMissing(k + 1, fname, "integer") : Errors.typeMismatch(k + 1, fname, "integer", a[k]);
  }

  private static Object[] r(long v) {
    return new Object[] {v};
  }

  private static long nonZero(long b) {
    if (b == 0) {
      throw LuauError.runtime("division by zero");
    }
    return b;
  }

  private static Object[] create(LuauThread L, Object[] a) {
    double x = Args.checkNumber(a, 0, "create");
    if (x >= -9.223372036854775808E18 && x < 9.223372036854775808E18) {
      long l = (long) x;
      if ((double) l == x) {
        return r(l);
      }
    }
    return StringLib.one(null);
  }

  private static Object[] fromstring(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "fromstring").bytes();
    long base = Args.optInteger(a, 1, "fromstring", 10);
    if (base < 2 || base > 36) {
      throw Errors.badArgument(2, "fromstring", "base out of range");
    }
    return StringLib.one(NumberParser.integerFromString(s, (int) base));
  }

  /**
   * integer.idiv as Luau 0.735 computes it (checked against the reference CLI): the truncated quotient, one less
   * when it is negative and inexact. So a quotient between -1 and 0 stays 0 (idiv(1i, -7i) is 0, not floor's -1).
   */
  private static long idiv(long a, long b) {
    long q = div(a, b, false);
    return q < 0 && q * b != a ? q - 1 : q;
  }

  private static long div(long a, long b, boolean floor) {
    nonZero(b);
    if (a == Long.MIN_VALUE && b == -1) {
      throw LuauError.runtime("integer overflow");
    }
    return floor ? Math.floorDiv(a, b) : a / b;
  }

  private static Object[] rem(LuauThread L, Object[] a) {
    long x = i(a, 0, "rem");
    long y = nonZero(i(a, 1, "rem"));
    return r(y == -1 ? 0 : x % y);
  }

  private static Object[] mod(LuauThread L, Object[] a) {
    long x = i(a, 0, "mod");
    long y = nonZero(i(a, 1, "mod"));
    return r(y == -1 ? 0 : Math.floorMod(x, y));
  }

  private static Object[] min(LuauThread L, Object[] a) {
    long m = i(a, 0, "min");
    for (int k = 1; k < a.length; k++) {
      m = Math.min(m, i(a, k, "min"));
    }
    return r(m);
  }

  private static Object[] max(LuauThread L, Object[] a) {
    long m = i(a, 0, "max");
    for (int k = 1; k < a.length; k++) {
      m = Math.max(m, i(a, k, "max"));
    }
    return r(m);
  }

  private static Object[] clamp(LuauThread L, Object[] a) {
    long v = i(a, 0, "clamp");
    long lo = i(a, 1, "clamp");
    long hi = i(a, 2, "clamp");
    if (lo > hi) {
      throw Errors.badArgument(3, "clamp", "max must be greater than or equal to min");
    }
    return r(v < lo ? lo : v > hi ? hi : v);
  }

  private static long and(Object[] a, String fname) {
    long r = -1;
    for (int k = 0; k < a.length; k++) {
      r &= i(a, k, fname);
    }
    return r;
  }

  private static Object[] bor(LuauThread L, Object[] a) {
    long r = 0;
    for (int k = 0; k < a.length; k++) {
      r |= i(a, k, "bor");
    }
    return r(r);
  }

  private static Object[] bxor(LuauThread L, Object[] a) {
    long r = 0;
    for (int k = 0; k < a.length; k++) {
      r ^= i(a, k, "bxor");
    }
    return r(r);
  }

  /** Keeps a shift count negatable without overflow; anything past +-63 behaves alike. */
  private static long clampShift(long i) {
    return Math.max(-64, Math.min(64, i));
  }

  /** Logical shift: left for positive counts, right for negative; beyond 63 positions gives 0. */
  private static long shiftLeft(long n, long i) {
    if (i >= -63 && i <= 63) {
      return i < 0 ? n >>> -i : n << i;
    }
    return 0;
  }

  private static Object[] arshift(LuauThread L, Object[] a) {
    long n = i(a, 0, "arshift");
    long s = i(a, 1, "arshift");
    if (s >= -63 && s <= 63) {
      return r(s < 0 ? n << -s : n >> s);
    }
    return r(s < -63 ? 0 : (n < 0 ? -1 : 0));
  }

  private static long mask(long w) {
    return w >= 64 ? -1L : (1L << w) - 1;
  }

  private static Object[] extract(LuauThread L, Object[] a) {
    long n = i(a, 0, "extract");
    long f = i(a, 1, "extract");
    long w = a.length > 2 && a[2] != null ? i(a, 2, "extract") : 1;
    checkField(f, w, 2, "extract");
    return r((n >>> f) & mask(w));
  }

  private static Object[] replace(LuauThread L, Object[] a) {
    long n = i(a, 0, "replace");
    long v = i(a, 1, "replace");
    long f = i(a, 2, "replace");
    long w = a.length > 3 && a[3] != null ? i(a, 3, "replace") : 1;
    checkField(f, w, 3, "replace");
    long m = mask(w);
    return r((n & ~(m << f)) | ((v & m) << f));
  }

  private static void checkField(long f, long w, int fieldArg, String fname) {
    if (!(0 <= f && f <= 63)) {
      throw Errors.badArgument(fieldArg, fname, "field cannot be negative");
    }
    if (!(0 < w)) {
      throw Errors.badArgument(fieldArg + 1, fname, "width must be positive");
    }
    if (f + w > 64) {
      throw LuauError.runtime("trying to access non-existent bits");
    }
  }
}
