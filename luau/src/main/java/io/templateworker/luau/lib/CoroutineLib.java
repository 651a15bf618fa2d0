package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/** The coroutine library over {@link LuauThread#resume} / {@link LuauThread#yield}. */
public final class CoroutineLib {
  private CoroutineLib() {
  }

  public static void install(LuauVM vm, LuauTable g) {
    LuauTable co = new LuauTable();
    set(co, "create", (L, a) -> Args.ret(newThread(L, Args.checkFunction(a, 0, "create"))));
    set(co, "resume", CoroutineLib::resume);
    set(co, "yield", (L, a) -> L.yield(a));
    set(co, "status", CoroutineLib::status);
    set(co, "wrap", CoroutineLib::wrap);
    set(co, "running", (L, a) -> new Object[] {L, L.isMainThread()});
    set(co, "isyieldable", (L, a) -> Args.ret(L.isYieldable()));
    set(co, "close", CoroutineLib::close);
    g.rawset(LuauString.of("coroutine"), co);
  }

  private static void set(LuauTable t, String name, HostFunction fn) {
    t.rawset(LuauString.of(name), LuauFunction.host(name, fn));
  }

  private static LuauThread checkThread(Object[] a, int i, String fname) {
    if (i < a.length && a[i] instanceof LuauThread t) {
      return t;
    }
    throw i < a.length ? Errors.typeMismatch(i + 1, fname, "thread", a[i])
        : Errors.typeMismatchMissing(i + 1, fname, "thread");
  }

  private static Object[] resume(LuauThread L, Object[] a) {
    LuauThread co = checkThread(a, 0, "resume");
    Object[] args = new Object[Math.max(0, a.length - 1)];
    System.arraycopy(a, 1, args, 0, args.length);
    try {
      return BaseLib.prepend(Boolean.TRUE, L.resume(co, args));
    } catch (LuauError e) {
      e.clearPosition();
      return new Object[] {Boolean.FALSE, e.value()};
    }
  }

  private static Object[] status(LuauThread L, Object[] a) {
    LuauThread co = checkThread(a, 0, "status");
    String s = co == L ? "running" : co.status().label();
    return Args.ret(LuauString.of(s));
  }

  /** A coroutine of {@code L}'s: it starts with L's globals, as Luau's lua_newthread copies them. */
  private static LuauThread newThread(LuauThread L, LuauFunction body) {
    LuauThread co = L.vm().newThread(body);
    co.setGlobals(L.globals());
    return co;
  }

  private static Object[] wrap(LuauThread L, Object[] a) {
    LuauThread co = newThread(L, Args.checkFunction(a, 0, "wrap"));
    return Args.ret(LuauFunction.host("wrap", (L2, args) -> {
      try {
        return L2.resume(co, args);
      } catch (LuauError e) {
        // as Luau's auxwrap: a string error travels on with the position of the wrapped function's caller
        if (e.getClass() == LuauError.class && e.value() instanceof LuauString msg) { // limits keep their type
          LuauError moved = new LuauError(LuauString.of(L2.where(1)).concat(msg));
          moved.setTraceback(e.traceback());
          throw moved;
        }
        throw e;
      }
    }));
  }

  private static Object[] close(LuauThread L, Object[] a) {
    LuauThread co = checkThread(a, 0, "close");
    LuauError e = co.close();
    if (e == null) {
      return Args.ret(Boolean.TRUE);
    }
    return new Object[] {Boolean.FALSE, e.value()};
  }
}
