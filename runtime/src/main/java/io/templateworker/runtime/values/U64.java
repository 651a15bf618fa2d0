package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;

/**
 * An unsigned 64-bit integer ({@code U64}), held in a long's bits: what a KhronosValue {@code UnsignedInteger}
 * becomes in Luau (a Discord snowflake fits). Wrapping arithmetic and unsigned comparisons as upstream's; operands
 * may be U64s, non-negative whole numbers, decimal strings or non-negative I64s. Byte conversions and
 * {@code to_i64} as {@link I64}'s.
 */
public final class U64 {
  public static final UserdataType<U64> TYPE = Int64Ops.arithmetic(UserdataType.builder("U64", U64.class), U64::fromOperand,
          U64::wrap, false)
      .method("to_i64", (L, self, a) -> {
        if (self.bits < 0) {
          throw LuauError.runtime("Value is too large to convert to i64");
        }
        return new Object[] {I64.wrap(self.bits)};
      })
      .method("to_le_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.bits, false)})
      .method("to_ne_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.bits, false)})
      .method("to_be_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.bits, true)})
      .field("from_le_bytes", self -> Holder.FROM_LE)
      .field("from_ne_bytes", self -> Holder.FROM_LE)
      .field("from_be_bytes", self -> Holder.FROM_BE)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(Long.toUnsignedString(U64.TYPE.check(a, 0, "__tostring").bits))})
      .build();

  /** Created after TYPE (they wrap into it). */
  private static final class Holder {
    static final Object FROM_LE = Int64Ops.fromBytes("from_le_bytes", false, U64::wrap);
    static final Object FROM_BE = Int64Ops.fromBytes("from_be_bytes", true, U64::wrap);
  }

  private final long bits;

  private U64(long bits) {
    this.bits = bits;
  }

  /** The unsigned value's bits (negative when ≥ 2^63). */
  public long bits() {
    return bits;
  }

  public static LuauUserdata wrap(long bits) {
    return U64.TYPE.wrap(new U64(bits));
  }

  /** Argument {@code i} as upstream converts it to a u64 (errors name the parameter). */
  public static long toBits(Object[] a, int i, String fname, String param) {
    Object v = HostArgs.arg(a, i);
    Long l = fromOperand(v);
    if (l != null) {
      return l;
    }
    throw HostArgs.bad(i, fname, param, (v instanceof LuauString || v instanceof Double
        ? "Value must be a non-negative integer" : "Value must be a non-negative integer or a string")
        + ", got " + (v instanceof Double d ? Double.toString(d) : HostArgs.typeName(v)));
  }

  static Long fromOperand(Object v) {
    if (v instanceof Double d) {
      Long l = HostArgs.wholeOrNull(d);
      return l != null && l >= 0 ? l : null;
    }
    if (v instanceof Long l) {
      return l >= 0 ? l : null;
    }
    if (v instanceof LuauString s) {
      try {
        return Long.parseUnsignedLong(s.toString().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (U64.TYPE.is(v)) {
      return ((U64) ((LuauUserdata) v).payload()).bits;
    }
    if (I64.TYPE.is(v)) {
      long x = ((I64) ((LuauUserdata) v).payload()).value();
      return x >= 0 ? x : null;
    }
    return null;
  }
}
