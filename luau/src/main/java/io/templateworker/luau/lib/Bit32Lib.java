package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
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
    StringLib.reg(b, "arshift", Bit32Lib::arshift);
    StringLib.reg(b, "band", (L, a) -> out(and(a, "band")));
    StringLib.reg(b, "bnot", (L, a) -> out(~u(a, 0, "bnot")));
    StringLib.reg(b, "bor", Bit32Lib::bor);
    StringLib.reg(b, "btest", (L, a) -> StringLib.one(and(a, "btest") != 0));
    StringLib.reg(b, "bxor", Bit32Lib::bxor);
    StringLib.reg(b, "extract", Bit32Lib::extract);
    StringLib.reg(b, "lrotate", (L, a) -> out(Integer.rotateLeft(u(a, 0, "lrotate"), shiftArg(a, 1, "lrotate"))));
    StringLib.reg(b, "lshift", (L, a) -> out(shift(u(a, 0, "lshift"), shiftArg(a, 1, "lshift"))));
    StringLib.reg(b, "replace", Bit32Lib::replace);
    StringLib.reg(b, "rrotate", (L, a) -> out(Integer.rotateRight(u(a, 0, "rrotate"), shiftArg(a, 1, "rrotate"))));
    StringLib.reg(b, "rshift", (L, a) -> out(shift(u(a, 0, "rshift"), -(long) shiftArg(a, 1, "rshift"))));
    StringLib.reg(b, "countlz", (L, a) -> StringLib.one((double) Integer.numberOfLeadingZeros(u(a, 0, "countlz"))));
    StringLib.reg(b, "countrz", (L, a) -> StringLib.one((double) Integer.numberOfTrailingZeros(u(a, 0, "countrz"))));
    StringLib.reg(b, "byteswap", (L, a) -> out(Integer.reverseBytes(u(a, 0, "byteswap"))));
    globals.rawset(LuauString.of("bit32"), b);
  }

  /** luaL_checkunsigned: through long long, then the low 32 bits. */
  static int u(Object[] a, int i, String fname) {
    return (int) StringPack.toLong(Args.checkNumber(a, i, fname));
  }

  private static int shiftArg(Object[] a, int i, String fname) {
    return MathLib.toInt(Args.checkNumber(a, i, fname));
  }

  static Object[] out(int v) {
    return new Object[] {(double) (v & 0xFFFFFFFFL)};
  }

  private static int and(Object[] a, String fname) {
    int r = -1;
    for (int i = 0; i < a.length; i++) {
      r &= u(a, i, fname);
    }
    return r;
  }

  private static Object[] bor(LuauThread L, Object[] a) {
    int r = 0;
    for (int i = 0; i < a.length; i++) {
      r |= u(a, i, "bor");
    }
    return out(r);
  }

  private static Object[] bxor(LuauThread L, Object[] a) {
    int r = 0;
    for (int i = 0; i < a.length; i++) {
      r ^= u(a, i, "bxor");
    }
    return out(r);
  }

  /** Logical shift left for positive i, right for negative; 32 or more positions give 0. */
  static int shift(int r, long i) {
    if (i < 0) {
      return -i >= 32 ? 0 : r >>> (int) -i;
    }
    return i >= 32 ? 0 : r << (int) i;
  }

  private static Object[] arshift(LuauThread L, Object[] a) {
    int r = u(a, 0, "arshift");
    int i = shiftArg(a, 1, "arshift");
    if (i < 0 || r >= 0) {
      return out(shift(r, -(long) i));
    }
    return out(i >= 32 ? -1 : r >> i);
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
    if ((long) f + w > 32) {
      throw LuauError.runtime("trying to access non-existent bits");
    }
    return new int[] {f, w};
  }

  private static int mask(int w) {
    return w >= 32 ? -1 : (1 << w) - 1;
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
