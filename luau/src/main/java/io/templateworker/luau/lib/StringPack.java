package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.LuauThread;

/**
 * {@code string.pack}, {@code string.unpack} and {@code string.packsize}: Lua 5.3 pack formats with Luau's
 * fixed sizes (short 16 bit, int and size_t ({@code j}, {@code T}) 32 bit, long 64 bit, native order
 * little endian). Integers are unpacked to numbers (doubles), as in Luau.
 */
public final class StringPack {

  /** Widest integer a format may ask for (Lua's MAXINTSIZE). */
  private static final int MAX_INT_SIZE = 16;
  /** Size of the integers pack converts through (long long). */
  private static final int SZINT = 8;
  /** Default maximum alignment for '!'. */
  private static final int MAX_ALIGN = 8;
  /** Luau's largest string (MAXSSIZE). */
  private static final int MAX_STRING = 1 << 30;

  private enum Kind { INT, UINT, FLOAT, CHAR, STRING, ZSTR, PADDING, PADALIGN, NOP }

  /** Reads a format string one option at a time, tracking endianness and alignment. */
  private static final class FormatReader {
    final byte[] fmt;
    final String fname;
    int pos;
    boolean little = true;
    int maxAlign = 1;
    // details of the option just read
    Kind kind;
    int size;
    int toAlign;

    FormatReader(byte[] fmt, String fname) {
      this.fmt = fmt;
      this.fname = fname;
    }

    boolean more() {
      return pos < fmt.length;
    }

    private int peek() {
      return pos < fmt.length ? fmt[pos] & 0xFF : -1;
    }

    private int number(int dflt) {
      if (!isDigit(peek())) {
        return dflt;
      }
      int a = 0;
      do {
        a = a * 10 + (fmt[pos++] - '0');
      } while (isDigit(peek()) && a <= (Integer.MAX_VALUE - 9) / 10);
      if (a > MAX_STRING || isDigit(peek())) {
        throw LuauError.runtime("size specifier is too large");
      }
      return a;
    }

    private int numberLimit(int dflt) {
      int sz = number(dflt);
      if (sz > MAX_INT_SIZE || sz <= 0) {
        throw LuauError.runtime("integral size (" + sz + ") out of limits [1," + MAX_INT_SIZE + "]");
      }
      return sz;
    }

    /** Reads one option into kind/size (no alignment). */
    private Kind option() {
      int opt = fmt[pos++] & 0xFF;
      size = 0;
      switch (opt) {
        case 'b': size = 1; return Kind.INT;
        case 'B': size = 1; return Kind.UINT;
        case 'h': size = 2; return Kind.INT;
        case 'H': size = 2; return Kind.UINT;
        case 'l': size = 8; return Kind.INT;
        case 'L': size = 8; return Kind.UINT;
        case 'j': size = 4; return Kind.INT;
        case 'J', 'T': size = 4; return Kind.UINT;
        case 'f': size = 4; return Kind.FLOAT;
        case 'd', 'n': size = 8; return Kind.FLOAT;
        case 'i': size = numberLimit(4); return Kind.INT;
        case 'I': size = numberLimit(4); return Kind.UINT;
        case 's': size = numberLimit(4); return Kind.STRING;
        case 'c':
          size = number(-1);
          if (size == -1) {
            throw LuauError.runtime("missing size for format option 'c'");
          }
          return Kind.CHAR;
        case 'z': return Kind.ZSTR;
        case 'x': size = 1; return Kind.PADDING;
        case 'X': return Kind.PADALIGN;
        case ' ': return Kind.NOP;
        case '<', '=': little = true; return Kind.NOP;
        case '>': little = false; return Kind.NOP;
        case '!': maxAlign = numberLimit(MAX_ALIGN); return Kind.NOP;
        default:
          throw LuauError.runtime("invalid format option '" + (char) opt + "'");
      }
    }

