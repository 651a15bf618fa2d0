package io.templateworker.luau.value;

import java.math.BigDecimal;

/**
 * String-to-number conversion as Luau does it at run time (tonumber, arithmetic on strings, library number
 * arguments): C's strtod on a NUL-terminated string, so besides decimals it takes hexadecimal floats
 * ("0x1.8p1"), "inf"/"infinity"/"nan" in any case, leading and trailing white space, and stops at an embedded
 * NUL; and {@code tonumber(s, base)}'s strtoull. (Number literals in source code are the lexer's business and
 * follow Luau's syntax instead: 0b101, 1_000, no "inf".)
 */
public final class NumberParser {
  /** What the last strtod converted. */
  private double value;
  /** Where the last strtoull stopped; -1 when it converted nothing. */
  private int ullEnd;

  private NumberParser() {
  }

  /** Luau's luaO_str2d: the number {@code s} denotes, or null. */
  public static Double str2d(byte[] s) {
    NumberParser p = new NumberParser();
    int n = cLength(s);
    int end = p.strtod(s, 0, n);
    if (end < 0) {
      return null;
    }
    double v = p.value;
    if (end < n && (s[end] == 'x' || s[end] == 'X')) { // "0x" with no hex digit: strtoul from the start
      long u = p.strtoull(s, 0, n, 16);
      if (p.ullEnd < 0) {
        return null;
      }
      v = ullToDouble(u);
      end = p.ullEnd;
    }
    return onlySpaceFrom(s, end, n) ? v : null;
  }

  /** {@code tonumber(s, base)} for a base other than 10: strtoull, then only white space may follow. */
  public static Double withBase(byte[] s, int base) {
    NumberParser p = new NumberParser();
    int n = cLength(s);
    long u = p.strtoull(s, 0, n, base);
    if (p.ullEnd < 0 || !onlySpaceFrom(s, p.ullEnd, n)) {
      return null;
    }
    return ullToDouble(u);
  }

