package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;

import java.util.Arrays;

/**
 * The {@code string} library, as Luau defines it. Strings are byte arrays; case mapping is ASCII only (the C
 * locale). Patterns are {@link LuaPattern}, {@code format} is {@link StringFormat}, pack formats are
 * {@link StringPack}.
 */
public final class StringLib {

  /** Luau's MAXSSIZE: no string may be longer. */
  static final int MAX_STRING = 1 << 30;
  /** Boxed byte values, shared so string.byte in a loop does not allocate a Double per byte. */
  private static final Double[] BYTE_VALUES = new Double[256];

  static {
    for (int i = 0; i < 256; i++) {
      BYTE_VALUES[i] = (double) i;
    }
  }

  /** Estimated fixed cost of one string object, charged for strings the library creates in bulk. */
  private static final long PIECE_BYTES = 24;

  private StringLib() {
  }

  /**
   * Creates the {@code string} table in {@code globals} and makes it the {@code __index} of the VM's shared
   * string metatable ({@link LuauVM#stringMetatable}), so {@code s:upper()} works.
   */
  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable string = new LuauTable(0, 24);
    reg(string, "byte", new ByteFn());
    reg(string, "char", new CharFn());
    reg(string, "find", (L, a) -> find(L, a, true));
    reg(string, "format", (L, a) -> one(StringFormat.format(L, a)));
    reg(string, "gmatch", StringLib::gmatch);
    reg(string, "gsub", StringLib::gsub);
    reg(string, "len", new Len());
    reg(string, "lower", new CaseFn("lower", false));
    reg(string, "match", (L, a) -> find(L, a, false));
    reg(string, "rep", StringLib::rep);
    reg(string, "reverse", StringLib::reverse);
    reg(string, "sub", new Sub());
    reg(string, "upper", new CaseFn("upper", true));
    reg(string, "split", StringLib::split);
    reg(string, "pack", (L, a) -> one(StringPack.pack(L, a)));
    reg(string, "packsize", (L, a) -> one(StringPack.packsize(a)));
    reg(string, "unpack", (L, a) -> StringPack.unpack(a));
    globals.rawset(LuauString.of("string"), string);
    vm.stringMetatable().rawset(LuauString.of("__index"), string);
  }

  static void reg(LuauTable lib, String name, io.templateworker.luau.value.HostFunction fn) {
    lib.rawset(LuauString.of(name), LuauFunction.host(name, fn));
  }

  static Object[] one(Object v) {
    return new Object[] {v};
  }

  /** Luau's C stack limit (LUAI_MAXCSTACK): a builtin cannot return more values than this. */
  static final int MAX_RESULTS = 8000;

  /**
   * luaL_checkstack: {@code results} more values on top of the {@code nargs} arguments must fit, else
   * "stack overflow (what)".
   */
  static void checkStack(long results, int nargs, String what) {
    if (results + nargs > MAX_RESULTS) {
      throw LuauError.runtime("stack overflow (" + what + ")");
    }
  }

  /** Lua's posrelat: negative positions count from the end; the result is >= 0. */
  static long posrelat(long pos, int len) {
    if (pos < 0) {
      pos += len + 1;
    }
    return pos >= 0 ? pos : 0;
  }

  // ---- builtins compiled Luau calls without argument/result arrays (HostFunction.call1..3) ----------

  /** The one-byte strings, shared: string.char(c) and one-character string.sub in loops allocate nothing. */
  private static final LuauString[] CHARS = new LuauString[256];

  static {
    for (int i = 0; i < 256; i++) {
      CHARS[i] = LuauString.wrap(new byte[] {(byte) i});
    }
  }

  /** string.len(s). */
  static final class Len implements HostFunction {
    @Override
    public Object[] call(LuauThread L, Object[] args) {
      return one((double) Args.checkString(args, 0, "len").length());
    }

    @Override
    public Object call1(LuauThread L, Object s) {
      return (double) Args.string(s, 0, "len").length();
    }
  }

  /** string.sub(s, i [, j]). */
  static final class Sub implements HostFunction {
    @Override
    public Object[] call(LuauThread L, Object[] args) {
      LuauString s = Args.checkString(args, 0, "sub");
      return one(sub(s, Args.checkInteger(args, 1, "sub"), Args.optInteger(args, 2, "sub", -1)));
    }

    @Override
    public Object call2(LuauThread L, Object s, Object i) {
      LuauString str = Args.string(s, 0, "sub");
      return sub(str, Args.integer(i, 1, "sub"), -1);
    }

    @Override
    public Object call3(LuauThread L, Object s, Object i, Object j) {
      LuauString str = Args.string(s, 0, "sub");
      long start = Args.integer(i, 1, "sub");
      return sub(str, start, j == null ? -1 : Args.integer(j, 2, "sub"));
    }
  }

  static LuauString sub(LuauString s, long i, long j) {
    int l = s.length();
    long start = posrelat(i, l);
    long end = posrelat(j, l);
    if (start < 1) {
      start = 1;
    }
    if (end > l) {
      end = l;
    }
    if (start > end) {
      return LuauString.EMPTY;
    }
    if (start == 1 && end == l) {
      return s;
    }
    if (start == end) {
      return CHARS[s.byteAt((int) start - 1)];
    }
    return s.substring((int) start - 1, (int) end);
  }

  /** string.byte(s [, i [, j]]); the one-result calls return the first byte or nil. */
  static final class ByteFn implements HostFunction {
    @Override
    public Object[] call(LuauThread L, Object[] args) {
      return byteFn(L, args);
    }

    @Override
    public Object call1(LuauThread L, Object s) {
      byte[] b = Args.string(s, 0, "byte").bytes();
      return b.length > 0 ? BYTE_VALUES[b[0] & 0xFF] : null;
    }

    @Override
    public Object call2(LuauThread L, Object s, Object i) {
      byte[] b = Args.string(s, 0, "byte").bytes();
      long posi = posrelat(i == null ? 1 : Args.integer(i, 1, "byte"), b.length);
      // the end defaults to the start: one byte at most
      return posi >= 1 && posi <= b.length ? BYTE_VALUES[b[(int) posi - 1] & 0xFF] : null;
    }

    @Override
    public Object call3(LuauThread L, Object s, Object i, Object j) {
      Object[] r = byteFn(L, new Object[] {s, i, j});
      return r.length > 0 ? r[0] : null;
    }
  }

  /** string.char(...). */
  static final class CharFn implements HostFunction {
    @Override
    public Object[] call(LuauThread L, Object[] args) {
      return charFn(L, args);
    }

    @Override
    public Object call1(LuauThread L, Object c) {
      return CHARS[charCode(c, 0)];
    }

    @Override
    public Object call2(LuauThread L, Object c1, Object c2) {
      int a = charCode(c1, 0);
      return LuauString.wrap(new byte[] {(byte) a, (byte) charCode(c2, 1)});
    }

    @Override
    public Object call3(LuauThread L, Object c1, Object c2, Object c3) {
      int a = charCode(c1, 0);
      int b = charCode(c2, 1);
      return LuauString.wrap(new byte[] {(byte) a, (byte) b, (byte) charCode(c3, 2)});
    }
  }

  private static int charCode(Object v, int i) {
    long c = Args.integer(v, i, "char");
    if (c < 0 || c > 255) {
      throw Errors.badArgument(i + 1, "char", "invalid value");
    }
    return (int) c;
  }

  /** string.upper / string.lower (ASCII only, as in the C locale). */
  static final class CaseFn implements HostFunction {
    private final String name;
    private final boolean upper;

    CaseFn(String name, boolean upper) {
      this.name = name;
      this.upper = upper;
    }

    @Override
    public Object[] call(LuauThread L, Object[] args) {
      return one(apply(Args.checkString(args, 0, name)));
    }

    @Override
    public Object call1(LuauThread L, Object s) {
      return apply(Args.string(s, 0, name));
    }

    private LuauString apply(LuauString str) {
      byte[] s = str.bytes();
      byte[] r = new byte[s.length];
      for (int i = 0; i < s.length; i++) {
        byte b = s[i];
        if (upper) {
          r[i] = b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
        } else {
          r[i] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        }
      }
      return LuauString.wrap(r);
    }
  }

  private static Object[] reverse(LuauThread L, Object[] args) {
    byte[] s = Args.checkString(args, 0, "reverse").bytes();
    int n = s.length;
    byte[] r = new byte[n];
    for (int i = 0; i < n; i++) {
      r[i] = s[n - 1 - i];
    }
    return one(LuauString.wrap(r));
  }

  private static Object[] rep(LuauThread L, Object[] args) {
    byte[] s = Args.checkString(args, 0, "rep").bytes();
    long n = Args.checkInteger(args, 1, "rep");
    if (n <= 0 || s.length == 0) {
      return one(LuauString.EMPTY);
    }
    long total = (long) s.length * n;
    if (n > MAX_STRING || total > MAX_STRING) {
      throw LuauError.runtime("resulting string too large");
    }
    // charge first: a refused allocation must fail before the JVM tries to find the memory
    L.allocate(total);
    byte[] r = new byte[(int) total];
    System.arraycopy(s, 0, r, 0, s.length);
    int filled = s.length;
    while (filled < total) {
      int chunk = (int) Math.min(filled, total - filled);
      System.arraycopy(r, 0, r, filled, chunk);
      filled += chunk;
    }
    return one(LuauString.wrap(r));
  }

  private static Object[] byteFn(LuauThread L, Object[] args) {
    byte[] s = Args.checkString(args, 0, "byte").bytes();
    int l = s.length;
    long posi = posrelat(Args.optInteger(args, 1, "byte", 1), l);
    long pose = posrelat(Args.optInteger(args, 2, "byte", posi), l);
    if (posi <= 0) {
      posi = 1;
    }
    if (pose > l) {
      pose = l;
    }
    if (posi > pose) {
      return LuauFunction.NONE;
    }
    int n = (int) (pose - posi + 1);
    checkStack(n, args.length, "string slice too long");
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = BYTE_VALUES[s[(int) posi - 1 + i] & 0xFF];
    }
    return out;
  }

  private static Object[] charFn(LuauThread L, Object[] args) {
    byte[] r = new byte[args.length];
    for (int i = 0; i < args.length; i++) {
      long c = Args.checkInteger(args, i, "char");
      if (c < 0 || c > 255) {
        throw Errors.badArgument(i + 1, "char", "invalid value");
      }
      r[i] = (byte) c;
    }
    return one(LuauString.wrap(r));
  }

  private static Object[] split(LuauThread L, Object[] args) {
    byte[] s = Args.checkString(args, 0, "split").bytes();
    byte[] sep = args.length > 1 && args[1] != null ? Args.checkString(args, 1, "split").bytes() : new byte[] {','};
    int n = sep.length;
    int end = s.length;
    // count first, so the pieces can be charged to the memory budget before any is created
    int pieces = n == 0 ? end : splitPoints(s, sep, null) + 1;
    L.allocate(PIECE_BYTES * pieces + end);
    LuauTable out = new LuauTable(pieces, 0);
    if (n == 0) {
      for (int i = 0; i < end; i++) {
        out.rawset(i + 1, LuauString.wrap(new byte[] {s[i]}));
      }
      return one(out);
    }
    int[] points = new int[pieces - 1];
    splitPoints(s, sep, points);
    int spanStart = 0;
    for (int k = 0; k < points.length; k++) {
      out.rawset(k + 1, LuauString.wrap(Arrays.copyOfRange(s, spanStart, points[k])));
      spanStart = points[k] + n;
    }
    out.rawset(pieces, LuauString.wrap(Arrays.copyOfRange(s, spanStart, end)));
    return one(out);
  }

  /** Non-overlapping positions of a non-empty separator, left to right; stores them when {@code into} is given. */
  private static int splitPoints(byte[] s, byte[] sep, int[] into) {
    int n = sep.length;
    int count = 0;
    for (int i = 0; i <= s.length - n; i++) {
      if (regionMatches(s, i, sep)) {
        if (into != null) {
          into[count] = i;
        }
        count++;
        i += n - 1;
      }
    }
    return count;
  }

  private static boolean regionMatches(byte[] s, int at, byte[] sep) {
    for (int k = 0; k < sep.length; k++) {
      if (s[at + k] != sep[k]) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- pattern functions

  /** string.find (find = true) and string.match (find = false). */
  static Object[] find(LuauThread L, Object[] args, boolean find) {
    String fname = find ? "find" : "match";
    byte[] s = Args.checkString(args, 0, fname).bytes();
    byte[] p = Args.checkString(args, 1, fname).bytes();
    int ls = s.length;
    long init = posrelat(Args.optInteger(args, 2, fname, 1), ls);
    if (init < 1) {
      init = 1;
    } else if (init > ls + 1) {
      return one(null);
    }
    if (find && (Values.isTruthy(Args.arg(args, 3)) || !LuaPattern.hasSpecials(p))) {
      int at = LuaPattern.indexOf(s, p, (int) init - 1);
      if (at >= 0) {
        return new Object[] {(double) (at + 1), (double) (at + p.length)};
      }
      return one(null);
    }
    LuaPattern m = new LuaPattern(s, p, L);
    int s1 = (int) init - 1;
    boolean anchor = p.length > 0 && p[0] == '^';
    int pStart = anchor ? 1 : 0;
    do {
      int e = m.match(s1, pStart);
      if (e >= 0) {
        if (find) {
          Object[] caps = m.explicitCaptures();
          Object[] out = new Object[caps.length + 2];
          out[0] = (double) (s1 + 1);
          out[1] = (double) e;
          System.arraycopy(caps, 0, out, 2, caps.length);
          return out;
        }
        return m.captures(s1, e);
      }
    } while (s1++ < ls && !anchor);
    return one(null);
  }

  private static Object[] gmatch(LuauThread L, Object[] args) {
    LuauString s = Args.checkString(args, 0, "gmatch");
    LuauString p = Args.checkString(args, 1, "gmatch");
    return one(new GmatchIterator(s.bytes(), p.bytes()));
  }

  /** The iterator gmatch returns: each call finds the next match after the previous one. */
  private static final class GmatchIterator extends LuauFunction {
    private final byte[] src;
    private final byte[] pat;
    private int position;
    /** Created on the first call and reused: each call resets its captures. */
    private LuaPattern matcher;

    GmatchIterator(byte[] src, byte[] pat) {
      this.src = src;
      this.pat = pat;
    }

    @Override
    public Object[] call(LuauThread L, Object[] args) {
      LuaPattern m = matcher;
      if (m == null) {
        m = new LuaPattern(src, pat, L);
        matcher = m;
      }
      for (int from = position; from <= src.length; from++) {
        int e = m.match(from, 0);
        if (e >= 0) {
          // an empty match still moves on by one, or the loop would never end
          position = e == from ? e + 1 : e;
          return m.captures(from, e);
        }
      }
      position = src.length + 1;
      return LuauFunction.NONE;
    }

    @Override
    public String name() {
      return "gmatch";
    }
  }

  private static Object[] gsub(LuauThread L, Object[] args) {
    byte[] src = Args.checkString(args, 0, "gsub").bytes();
    byte[] p = Args.checkString(args, 1, "gsub").bytes();
    Object repl = Args.arg(args, 2);
    if (!(repl instanceof Double || repl instanceof LuauString || repl instanceof LuauFunction
        || repl instanceof LuauTable)) {
      throw Errors.typeMismatch(3, "gsub", "string/function/table", repl);
    }
    long maxS = Args.optInteger(args, 3, "gsub", src.length + 1L);
    boolean anchor = p.length > 0 && p[0] == '^';
    int pStart = anchor ? 1 : 0;
    LuaPattern m = new LuaPattern(src, p, L);
    byte[] replBytes = repl instanceof LuauFunction || repl instanceof LuauTable ? null : Values.toLuauString(repl).bytes();
    ByteBuilder out = new ByteBuilder(L, src.length + 16);
    int pos = 0;
    long n = 0;
    while (n < maxS) {
      int e = m.match(pos, pStart);
      if (e >= 0) {
        n++;
        if (replBytes != null) {
          addString(m, out, replBytes, src, pos, e);
        } else {
          addValue(L, m, out, repl, src, pos, e);
        }
      }
      if (e >= 0 && e > pos) {
        pos = e;
      } else if (pos < src.length) {
        out.append(src[pos++]);
      } else {
        break;
      }
      if (anchor) {
        break;
      }
    }
    out.append(src, pos, src.length);
    return new Object[] {out.toLuauString(), (double) n};
  }

  /** Expands a replacement string: %0-%9 are captures, %% is a percent sign. */
  private static void addString(LuaPattern m, ByteBuilder out, byte[] repl, byte[] src, int s, int e) {
    int l = repl.length;
    for (int i = 0; i < l; i++) {
      byte c = repl[i];
      if (c != '%') {
        out.append(c);
        continue;
      }
      i++;
      int d = i < l ? repl[i] & 0xFF : 0;
      if (d < '0' || d > '9') {
        if (d != '%') {
          throw LuauError.runtime("invalid use of '%' in replacement string");
        }
        out.append('%');
      } else if (d == '0') {
        out.append(src, s, e);
      } else {
        Object cap = m.capture(d - '1', s, e);
        out.append(Values.toLuauString(cap));
      }
    }
  }

  private static void addValue(LuauThread L, LuaPattern m, ByteBuilder out, Object repl, byte[] src, int s, int e) {
    Object value;
    if (repl instanceof LuauTable) {
      value = Ops.index(L, repl, m.capture(0, s, e));
    } else {
      Object[] r = L.call(repl, m.captures(s, e));
      value = r.length > 0 ? r[0] : null;
    }
    if (!Values.isTruthy(value)) {
      out.append(src, s, e); // nil or false keeps the original text
      return;
    }
    LuauString str = value instanceof LuauString ls ? ls : null;
    if (str == null && value instanceof Double) {
      str = Values.toLuauString(value);
    }
    if (str == null) {
      throw LuauError.runtime("invalid replacement value (a " + Values.typeName(value) + ")");
    }
    out.append(str);
  }
}
