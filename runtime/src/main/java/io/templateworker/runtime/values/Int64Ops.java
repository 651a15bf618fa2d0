package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import java.util.function.LongBinaryOperator;

/** Shared by {@link I64} and {@link U64}: wrapping operators, comparisons and byte conversions over a long's bits. */
final class Int64Ops {
  private Int64Ops() {
  }

  /** A value as the type's 64 bits, or null when it is not convertible. */
  interface FromOperand {
    Long apply(Object v);
  }

  interface Wrap {
    LuauUserdata apply(long v);
  }

  static <T> UserdataType.Builder<T> arithmetic(UserdataType.Builder<T> b, FromOperand conv, Wrap wrap, boolean signed) {
    return b
        .metamethod("__add", binary("add", conv, wrap, Long::sum))
        .metamethod("__sub", binary("sub", conv, wrap, (x, y) -> x - y))
        .metamethod("__mul", binary("mul", conv, wrap, (x, y) -> x * y))
        .metamethod("__div", binary("div", conv, wrap, (x, y) -> divide(x, y, signed)))
        .metamethod("__idiv", binary("idiv", conv, wrap, (x, y) -> divide(x, y, signed)))
        .metamethod("__mod", binary("mod", conv, wrap, (x, y) -> remainder(x, y, signed)))
        .metamethod("__pow", (L, a) -> {
          long base = operand(a, 0, "pow", conv);
          long exp = HostArgs.integer(a, 1, "__pow", "exponent", 0, 0xffff_ffffL);
          return new Object[] {wrap.apply(wrappingPow(base, exp))};
        })
        .metamethod("__eq", (L, a) -> {
          Long x = conv.apply(HostArgs.arg(a, 0));
          Long y = conv.apply(HostArgs.arg(a, 1));
          return new Object[] {x != null && y != null && x.longValue() == y.longValue()};
        })
        .metamethod("__lt", (L, a) -> new Object[] {compare(operand(a, 0, "lt", conv), operand(a, 1, "lt", conv), signed) < 0})
        .metamethod("__le", (L, a) -> new Object[] {compare(operand(a, 0, "le", conv), operand(a, 1, "le", conv), signed) <= 0});
  }

  private static int compare(long x, long y, boolean signed) {
    return signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
  }

  private static HostFunction binary(String op, FromOperand conv, Wrap wrap, LongBinaryOperator f) {
    return (L, a) -> new Object[] {wrap.apply(f.applyAsLong(operand(a, 0, op, conv), operand(a, 1, op, conv)))};
  }

  private static long operand(Object[] a, int i, String op, FromOperand conv) {
    Long v = conv.apply(HostArgs.arg(a, i));
    if (v == null) {
      throw LuauError.runtime("attempt to perform arithmetic (" + op + ") on " + HostArgs.typeName(HostArgs.arg(a, 0))
          + " and " + HostArgs.typeName(HostArgs.arg(a, 1)) + " (operand #" + (i + 1) + " is not a valid 64-bit integer)");
    }
    return v;
  }

  private static long divide(long x, long y, boolean signed) {
    if (y == 0) {
      throw LuauError.runtime("attempt to divide by zero");
    }
    if (!signed) {
      return Long.divideUnsigned(x, y);
    }
    return y == -1 ? -x : x / y; // wrapping: MIN / -1 == MIN
  }

  private static long remainder(long x, long y, boolean signed) {
    if (y == 0) {
      throw LuauError.runtime("attempt to calculate the remainder with a divisor of zero");
    }
    if (!signed) {
      return Long.remainderUnsigned(x, y);
    }
    return y == -1 ? 0 : x % y;
  }

  /** base^exp with wrap-around (two's complement multiplication is the same signed and unsigned). */
  private static long wrappingPow(long base, long exp) {
    long result = 1;
    long b = base;
    long e = exp;
    while (e > 0) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
      e >>>= 1;
    }
    return result;
  }

  static LuauTable bytes(long v, boolean bigEndian) {
    LuauTable t = new LuauTable(8, 0);
    for (int k = 0; k < 8; k++) {
      int shift = bigEndian ? 56 - 8 * k : 8 * k;
      t.rawset(k + 1, (Object) (double) ((v >>> shift) & 0xff));
    }
    return t;
  }

  /** A from_*_bytes function, callable as {@code x.from_le_bytes(t)} and {@code x:from_le_bytes(t)}. */
  static LuauFunction fromBytes(String fname, boolean bigEndian, Wrap wrap) {
    return LuauFunction.host(fname, (L, a) -> {
      int i = HostArgs.arg(a, 0) instanceof LuauTable ? 0 : 1;
      LuauTable t = HostArgs.table(a, i, fname, "bytes");
      if (t.length() != 8) {
        throw LuauError.runtime("Byte array must be of length 8");
      }
      long v = 0;
      for (int k = 0; k < 8; k++) {
        long b = HostArgs.integer(new Object[] {t.rawget(k + 1)}, 0, fname, "bytes[" + (k + 1) + "]", 0, 255);
        v |= b << (bigEndian ? 56 - 8 * k : 8 * k);
      }
      return new Object[] {wrap.apply(v)};
    });
  }
}