  /**
   * {@code integer.fromstring(s, base)} as Luau 0.735 answers it (checked against the reference CLI): in base 10
   * a decimal saturates at the 64-bit bounds (strtoll) while a {@code 0x} number is read as hexadecimal and wraps
   * (strtoull); other bases are strtoull (wrapping, ULLONG_MAX = -1 on overflow). Only white space may follow;
   * null when the text is no such number.
   */
  public static Long integerFromString(byte[] s, int base) {
    NumberParser p = new NumberParser();
    int n = cLength(s);
    int i = 0;
    while (i < n && isSpace(s[i])) {
      i++;
    }
    int afterSign = i < n && (s[i] == '+' || s[i] == '-') ? i + 1 : i;
    boolean hex = afterSign + 1 < n && s[afterSign] == '0' && (s[afterSign + 1] == 'x' || s[afterSign + 1] == 'X');
    if (base != 10 || hex) {
      long u = p.strtoull(s, 0, n, base == 10 ? 16 : base);
      return p.ullEnd < 0 || !onlySpaceFrom(s, p.ullEnd, n) ? null : u;
    }
    boolean neg = afterSign > i && s[i] == '-';
    long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE; // accumulate negatively: |MIN| > MAX
    long v = 0;
    boolean saturated = false;
    int j = afterSign;
    for (; j < n; j++) {
      int d = digit(s[j], 10);
      if (d < 0) {
        break;
      }
      if (!saturated && v < (limit + d) / 10) { // v * 10 - d would pass the limit
        saturated = true;
      }
      if (!saturated) {
        v = v * 10 - d;
      }
    }
    if (j == afterSign || !onlySpaceFrom(s, j, n)) {
      return null;
    }
    if (saturated) {
      return neg ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return neg ? v : -v;
  }

  private static int cLength(byte[] s) {
    for (int i = 0; i < s.length; i++) {
      if (s[i] == 0) {
        return i; // C sees the string end at its first NUL
      }
    }
    return s.length;
  }

  private static boolean isSpace(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean onlySpaceFrom(byte[] s, int i, int n) {
    while (i < n && isSpace(s[i])) {
      i++;
    }
    return i == n;
  }

  private static int digit(int c, int base) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10
        : 99;
    return d < base ? d : -1;
  }

  private static boolean matchesIgnoreCase(byte[] s, int i, int n, String word) {
    if (n - i < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (Character.toLowerCase(s[i + k]) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** C's strtod over s[from, n): sets {@link #value}, returns the end index, or -1 when nothing converts. */
  private int strtod(byte[] s, int from, int n) {
    int i = from;
    while (i < n && isSpace(s[i])) {
      i++;
    }
    boolean neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      neg = s[i] == '-';
      i++;
    }
    if (matchesIgnoreCase(s, i, n, "inf")) {
      value = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return matchesIgnoreCase(s, i, n, "infinity") ? i + 8 : i + 3;
    }
    if (matchesIgnoreCase(s, i, n, "nan")) {
      value = Double.NaN;
      int j = i + 3;
      if (j < n && s[j] == '(') { // nan(n-char-sequence)
        int k = j + 1;
        while (k < n && (Character.isLetterOrDigit(s[k]) || s[k] == '_')) {
          k++;
        }
        if (k < n && s[k] == ')') {
          j = k + 1;
        }
      }
      return j;
    }
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
      int end = hexFloat(s, i + 2, n, neg);
      if (end >= 0) {
        return end;
      }
      value = neg ? -0.0 : 0.0; // "0x" not followed by a hex digit: just the 0
      return i + 1;
    }
    int start = i;
    int digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      i++;
      digits++;
    }
    if (i < n && s[i] == '.') {
      i++;
      while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return -1;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
      int j = i + 1;
      if (j < n && (s[j] == '+' || s[j] == '-')) {
        j++;
      }
      if (j < n && s[j] >= '0' && s[j] <= '9') {
        while (j < n && s[j] >= '0' && s[j] <= '9') {
          j++;
        }
        i = j;
      }
    }
    double v = Double.parseDouble(new String(s, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1));
    value = neg ? -v : v;
    return i;
  }

  /** A hexadecimal float after "0x" at {@code i}: sets {@link #value}; -1 when no hex digit is there. */
  private int hexFloat(byte[] s, int i, int n, boolean neg) {
    StringBuilder mant = new StringBuilder("0x");
    int digits = 0;
    while (i < n && digit(s[i], 16) >= 0) {
      mant.append((char) s[i++]);
      digits++;
    }
    if (i < n && s[i] == '.') {
      int save = i;
      StringBuilder frac = new StringBuilder();
      i++;
      while (i < n && digit(s[i], 16) >= 0) {
        frac.append((char) s[i++]);
        digits++;
      }
      if (digits == 0) {
        return -1;
      }
      if (frac.isEmpty() && mant.length() == 2) {
        i = save;
      } else {
        mant.append('.').append(frac);
      }
    }
    if (digits == 0) {
      return -1;
    }
    String exp = "p0";
    if (i < n && (s[i] == 'p' || s[i] == 'P')) {
      int j = i + 1;
      if (j < n && (s[j] == '+' || s[j] == '-')) {
        j++;
      }
      if (j < n && s[j] >= '0' && s[j] <= '9') {
        while (j < n && s[j] >= '0' && s[j] <= '9') {
          j++;
        }
        exp = "p" + new String(s, i + 1, j - i - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
        i = j;
      }
    }
    String text = mant.toString();
    if (text.endsWith(".")) {
      text = text + "0";
    } else if (text.equals("0x")) {
      text = "0x0";
    }
    double v = parseHex(text, exp);
    value = neg ? -v : v;
    return i;
  }

  private static double parseHex(String mantissa, String exp) {
    try {
      return Double.parseDouble(mantissa + exp);
    } catch (NumberFormatException tooLong) {
      // an exponent beyond int range: the value is 0 or infinite
      return exp.startsWith("p-") ? 0.0 : Double.POSITIVE_INFINITY;
    }
  }

  /** C's strtoull: sets {@link #ullEnd} (-1 when no digit converts); overflow gives ULLONG_MAX. */
  private long strtoull(byte[] s, int from, int n, int base) {
    int i = from;
    while (i < n && isSpace(s[i])) {
      i++;
    }
    boolean neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      neg = s[i] == '-';
      i++;
    }
    if (base == 16 && i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')
        && digit(s[i + 2], 16) >= 0) {
      i += 2;
    }
    long v = 0;
    boolean overflow = false;
    int start = i;
    while (i < n) {
      int d = digit(s[i], base);
      if (d < 0) {
        break;
      }
      long next = v * base + d;
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, base)) > 0) {
        overflow = true;
      }
      v = next;
      i++;
    }
    if (i == start) {
      ullEnd = -1;
      return 0;
    }
    ullEnd = i;
    if (overflow) {
      return -1L; // ULLONG_MAX, whatever the sign
    }
    return neg ? -v : v;
  }

  private static double ullToDouble(long u) {
    return u >= 0 ? (double) u : new BigDecimal(Long.toUnsignedString(u)).doubleValue();
  }
}
