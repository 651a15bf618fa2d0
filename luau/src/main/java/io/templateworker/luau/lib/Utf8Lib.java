package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * The {@code utf8} library (Lua 5.3's, as Luau ships it): decoding rejects overlong forms, values above
 * U+10FFFF and UTF-16 surrogates (Luau's stricter validation); {@code utf8.char} still encodes any value up to
 * U+10FFFF.
 */
public final class Utf8Lib {

  private static final int MAX_UNICODE = 0x10FFFF;
  /** Matches exactly one UTF-8 sequence. */
  private static final byte[] CHAR_PATTERN = {'[', 0, '-', 0x7F, (byte) 0xC2, '-', (byte) 0xF4, ']', '[',
      (byte) 0x80, '-', (byte) 0xBF, ']', '*'};

  private Utf8Lib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable u = new LuauTable(0, 8);
    StringLib.reg(u, "offset", Utf8Lib::offset);
    StringLib.reg(u, "codepoint", Utf8Lib::codepoint);
    StringLib.reg(u, "char", Utf8Lib::charFn);
    StringLib.reg(u, "len", Utf8Lib::len);
    StringLib.reg(u, "codes", Utf8Lib::codes);
    u.rawset(LuauString.of("charpattern"), LuauString.of(CHAR_PATTERN));
    globals.rawset(LuauString.of("utf8"), u);
  }

  private static boolean isCont(byte[] s, int i) {
    return i < s.length && (s[i] & 0xC0) == 0x80;
  }

  /** u_posrelat: negative positions count from the end; below the start gives 0. */
  private static long posrelat(long pos, int len) {
    if (pos >= 0) {
      return pos;
    }
    if (-pos > len) {
      return 0;
    }
    return len + pos + 1;
  }

  /**
   * Decodes the sequence at i. Returns the code point in the low 32 bits and the next offset in the high
   * 32 bits, or -1 for an invalid sequence.
   */
  static long decode(byte[] s, int i) {
    int c = s[i] & 0xFF;
    if (c < 0x80) {
      return ((long) (i + 1) << 32) | c;
    }
    int res = 0;
    int count = 0;
    while ((c & 0x40) != 0) {
      int k = i + ++count;
      int cc = k < s.length ? s[k] & 0xFF : 0;
      if ((cc & 0xC0) != 0x80) {
        return -1;
      }
      res = (res << 6) | (cc & 0x3F);
      c <<= 1;
    }
    res |= (c & 0x7F) << (count * 5);
    // surrogates cannot be encoded in UTF-8 (Luau's stricter utf8 validation)
    if (count > 3 || res > MAX_UNICODE || res <= limit(count) || (res >= 0xD800 && res <= 0xDFFF)) {
      return -1;
    }
    return ((long) (i + count + 1) << 32) | res;
  }

  private static int limit(int count) {
    return switch (count) {
      case 0 -> 0xFF;
      case 1 -> 0x7F;
      case 2 -> 0x7FF;
      default -> 0xFFFF;
    };
  }

  private static Object[] len(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "len").bytes();
    int len = s.length;
    long posi = posrelat(Args.optInteger(a, 1, "len", 1), len);
    long posj = posrelat(Args.optInteger(a, 2, "len", -1), len);
    if (!(1 <= posi && --posi <= len)) {
      throw Errors.badArgument(2, "len", "initial position out of string");
    }
    if (!(--posj < len)) {
      throw Errors.badArgument(3, "len", "final position out of string");
    }
    int n = 0;
    while (posi <= posj) {
      long r = decode(s, (int) posi);
      if (r < 0) {
        return new Object[] {null, (double) (posi + 1)};
      }
      posi = r >>> 32;
      n++;
    }
    return StringLib.one((double) n);
  }

  private static Object[] codepoint(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "codepoint").bytes();
    int len = s.length;
    long posi = posrelat(Args.optInteger(a, 1, "codepoint", 1), len);
    long pose = posrelat(Args.optInteger(a, 2, "codepoint", posi), len);
    if (posi < 1) {
      throw Errors.badArgument(2, "codepoint", "out of range");
    }
    if (pose > len) {
      throw Errors.badArgument(3, "codepoint", "out of range");
    }
    if (posi > pose) {
      return LuauFunction.NONE;
    }
    StringLib.checkStack(pose - posi + 1, a.length, "string slice too long");
    Object[] out = new Object[(int) (pose - posi + 1)];
    int n = 0;
    int i = (int) posi - 1;
    while (i < pose) {
      long r = decode(s, i);
      if (r < 0) {
        throw LuauError.runtime("invalid UTF-8 code");
      }
      out[n++] = (double) (int) r;
      i = (int) (r >>> 32);
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static Object[] charFn(LuauThread L, Object[] a) {
    ByteBuilder out = new ByteBuilder(L, a.length * 2);
    for (int i = 0; i < a.length; i++) {
      int code = MathLib.toInt(Args.checkNumber(a, i, "char"));
      if (code < 0 || code > MAX_UNICODE) {
        throw Errors.badArgument(i + 1, "char", "value out of range");
      }
      encode(out, code);
    }
    return StringLib.one(out.toLuauString());
  }

  static void encode(ByteBuilder out, int x) {
    if (x < 0x80) {
      out.append(x);
    } else if (x < 0x800) {
      out.append(0xC0 | (x >> 6));
      out.append(0x80 | (x & 0x3F));
    } else if (x < 0x10000) {
      out.append(0xE0 | (x >> 12));
      out.append(0x80 | ((x >> 6) & 0x3F));
      out.append(0x80 | (x & 0x3F));
    } else {
      out.append(0xF0 | (x >> 18));
      out.append(0x80 | ((x >> 12) & 0x3F));
      out.append(0x80 | ((x >> 6) & 0x3F));
      out.append(0x80 | (x & 0x3F));
    }
  }

  private static Object[] offset(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "offset").bytes();
    int len = s.length;
    long n = MathLib.toInt(Args.checkNumber(a, 1, "offset"));
    long posi = n >= 0 ? 1 : len + 1;
    posi = posrelat(Args.optInteger(a, 2, "offset", posi), len);
    if (!(1 <= posi && --posi <= len)) {
      throw Errors.badArgument(3, "offset", "position out of range");
    }
    int p = (int) posi;
    if (n == 0) {
      while (p > 0 && isCont(s, p)) {
        p--;
      }
    } else {
      if (isCont(s, p)) {
        throw LuauError.runtime("initial position is a continuation byte");
      }
      if (n < 0) {
        while (n < 0 && p > 0) {
          do {
            p--;
          } while (p > 0 && isCont(s, p));
          n++;
        }
      } else {
        n--;
        while (n > 0 && p < len) {
          do {
            p++;
          } while (isCont(s, p));
          n--;
        }
      }
    }
    return StringLib.one(n == 0 ? (Object) (double) (p + 1) : null);
  }

  private static final LuauFunction CODES_STEP = LuauFunction.host("codes", Utf8Lib::codesStep);

  private static Object[] codes(LuauThread L, Object[] a) {
    LuauString s = Args.checkString(a, 0, "codes");
    return new Object[] {CODES_STEP, s, 0.0};
  }

  private static Object[] codesStep(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "codes").bytes();
    int len = s.length;
    Object control = Args.arg(a, 1);
    long n = (control instanceof Double d ? (long) (double) d : 0) - 1;
    if (n < 0) {
      n = 0;
    } else if (n < len) {
      n++;
      while (isCont(s, (int) n)) {
        n++;
      }
    }
    if (n >= len) {
      return LuauFunction.NONE;
    }
    long r = decode(s, (int) n);
    if (r < 0 || isCont(s, (int) (r >>> 32))) {
      throw LuauError.runtime("invalid UTF-8 code");
    }
    return new Object[] {(double) (n + 1), (double) (int) r};
  }
}
