package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.NumberParser;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Meta;
import io.templateworker.luau.vm.Ops;
import java.io.PrintStream;
import java.util.Arrays;

/** The base library: assert, error, pcall, metatables, iteration, conversions, print. */
public final class BaseLib {
  private BaseLib() {
  }

  /** Shared by pairs() and generalized iteration: the interpreter recognises it to iterate tables directly. */
  public static final LuauFunction NEXT = io.templateworker.luau.vm.Iteration.NEXT;
  /** The iterator ipairs() returns; recognised by the interpreter as well. */
  public static final LuauFunction IPAIRS_ITER = io.templateworker.luau.vm.Iteration.IPAIRS_ITER;

  private static final Object[] TRUE_ONLY = {Boolean.TRUE};
  private static final int MAX_UNPACK = 8000;

  public static void install(LuauVM vm, LuauTable g) {
    set(g, "assert", BaseLib::assertFn);
    set(g, "error", BaseLib::error);
    set(g, "getmetatable", BaseLib::getmetatable);
    set(g, "setmetatable", BaseLib::setmetatable);
    set(g, "ipairs", BaseLib::ipairs);
    set(g, "pairs", BaseLib::pairs);
    g.rawset(LuauString.of("next"), NEXT);
    set(g, "pcall", BaseLib::pcall);
    set(g, "xpcall", BaseLib::xpcall);
    set(g, "print", BaseLib::print);
    set(g, "rawequal", (L, a) -> Args.ret(Values.rawEquals(Args.checkAny(a, 0, "rawequal"),
        Args.checkAny(a, 1, "rawequal"))));
    set(g, "rawget", (L, a) -> Args.ret(Args.checkTable(a, 0, "rawget").rawget(Args.checkAny(a, 1, "rawget"))));
    set(g, "rawset", BaseLib::rawset);
    set(g, "rawlen", BaseLib::rawlen);
    set(g, "select", BaseLib::select);
    set(g, "tonumber", BaseLib::tonumber);
    set(g, "tostring", (L, a) -> Args.ret(Ops.tostring(L, Args.checkAny(a, 0, "tostring"))));
    set(g, "type", (L, a) -> Args.ret(LuauString.of(Values.typeName(Args.checkAny(a, 0, "type")))));
    set(g, "typeof", (L, a) -> Args.ret(LuauString.of(Ops.typeOf(L, Args.checkAny(a, 0, "typeof")))));
    set(g, "unpack", BaseLib::unpack);
    set(g, "newproxy", BaseLib::newproxy);
    set(g, "gcinfo", (L, a) -> Args.ret((double) (usedBytes(L) / 1024)));
    set(g, "collectgarbage", BaseLib::collectgarbage);
    g.rawset(LuauString.of("_G"), g);
    g.rawset(LuauString.of("_VERSION"), LuauString.of("Luau"));
    if (vm.options().legacyEnvFunctions()) {
      set(g, "loadstring", BaseLib::loadstring);
      set(g, "getfenv", BaseLib::getfenv);
      set(g, "setfenv", BaseLib::setfenv);
    }
  }

  private static void set(LuauTable g, String name, io.templateworker.luau.value.HostFunction fn) {
    g.rawset(LuauString.of(name), LuauFunction.host(name, fn));
  }

  private static Object[] assertFn(LuauThread L, Object[] a) {
    Object v = Args.checkAny(a, 0, "assert");
    if (Values.isTruthy(v)) {
      return a;
    }
    // Luau: luaL_error(L, "%s", luaL_optstring(L, 2, "assertion failed!")): a string message, positioned
    LuauString msg = Args.optString(a, 1, "assert", null);
    throw msg == null ? LuauError.runtime("assertion failed!") : LuauError.runtime(msg);
  }

  private static Object[] error(LuauThread L, Object[] a) {
    Object v = Args.arg(a, 0);
    long level = Args.optInteger(a, 1, "error", 1);
    if (level > 0 && (v instanceof LuauString || v instanceof Double)) { // a number is a string to Luau here
      v = LuauString.of(L.where((int) level)).concat(Values.toLuauString(v));
    }
    throw new LuauError(v);
  }