    /** Reads the next option with its alignment padding relative to {@code total} bytes so far. */
    void next(long total) {
      kind = option();
      int mySize = size;
      int align = mySize;
      if (kind == Kind.PADALIGN) {
        // 'X' takes its alignment from the option after it
        if (!more()) {
          throw Errors.badArgument(1, fname, "invalid next option for option 'X'");
        }
        Kind nextKind = option();
        align = size;
        size = mySize;
        if (nextKind == Kind.CHAR || align == 0) {
          throw Errors.badArgument(1, fname, "invalid next option for option 'X'");
        }
      }
      if (align <= 1 || kind == Kind.CHAR) {
        toAlign = 0;
      } else {
        if (align > maxAlign) {
          align = maxAlign;
        }
        if ((align & (align - 1)) != 0) {
          throw Errors.badArgument(1, fname, "format asks for alignment not power of 2");
        }
        toAlign = (align - (int) (total & (align - 1))) & (align - 1);
      }
    }
  }

  private StringPack() {
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** string.pack(fmt, ...). */
  public static LuauString pack(LuauThread L, Object[] args) {
    FormatReader r = new FormatReader(Args.checkString(args, 0, "pack").bytes(), "pack");
    // Luau pushes a nil after the arguments, so a missing value reads as nil ("got nil", not "missing argument")
    args = java.util.Arrays.copyOf(args, args.length + 1);
    ByteBuilder out = new ByteBuilder(L, 32);
    int arg = 0;
    while (r.more()) {
      r.next(out.length());
      out.repeat(0, r.toAlign);
      arg++;
      int size = r.size;
      switch (r.kind) {
        case INT -> {
          long n = toLong(Args.checkNumber(args, arg, "pack"));
          if (size < SZINT) {
            long lim = 1L << (size * 8 - 1);
            if (!(-lim <= n && n < lim)) {
              throw Errors.badArgument(arg + 1, "pack", "integer overflow");
            }
          }
          packInt(out, n, r.little, size, n < 0);
        }
        case UINT -> {
          long n = toLong(Args.checkNumber(args, arg, "pack"));
          if (size < SZINT && Long.compareUnsigned(n, 1L << (size * 8)) >= 0) {
            throw Errors.badArgument(arg + 1, "pack", "unsigned overflow");
          }
          packInt(out, n, r.little, size, false);
        }
        case FLOAT -> {
          double n = Args.checkNumber(args, arg, "pack");
          long bits = size == 4 ? Float.floatToRawIntBits((float) n) & 0xFFFFFFFFL : Double.doubleToRawLongBits(n);
          packInt(out, bits, r.little, size, false);
        }
        case CHAR -> {
          byte[] s = Args.checkString(args, arg, "pack").bytes();
          if (s.length > size) {
            throw Errors.badArgument(arg + 1, "pack", "string longer than given size");
          }
          out.append(s);
          out.repeat(0, size - s.length);
        }
        case STRING -> {
          byte[] s = Args.checkString(args, arg, "pack").bytes();
          if (size < 8 && s.length >= (1L << (size * 8))) {
            throw Errors.badArgument(arg + 1, "pack", "string length does not fit in given size");
          }
          packInt(out, s.length, r.little, size, false);
          out.append(s);
        }
        case ZSTR -> {
          byte[] s = Args.checkString(args, arg, "pack").bytes();
          for (byte b : s) {
            if (b == 0) {
              throw Errors.badArgument(arg + 1, "pack", "string contains zeros");
            }
          }
          out.append(s);
          out.append(0);
        }
        case PADDING -> {
          out.append(0);
          arg--;
        }
        default -> arg--;
      }
    }
    return out.toLuauString();
  }

  /** string.packsize(fmt). */
  public static double packsize(Object[] args) {
    FormatReader r = new FormatReader(Args.checkString(args, 0, "packsize").bytes(), "packsize");
    long total = 0;
    while (r.more()) {
      r.next(total);
      if (r.kind == Kind.STRING || r.kind == Kind.ZSTR) {
        throw Errors.badArgument(1, "packsize", "variable-length format");
      }
      long size = (long) r.size + r.toAlign;
      if (total > MAX_STRING - size) {
        throw Errors.badArgument(1, "packsize", "format result too large");
      }
      total += size;
    }
    return total;
  }

  /** string.unpack(fmt, s, init): the values, then the position after the last byte read. */
  public static Object[] unpack(Object[] args) {
    FormatReader r = new FormatReader(Args.checkString(args, 0, "unpack").bytes(), "unpack");
    byte[] data = Args.checkString(args, 1, "unpack").bytes();
    int ld = data.length;
    long init = Args.optInteger(args, 2, "unpack", 1);
    long pos = (init < 0 ? Math.max(0, init + ld + 1) : init) - 1;
    if (pos < 0) {
      pos = 0;
    }
    if (pos > ld) {
      throw Errors.badArgument(3, "unpack", "initial position out of string");
    }
    Object[] results = new Object[8];
    int n = 0;
    while (r.more()) {
      r.next(pos);
      int size = r.size;
      if ((long) r.toAlign + size > ld - pos) {
        throw Errors.badArgument(2, "unpack", "data string too short");
      }
      pos += r.toAlign;
      int p = (int) pos;
      Object value;
      switch (r.kind) {
        case INT -> value = (double) unpackInt(data, p, r.little, size, true);
        case UINT -> value = unsignedToDouble(unpackInt(data, p, r.little, size, false));
        case FLOAT -> {
          long bits = unpackInt(data, p, r.little, size, false);
          value = size == 4 ? (double) Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        }
        case CHAR -> value = LuauString.wrap(java.util.Arrays.copyOfRange(data, p, p + size));
        case STRING -> {
          long len = unpackInt(data, p, r.little, size, false);
          if (len < 0 || len > ld - pos - size) {
            throw Errors.badArgument(2, "unpack", "data string too short");
          }
          value = LuauString.wrap(java.util.Arrays.copyOfRange(data, p + size, p + size + (int) len));
          pos += len;
        }
        case ZSTR -> {
          int e = p;
          while (e < ld && data[e] != 0) {
            e++;
          }
          if (e >= ld) {
            throw Errors.badArgument(2, "unpack", "unfinished string for format 'z'");
          }
          value = LuauString.wrap(java.util.Arrays.copyOfRange(data, p, e));
          pos += e - p + 1;
        }
        default -> value = NONE_MARK;
      }
      if (value != NONE_MARK) {
        // each value needs a slot, plus one for the final position
        StringLib.checkStack(n + 2L, args.length, "too many results");
        if (n == results.length) {
          results = java.util.Arrays.copyOf(results, n * 2);
        }
        results[n++] = value;
      }
      pos += size;
    }
    Object[] out = java.util.Arrays.copyOf(results, n + 1);
    out[n] = (double) (pos + 1);
    return out;
  }

  private static final Object NONE_MARK = new Object();

  /** C's (long long) conversion of a double; NaN and out-of-range give LLONG_MIN as on x86. */
  static long toLong(double v) {
    if (v >= -9.223372036854775808E18 && v < 9.223372036854775808E18) {
      return (long) v;
    }
    return Long.MIN_VALUE;
  }

  static double unsignedToDouble(long u) {
    if (u >= 0) {
      return u;
    }
    // halve with the low bit kept sticky, so the final rounding is still correct
    return ((double) ((u >>> 1) | (u & 1))) * 2.0;
  }

  private static void packInt(ByteBuilder out, long n, boolean little, int size, boolean negative) {
    byte[] buff = new byte[size];
    for (int i = 0; i < size; i++) {
      // bytes beyond the 8 of a long are sign extension for negatives, zero otherwise
      int b = i < SZINT ? (int) (n >>> (8 * i)) & 0xFF : (negative ? 0xFF : 0);
      buff[little ? i : size - 1 - i] = (byte) b;
    }
    out.append(buff);
  }

  private static long unpackInt(byte[] data, int p, boolean little, int size, boolean signed) {
    long res = 0;
    int limit = Math.min(size, SZINT);
    for (int i = limit - 1; i >= 0; i--) {
      res <<= 8;
      res |= data[p + (little ? i : size - 1 - i)] & 0xFF;
    }
    if (size < SZINT) {
      if (signed) {
        long mask = 1L << (size * 8 - 1);
        res = (res ^ mask) - mask;
      }
    } else if (size > SZINT) {
      int mask = (!signed || res >= 0) ? 0 : 0xFF;
      for (int i = limit; i < size; i++) {
        if ((data[p + (little ? i : size - 1 - i)] & 0xFF) != mask) {
          throw LuauError.runtime(size + "-byte integer does not fit into Lua Integer");
        }
      }
    }
    return res;
  }
}
