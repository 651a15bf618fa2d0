package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;

/**
 * A signed 64-bit integer ({@code I64}), exact where a Luau number is not (beyond ±(2^53−1)). Arithmetic wraps
 * around as upstream's; either operand may be an I64, a U64 that fits, a whole number or a decimal string.
 * Byte conversions ({@code to_le_bytes} → a table of 8 numbers, {@code from_le_bytes} (also be/ne: ne is
 * little-endian here)), {@code to_u64}.
 */
public final class I64 {
  public static final UserdataType<I64> TYPE = Int64Ops.arithmetic(UserdataType.builder("I64", I64.class), I64::fromOperand,
          I64::wrap, true)
      .method("to_u64", (L, self, a) -> {
        if (self.value < 0) {
          throw LuauError.runtime("Value is negative, cannot convert to u64");
        }
        return new Object[] {U64.wrap(self.value)};
      })
      .method("to_le_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.value, false)})
      .method("to_ne_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.value, false)})
      .method("to_be_bytes", (L, self, a) -> new Object[] {Int64Ops.bytes(self.value, true)})
      .field("from_le_bytes", self -> Holder.FROM_LE)
      .field("from_ne_bytes", self -> Holder.FROM_LE)
      .field("from_be_bytes", self -> Holder.FROM_BE)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(Long.toString(I64.TYPE.check(a, 0, "__tostring").value))})
      .metamethod("__unm", (L, a) -> new Object[] {wrap(-I64.TYPE.check(a, 0, "__unm").value)})
      .build();

  /** Created after TYPE (they wrap into it). */
  private static final class Holder {
    static final Object FROM_LE = Int64Ops.fromBytes("from_le_bytes", false, I64::wrap);
    static final Object FROM_BE = Int64Ops.fromBytes("from_be_bytes", true, I64::wrap);
  }

  private final long value;

  private I64(long value) {
    this.value = value;
  }

  public long value() {
    return value;
  }

  public static LuauUserdata wrap(long value) {
    return I64.TYPE.wrap(new I64(value));
  }

  /**
   * Argument {@code i} as upstream converts it to an i64: a whole number, a decimal string, an I64, or a U64
   * up to 2^63−1. Errors name the parameter.
   */
  public static long toLong(Object[] a, int i, String fname, String param) {
    Object v = HostArgs.arg(a, i);
    Long l = fromOperand(v);
    if (l != null) {
      return l;
    }
    if (U64.TYPE.is(v)) {
      throw HostArgs.bad(i, fname, param, "Value is too large to convert to i64");
    }
    throw HostArgs.bad(i, fname, param, (v instanceof LuauString ? "Value must be an integer"
        : "Value must be an integer or a string") + ", got " + HostArgs.typeName(v));
  }

  /** The i64 of a value, or null when it is not one. */
  static Long fromOperand(Object v) {
    if (v instanceof Double d) {
      return HostArgs.wholeOrNull(d);
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof LuauString s) {
      try {
        return Long.parseLong(s.toString().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (I64.TYPE.is(v)) {
      return ((I64) ((LuauUserdata) v).payload()).value;
    }
    if (U64.TYPE.is(v)) {
      long bits = ((U64) ((LuauUserdata) v).payload()).bits();
      return bits >= 0 ? bits : null;
    }
    return null;
  }
}