  private static Object[] getmetatable(LuauThread L, Object[] a) {
    LuauTable mt = Ops.metatable(L, Args.checkAny(a, 0, "getmetatable"));
    if (mt == null) {
      return Args.ret(null);
    }
    Object protectedMt = mt.rawgetStr(Meta.METATABLE);
    return Args.ret(protectedMt != null ? protectedMt : mt);
  }

  private static Object[] setmetatable(LuauThread L, Object[] a) {
    LuauTable t = Args.checkTable(a, 0, "setmetatable");
    Object mt = Args.arg(a, 1);
    if (mt != null && !(mt instanceof LuauTable)) {
      throw Errors.badArgument(2, "setmetatable", "nil or table expected");
    }
    LuauTable old = t.getMetatable();
    if (old != null && old.rawgetStr(Meta.METATABLE) != null) {
      throw LuauError.runtime("cannot change a protected metatable");
    }
    t.setMetatable((LuauTable) mt);
    return Args.ret(t);
  }

  private static Object[] ipairs(LuauThread L, Object[] a) {
    return new Object[] {IPAIRS_ITER, Args.checkTable(a, 0, "ipairs"), 0.0};
  }

  private static Object[] pairs(LuauThread L, Object[] a) {
    LuauTable t = Args.checkTable(a, 0, "pairs");
    return new Object[] {NEXT, t, null};
  }

  private static Object[] pcall(LuauThread L, Object[] a) {
    Object f = Args.checkAny(a, 0, "pcall");
    Object[] rest = a.length > 1 ? Arrays.copyOfRange(a, 1, a.length) : LuauFunction.NONE;
    int mark = L.markHostCall();
    L.enterHostLevel();
    try {
      Object[] r = Ops.call(L, f, rest);
      return prepend(Boolean.TRUE, r);
    } catch (LuauError e) {
      e.clearPosition();
      return new Object[] {Boolean.FALSE, e.value()};
    } catch (StackOverflowError so) {
      return new Object[] {Boolean.FALSE, LuauString.of("stack overflow")};
    } catch (RuntimeException | OutOfMemoryError bug) { // from a builtin pcall called directly
      return new Object[] {Boolean.FALSE, internal(bug, f).value()};
    } finally {
      L.exitHostLevel();
      L.restoreHostCall(mark);
    }
  }

  private static Object[] xpcall(LuauThread L, Object[] a) {
    Object handler = Args.checkFunction(a, 1, "xpcall"); // Luau checks the handler first
    Object f = Args.checkAny(a, 0, "xpcall");
    Object[] rest = a.length > 2 ? Arrays.copyOfRange(a, 2, a.length) : LuauFunction.NONE;
    LuauError caught;
    int mark = L.markHostCall();
    L.enterHostLevel();
    try {
      Object[] r = Ops.call(L, f, rest);
      return prepend(Boolean.TRUE, r);
    } catch (LuauError e) {
      e.clearPosition();
      caught = e;
    } catch (StackOverflowError so) {
      caught = new LimitExceeded(LimitExceeded.Kind.STACK);
      caught.clearPosition();
    } catch (RuntimeException | OutOfMemoryError bug) { // from a builtin xpcall called directly
      caught = internal(bug, f);
    } finally {
      L.exitHostLevel();
      L.restoreHostCall(mark);
    }
    String saved = L.swapErrorTraceback(caught.traceback());
    try {
      // the handler's first result only; if the handler fails too (an error, an overflow), Luau gives up
      Object[] r = L.call(handler, caught.value());
      return new Object[] {Boolean.FALSE, r.length > 0 ? r[0] : null};
    } catch (LuauError | StackOverflowError e2) {
      return new Object[] {Boolean.FALSE, ERROR_IN_ERROR_HANDLING};
    } finally {
      L.swapErrorTraceback(saved);
    }
  }

  private static final LuauString ERROR_IN_ERROR_HANDLING = LuauString.of("error in error handling");

  /** A Java exception from a function pcall/xpcall called directly, as the Luau error they return. */
  private static LuauError internal(Throwable t, Object fn) {
    LuauError e = t instanceof OutOfMemoryError ? new LimitExceeded(LimitExceeded.Kind.MEMORY)
        : io.templateworker.luau.errors.InternalFailure.of(t, fn instanceof LuauFunction lf ? lf.name() : null);
    e.clearPosition();
    return e;
  }

