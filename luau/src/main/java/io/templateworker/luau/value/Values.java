package io.templateworker.luau.value;

import io.templateworker.luau.vm.LuauThread;

/** Static helpers over Luau values: type names, truthiness, raw equality, number formatting and coercion. */
public final class Values {
  private Values() {
  }

  public static String typeName(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof Double) {
      return "number";
    }
    if (v instanceof LuauString) {
      return "string";
    }
    if (v instanceof LuauTable) {
      return "table";
    }
    if (v instanceof LuauFunction) {
      return "function";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Long) {
      return "integer";
    }
    if (v instanceof LuauUserdata) {
      return "userdata";
    }
    if (v instanceof LuauThread) {
      return "thread";
    }
    if (v instanceof LuauBuffer) {
      return "buffer";
    }
    if (v instanceof LuauVector) {
      return "vector";
    }
    return "userdata";
  }

  public static boolean isTruthy(Object v) {
    return v != null && v != Boolean.FALSE;
  }

  /** Equality without metamethods: numbers by value, strings by content, the rest by identity. */
  public static boolean rawEquals(Object a, Object b) {
    if (a instanceof Double x) { // before the identity check: a NaN is unequal even to itself
      return b instanceof Double y && x.doubleValue() == y.doubleValue();
    }
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof LuauString || a instanceof Long || a instanceof Boolean || a instanceof LuauVector) {
      return a.equals(b);
    }
    return false;
  }

  /**
   * Luau's number formatting: the shortest decimal that round-trips, fixed notation when the decimal point
   * falls within [-5, 21] digits, else scientific ("1e+100"); integral values have no ".0".
   */
  /**
   * The one-digit form of a two-digit {@code digits} (point after {@code dot} digits) that parses back to
   * {@code a}; of two such forms the one nearer the exact value (4.94e-324 prints as 5e-324, not 4e-324).
   */
  private static String oneDigit(double a, String digits, int dot) {
    int first = digits.charAt(0) - '0';
    int exp = dot - 1; // value = d.d x 10^exp
    java.math.BigDecimal exact = new java.math.BigDecimal(a);
    String best = null;
    java.math.BigDecimal bestDistance = null;
    for (int c = first; c <= first + 1; c++) {
      String candidate = Integer.toString(c);
      if (Double.parseDouble(candidate + "E" + exp) == a) {
        java.math.BigDecimal distance = new java.math.BigDecimal(candidate + "E" + exp).subtract(exact).abs();
        if (best == null || distance.compareTo(bestDistance) < 0) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  public static String numberToString(double d) {
    if (d != d) {
      return "nan";
    }
    if (d == Double.POSITIVE_INFINITY) {
      return "inf";
    }
    if (d == Double.NEGATIVE_INFINITY) {
      return "-inf";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    long asLong = (long) d;
    if (asLong == d && asLong > -(1L << 53) && asLong < (1L << 53)) {
      return Long.toString(asLong);
    }
    // Double.toString gives the shortest round-trip digits (JDK 19+); re-layout them Luau's way
    String s = Double.toString(Math.abs(d));
    int e = s.indexOf('E');
    String mant = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dotIdx = mant.indexOf('.');
    String digits = mant.substring(0, dotIdx) + mant.substring(dotIdx + 1);
    int dot = dotIdx + exp;
    // strip leading zeros (e.g. "0.001" -> digits "0001")
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    digits = digits.substring(lead);
    dot -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits = digits.substring(0, end);
    if (digits.length() == 2) {
      // Java prints at least two digits ("4.9E-324"); where one digit also reads back exactly (only among the
      // smallest subnormals) it is the shortest form Luau prints: "5e-324"
      String one = oneDigit(Math.abs(d), digits, dot);
      if (one != null) {
        digits = one;
        dot = dot + (one.length() - 1); // "10" from rounding 9.x up moves the point
        digits = digits.substring(0, 1);
      }
    }
    int n = digits.length();
    StringBuilder b = new StringBuilder(24);
    if (d < 0) {
      b.append('-');
    }
    if (dot >= -5 && dot <= 21) {
      if (dot <= 0) {
        b.append("0.");
        for (int i = 0; i < -dot; i++) {
          b.append('0');
        }
        b.append(digits);
      } else if (dot >= n) {
        b.append(digits);
        for (int i = n; i < dot; i++) {
          b.append('0');
        }
      } else {
        b.append(digits, 0, dot).append('.').append(digits, dot, n);
      }
    } else {
      b.append(digits.charAt(0));
      if (n > 1) {
        b.append('.').append(digits, 1, n);
      }
      int x = dot - 1;
      b.append('e').append(x < 0 ? '-' : '+');
      int ax = Math.abs(x);
      if (ax < 10) {
        b.append('0');
      }
      b.append(ax);
    }
    return b.toString();
  }

  /**
   * A number, or a string that converts to one (Luau's arithmetic coercion: C's strtod, see
   * {@link NumberParser}); null otherwise.
   */
  public static Double toNumber(Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof LuauString s) {
      return NumberParser.str2d(s.bytes());
    }
    return null;
  }

  /** A string, or a number converted to its string form (Luau's concatenation coercion); null otherwise. */
  public static LuauString toLuauString(Object v) {
    if (v instanceof LuauString s) {
      return s;
    }
    if (v instanceof Double d) {
      return LuauString.of(numberToString(d));
    }
    if (v instanceof Long l) {
      return LuauString.of(Long.toString(l));
    }
    return null;
  }
}
