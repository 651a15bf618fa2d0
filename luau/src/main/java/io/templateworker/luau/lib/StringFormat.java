package io.templateworker.luau.lib;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Ops;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code string.format}: C printf conversions as Luau applies them (64-bit integers, glibc-style
 * floating point output, {@code %q} and Luau's {@code %*}).
 *
 * <p>Conversions: {@code %c %d %i %u %o %x %X %e %E %f %g %G %q %s %*} and {@code %%}; flags
 * {@code - + space # 0}; width and precision of at most two digits each. Like Luau, {@code %a}
 * and every other letter is rejected with "invalid option '%a' to 'format'".
 */
public final class StringFormat {

  private static final int F_MINUS = 1;
  private static final int F_PLUS = 2;
  private static final int F_SPACE = 4;
  private static final int F_HASH = 8;
  private static final int F_ZERO = 16;
  /** Luau keeps %s arguments this long verbatim when no precision is given. */
  private static final int LONG_STRING = 100;
  private static final double TWO_POW_63 = 9.223372036854775808E18;
  private static final double TWO_POW_64 = 1.8446744073709551616E19;

  private StringFormat() {
  }

  /** Formats args[1..] by the format string args[0]. */
  public static LuauString format(LuauThread L, Object[] args) {
    byte[] fmt = Args.checkString(args, 0, "format").bytes();
    int end = fmt.length;
    ByteBuilder out = new ByteBuilder(L, end + 16);
    int arg = 0;
    int i = 0;
    while (i < end) {
      int c = fmt[i++] & 0xFF;
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i < end && fmt[i] == '%') {
        out.append('%');
        i++;
        continue;
      }
      if (i < end && fmt[i] == '*') {
        i++;
        if (++arg >= args.length) {
          throw LuauError.runtime("missing argument #" + (arg + 1));
        }
        out.append(Ops.tostring(L, args[arg]));
        continue;
      }
      if (++arg >= args.length) {
        throw LuauError.runtime("missing argument #" + (arg + 1));
      }
      // flags, then at most two digits of width and of precision
      int specStart = i;
      int flags = 0;
      while (i < end) {
        int f = fmt[i];
        int bit = f == '-' ? F_MINUS : f == '+' ? F_PLUS : f == ' ' ? F_SPACE : f == '#' ? F_HASH : f == '0' ? F_ZERO : 0;
        if (bit == 0) {
          break;
        }
        flags |= bit;
        i++;
      }
      if (i - specStart >= 6) {
        throw LuauError.runtime("invalid format (repeated flags)");
      }
      int width = 0;
      for (int k = 0; k < 2 && i < end && isDigit(fmt[i]); k++) {
        width = width * 10 + (fmt[i++] - '0');
      }
      int precision = -1;
      if (i < end && fmt[i] == '.') {
        i++;
        precision = 0;
        for (int k = 0; k < 2 && i < end && isDigit(fmt[i]); k++) {
          precision = precision * 10 + (fmt[i++] - '0');
        }
      }
      if (i < end && isDigit(fmt[i])) {
        throw LuauError.runtime("invalid format (width or precision too long)");
      }
      boolean hasForm = i != specStart;
      int conv = i < end ? fmt[i++] & 0xFF : 0;
      switch (conv) {
        case 'c' -> {
          // Luau keeps the byte even when it is NUL (it copies snprintf's count, not strlen); the number is cast
          // to a C int (out of range: INT_MIN, so string.format("%c", 1e300) is "\0")
          byte[] one = {(byte) MathLib.toInt(Args.checkNumber(args, arg, "format"))};
          pad(out, one, width, flags & F_MINUS);
        }
        case 'd', 'i' -> {
          if (!hasForm) {
            long v = toLong(args, arg);
            out.appendAscii(Long.toString(v)); // plain %d: the common case, no padding rules to apply
          } else {
            formatSigned(out, toLong(args, arg), flags, width, precision);
          }
        }
        case 'o', 'u', 'x', 'X' -> formatUnsigned(out, toUnsigned(args, arg), conv, flags, width, precision);
        case 'e', 'E', 'f', 'g', 'G' ->
            formatFloat(out, Args.checkNumber(args, arg, "format"), conv, flags, width, precision);
        case 'q' -> addQuoted(out, Args.checkString(args, arg, "format").bytes());
        case 's' -> {
          byte[] s = Args.checkString(args, arg, "format").bytes();
          if (!hasForm || (precision < 0 && s.length >= LONG_STRING)) {
            out.append(s);
          } else {
            int n = precision < 0 ? s.length : Math.min(precision, s.length);
            // snprintf stops at an embedded NUL
            for (int k = 0; k < n; k++) {
              if (s[k] == 0) {
                n = k;
                break;
              }
            }
            byte[] body = n == s.length ? s : java.util.Arrays.copyOf(s, n);
            pad(out, body, width, flags & F_MINUS);
          }
        }
        case '*' -> throw LuauError.runtime("'%*' does not take a form");
        // Luau's message is a C string: a NUL option ends it ("%" at the end of the format reads the NUL)
        default -> throw LuauError.runtime(conv == 0 ? "invalid option '%" : "invalid option '%" + (char) conv + "' to 'format'");
      }
    }
    return out.toLuauString();
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** C's (long long) cast of the argument; out-of-range and NaN give LLONG_MIN as on x86. */
  private static long toLong(Object[] args, int arg) {
    if (args[arg] instanceof Long l) {
      return l;
    }
    double v = Args.checkNumber(args, arg, "format");
    if (v >= -TWO_POW_63 && v < TWO_POW_63) {
      return (long) v;
    }
    return Long.MIN_VALUE;
  }

  /** Luau converts negative values through long long, others directly to unsigned long long. */
  private static long toUnsigned(Object[] args, int arg) {
    if (args[arg] instanceof Long l) {
      return l;
    }
    double v = Args.checkNumber(args, arg, "format");
    if (v < 0 || v != v) { // NaN too: x86 converts it to 0x8000000000000000
      return v >= -TWO_POW_63 ? (long) v : Long.MIN_VALUE;
    }
    if (v < TWO_POW_63) {
      return (long) v;
    }
    if (v < TWO_POW_64) {
      return ((long) (v - TWO_POW_63)) ^ Long.MIN_VALUE;
    }
    return 0;
  }

  static void formatSigned(ByteBuilder out, long v, int flags, int width, int precision) {
    String digits = v < 0 ? Long.toUnsignedString(-v) : Long.toString(v);
    String sign = v < 0 ? "-" : (flags & F_PLUS) != 0 ? "+" : (flags & F_SPACE) != 0 ? " " : "";
    emitInteger(out, sign, "", digits, v == 0, false, flags, width, precision);
  }

  static void formatUnsigned(ByteBuilder out, long u, int conv, int flags, int width, int precision) {
    String digits;
    String prefix = "";
    switch (conv) {
      case 'o' -> digits = Long.toOctalString(u);
      case 'x' -> {
        digits = Long.toHexString(u);
        if ((flags & F_HASH) != 0 && u != 0) {
          prefix = "0x";
        }
      }
      case 'X' -> {
        digits = Long.toHexString(u).toUpperCase();
        if ((flags & F_HASH) != 0 && u != 0) {
          prefix = "0X";
        }
      }
      default -> digits = Long.toUnsignedString(u);
    }
    emitInteger(out, "", prefix, digits, u == 0, conv == 'o' && (flags & F_HASH) != 0, flags, width, precision);
  }

  private static void emitInteger(ByteBuilder out, String sign, String prefix, String digits, boolean zero,
                  boolean leadingZero, int flags, int width, int precision) {
    if (precision >= 0) {
      if (precision == 0 && zero) {
        digits = "";
      }
      if (digits.length() < precision) {
        digits = "0".repeat(precision - digits.length()) + digits;
      }
      flags &= ~F_ZERO; // a precision disables zero padding for integers
    }
    if (leadingZero && (digits.isEmpty() || digits.charAt(0) != '0')) {
      digits = "0" + digits; // '#' with %o: the number starts with 0
    }
    emit(out, sign, prefix, digits, flags, width, true);
  }

  static void formatFloat(ByteBuilder out, double v, int conv, int flags, int width, int precision) {
    boolean negative = (Double.doubleToRawLongBits(v) < 0);
    String sign = negative ? "-" : (flags & F_PLUS) != 0 ? "+" : (flags & F_SPACE) != 0 ? " " : "";
    boolean upper = conv == 'E' || conv == 'G';
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      String body = Double.isNaN(v) ? "nan" : "inf";
      emit(out, sign, "", upper ? body.toUpperCase() : body, flags, width, false);
      return;
    }
    double a = Math.abs(v);
    int prec = precision < 0 ? 6 : precision;
    boolean hash = (flags & F_HASH) != 0;
    String body = switch (conv) {
      case 'f' -> fixed(a, prec, hash);
      case 'e', 'E' -> scientific(a, prec, hash, upper);
      default -> general(a, prec, hash, upper);
    };
    emit(out, sign, "", body, flags, width, true);
  }

  static String fixed(double a, int prec, boolean hash) {
    String s = fastFixed(a, prec);
    if (s == null) {
      s = (a == 0 ? BigDecimal.ZERO : new BigDecimal(a)).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
    }
    return prec == 0 && hash ? s + "." : s;
  }

  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
      1e14, 1e15};
  /** Scaled values stay below this, so their ulp is at most 1/4 and the rounding test below is sound. */
  private static final double FAST_LIMIT = 0x1p50;

  /**
   * %.Nf without big decimals when the answer is certain: a * 10^N is computed with one rounding error of at
   * most one ulp, so if it lies further than that from a rounding midpoint, rounding it gives the same
   * digits as rounding the exact value. Returns null when the slow exact path is needed.
   */
  static String fastFixed(double a, int prec) {
    if (prec >= POW10.length) {
      return null;
    }
    double scaled = a * POW10[prec];
    if (!(scaled < FAST_LIMIT)) {
      return null;
    }
    double floor = Math.floor(scaled);
    double frac = scaled - floor;
    if (Math.abs(frac - 0.5) <= 2 * Math.ulp(scaled)) {
      return null; // too close to a tie to decide from the rounded product
    }
    long digits = (long) floor + (frac > 0.5 ? 1 : 0);
    String text = Long.toString(digits);
    if (prec == 0) {
      return text;
    }
    if (text.length() <= prec) {
      text = "0".repeat(prec + 1 - text.length()) + text;
    }
    int point = text.length() - prec;
    return text.substring(0, point) + "." + text.substring(point);
  }

  /** Significant digits (exactly n) and the decimal exponent of the first one, for a > 0. */
  private static String[] roundSignificant(double a, int n) {
    BigDecimal bd = new BigDecimal(a).round(new MathContext(n, RoundingMode.HALF_EVEN));
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    if (digits.length() > n) {
      // unscaled value carried trailing zeros (e.g. 1E+2 stored as 100)
      digits = digits.substring(0, n);
    } else if (digits.length() < n) {
      digits = digits + "0".repeat(n - digits.length());
    }
    return new String[]{digits, Integer.toString(exp)};
  }

  static String scientific(double a, int prec, boolean hash, boolean upper) {
    String digits;
    int exp;
    if (a == 0) {
      digits = "0".repeat(prec + 1);
      exp = 0;
    } else {
      String[] r = roundSignificant(a, prec + 1);
      digits = r[0];
      exp = Integer.parseInt(r[1]);
    }
    StringBuilder sb = new StringBuilder(prec + 8);
    sb.append(digits.charAt(0));
    if (prec > 0 || hash) {
      sb.append('.');
    }
    sb.append(digits, 1, digits.length());
    sb.append(upper ? 'E' : 'e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      sb.append('0');
    }
    sb.append(ae);
    return sb.toString();
  }

  static String general(double a, int prec, boolean hash, boolean upper) {
    int p = prec == 0 ? 1 : prec;
    int x = a == 0 ? 0 : Integer.parseInt(roundSignificant(a, p)[1]);
    String s;
    if (p > x && x >= -4) {
      s = fixed(a, p - 1 - x, hash);
    } else {
      s = scientific(a, p - 1, hash, upper);
    }
    if (hash) {
      return s;
    }
    // drop trailing zeros of the fraction, and the point if nothing is left after it
    int ePos = s.indexOf(upper ? 'E' : 'e');
    String mantissa = ePos < 0 ? s : s.substring(0, ePos);
    String tail = ePos < 0 ? "" : s.substring(ePos);
    if (mantissa.indexOf('.') >= 0) {
      int k = mantissa.length();
      while (mantissa.charAt(k - 1) == '0') {
        k--;
      }
      if (mantissa.charAt(k - 1) == '.') {
        k--;
      }
      mantissa = mantissa.substring(0, k);
    }
    return mantissa + tail;
  }

  /** Writes sign, prefix and body padded to width per the '-' and '0' flags. */
  private static void emit(ByteBuilder out, String sign, String prefix, String body, int flags, int width,
               boolean zeroPadAllowed) {
    int len = sign.length() + prefix.length() + body.length();
    int fill = width - len;
    if (fill <= 0) {
      out.appendAscii(sign);
      out.appendAscii(prefix);
      out.appendAscii(body);
    } else if ((flags & F_MINUS) != 0) {
      out.appendAscii(sign);
      out.appendAscii(prefix);
      out.appendAscii(body);
      out.repeat(' ', fill);
    } else if ((flags & F_ZERO) != 0 && zeroPadAllowed) {
      out.appendAscii(sign);
      out.appendAscii(prefix);
      out.repeat('0', fill);
      out.appendAscii(body);
    } else {
      out.repeat(' ', fill);
      out.appendAscii(sign);
      out.appendAscii(prefix);
      out.appendAscii(body);
    }
  }

  /** Pads raw bytes (%c, %s) with spaces to the width, on the left unless the '-' flag is set. */
  private static void pad(ByteBuilder out, byte[] body, int width, int minus) {
    int fill = width - body.length;
    if (fill > 0 && minus == 0) {
      out.repeat(' ', fill);
    }
    out.append(body);
    if (fill > 0 && minus != 0) {
      out.repeat(' ', fill);
    }
  }

  /** %q: the string in double quotes, escaping what the Luau lexer needs escaped. */
  static void addQuoted(ByteBuilder out, byte[] s) {
    out.append('"');
    for (byte b : s) {
      switch (b) {
        case '"', '\\', '\n' -> {
          out.append('\\');
          out.append(b);
        }
        case '\r' -> out.appendAscii("\\r");
        case 0 -> out.appendAscii("\\000");
        default -> out.append(b);
      }
    }
    out.append('"');
  }
}