  static Object[] prepend(Object first, Object[] r) {
    if (r.length == 0) {
      return first == Boolean.TRUE ? TRUE_ONLY : new Object[] {first};
    }
    Object[] out = new Object[r.length + 1];
    out[0] = first;
    System.arraycopy(r, 0, out, 1, r.length);
    return out;
  }

  /** Writes the raw bytes of each value's tostring (Luau strings are bytes, not necessarily UTF-8). */
  private static Object[] print(LuauThread L, Object[] a) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64);
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        b.write('\t');
      }
      b.writeBytes(Ops.tostring(L, a[i]).bytes());
    }
    b.write('\n');
    PrintStream out = L.vm().stdout();
    out.write(b.toByteArray(), 0, b.size());
    return LuauFunction.NONE;
  }

  private static Object[] rawset(LuauThread L, Object[] a) {
    LuauTable t = Args.checkTable(a, 0, "rawset");
    Args.checkAny(a, 1, "rawset");
    Args.checkAny(a, 2, "rawset");
    t.rawset(a[1], a[2]);
    return Args.ret(t);
  }

  private static Object[] rawlen(LuauThread L, Object[] a) {
    Object v = Args.arg(a, 0);
    if (v instanceof LuauTable t) {
      return Args.ret((double) t.length());
    }
    if (v instanceof LuauString s) {
      return Args.ret((double) s.length());
    }
    throw Errors.badArgument(1, "rawlen", "table or string expected");
  }

  private static Object[] select(LuauThread L, Object[] a) {
    Object n = Args.arg(a, 0);
    int count = a.length - 1;
    if (n instanceof LuauString s && s.length() == 1 && s.byteAt(0) == '#') {
      return Args.ret((double) count);
    }
    long i = Args.checkInteger(a, 0, "select");
    if (i < 0) {
      i = count + i;
      if (i < 0) {
        throw Errors.badArgument(1, "select", "index out of range");
      }
    } else if (i == 0) {
      throw Errors.badArgument(1, "select", "index out of range");
    } else {
      i = i - 1;
    }
    if (i >= count) {
      return LuauFunction.NONE;
    }
    return Arrays.copyOfRange(a, 1 + (int) i, a.length);
  }

  private static Object[] tonumber(LuauThread L, Object[] a) {
    Object v = Args.checkAny(a, 0, "tonumber");
    if (a.length < 2 || a[1] == null) {
      if (v instanceof Double) {
        return Args.ret(v);
      }
      if (v instanceof LuauString s) {
        return Args.ret(Values.toNumber(s));
      }
      return Args.ret(null);
    }
    long base = Args.checkInteger(a, 1, "tonumber");
    if (base == 10) { // as Luau: base 10 is the ordinary conversion
      return Args.ret(Values.toNumber(v));
    }
    if (base < 2 || base > 36) {
      throw Errors.badArgument(2, "tonumber", "base out of range");
    }
    return Args.ret(NumberParser.withBase(Args.checkString(a, 0, "tonumber").bytes(), (int) base));
  }

  private static Object[] unpack(LuauThread L, Object[] a) {
    LuauTable t = Args.checkTable(a, 0, "unpack");
    long i = Args.optInteger(a, 1, "unpack", 1);
    long j = a.length > 2 && a[2] != null ? Args.checkInteger(a, 2, "unpack") : t.length();
    if (i > j) {
      return LuauFunction.NONE;
    }
    long n = j - i + 1;
    if (n >= MAX_UNPACK) {
      throw LuauError.runtime("too many results to unpack");
    }
    Object[] r = new Object[(int) n];
    for (int k = 0; k < n; k++) {
      r[k] = t.rawget((int) (i + k));
    }
    return r;
  }

  private static Object[] newproxy(LuauThread L, Object[] a) {
    Object arg = Args.arg(a, 0);
    if (arg != null && !(arg instanceof Boolean)) {
      throw Errors.typeMismatch(1, "newproxy", "nil or boolean", arg);
    }
    return Args.ret(new LuauUserdata(null, Boolean.TRUE.equals(arg) ? new LuauTable() : null));
  }

  private static long usedBytes(LuauThread L) {
    long accounted = L.vm().allocatedBytes();
    if (accounted > 0) {
      return accounted;
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * 'count' everywhere; 'collect' (the default) only outside the sandbox, as the reference CLI: a full JVM
   * collection, so weak tables lose what only they hold. A tenant must not stall the worker's JVM with it.
   */
  private static Object[] collectgarbage(LuauThread L, Object[] a) {
    LuauString opt = Args.optString(a, 0, "collectgarbage", LuauString.of("collect"));
    if (opt.toString().equals("count")) {
      return Args.ret(usedBytes(L) / 1024.0);
    }
    if (!L.vm().options().legacyEnvFunctions()) {
      throw LuauError.runtime("collectgarbage must be called with 'count'");
    }
    if (opt.toString().equals("collect")) {
      System.gc();
      return LuauFunction.NONE;
    }
    throw LuauError.runtime("collectgarbage must be called with 'count' or 'collect'");
  }

  // ---- legacy environment functions (bin/luau and hosts that opt in) ------------------------------

  private static Object[] loadstring(LuauThread L, Object[] a) {
    LuauString src = Args.checkString(a, 0, "loadstring");
    String name = a.length > 1 && a[1] != null ? Args.checkString(a, 1, "loadstring").toString()
        : chunkNameFor(src.toString());
    Chunk chunk;
    try {
      chunk = io.templateworker.luau.compiler.Compiler.compile(src.bytes(), name);
    } catch (io.templateworker.luau.errors.CompileError e) {
      return new Object[] {null, LuauString.of(e.firstMessage())};
    }
    return Args.ret(L.vm().load(chunk, callerEnv(L)));
  }

  /** Luau's chunk name for loaded strings: [string "first line..."]. */
  static String chunkNameFor(String src) {
    String first = src;
    int nl = first.indexOf('\n');
    boolean cut = false;
    if (nl >= 0) {
      first = first.substring(0, nl);
      cut = true;
    }
    if (first.length() > 40) {
      first = first.substring(0, 40);
      cut = true;
    }
    return "[string \"" + first + (cut ? "...\"]" : "\"]");
  }

  /** Where loadstring's functions get their globals: the thread's (Luau's luau_load uses L->gt). */
  private static LuauTable callerEnv(LuauThread L) {
    LuauTable g = L.globals();
    return g != null ? g : new LuauTable();
  }

  /**
   * The function whose environment getfenv/setfenv address: a Luau function given directly or found at a
   * call level; null for level 0 (the thread's globals). A builtin (given, or at that level) has no
   * environment of its own: getfenv reads the thread's globals for it, setfenv refuses it.
   */
  private static LuauFunction envTarget(LuauThread L, Object[] a, String fname) {
    Object v = Args.arg(a, 0);
    if (v instanceof LuauFunction f) {
      return f;
    }
    long level = v == null && fname.equals("getfenv") ? 1 : Args.checkInteger(a, 0, fname);
    if (level < 0) {
      throw Errors.badArgument(1, fname, "level must be non-negative");
    }
    if (level == 0) {
      return null;
    }
    Object[] info = L.levelInfo((int) Math.min(level, Integer.MAX_VALUE), "f");
    if (info == null) {
      throw Errors.badArgument(1, fname, "invalid level");
    }
    return (LuauFunction) info[0];
  }

  private static Object[] getfenv(LuauThread L, Object[] a) {
    LuauFunction f = envTarget(L, a, "getfenv");
    return Args.ret(f instanceof LuauClosure c ? c.env : L.globals());
  }

  private static Object[] setfenv(LuauThread L, Object[] a) {
    LuauTable env = Args.checkTable(a, 1, "setfenv");
    LuauFunction f = envTarget(L, a, "setfenv");
    if (f == null) {
      L.setGlobals(env); // setfenv(0, t): the running thread's globals
      return LuauFunction.NONE;
    }
    if (!(f instanceof LuauClosure c)) {
      throw LuauError.runtime("'setfenv' cannot change environment of given object");
    }
    c.env = env;
    return Args.ret(c);
  }
}
