package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.task.TaskScheduler;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import java.util.Arrays;

/** The {@code task} library (spawn, defer, delay, wait, cancel) over a VM's {@link TaskScheduler}. */
public final class TaskLib {
  private TaskLib() {
  }

  public static void install(TaskScheduler s, LuauTable g) {
    LuauTable task = new LuauTable();
    set(task, "spawn", (L, a) -> Args.ret(s.spawn(L, target(a, 0, "spawn"), rest(a, 1))));
    set(task, "defer", (L, a) -> Args.ret(s.defer(target(a, 0, "defer"), rest(a, 1))));
    set(task, "delay", (L, a) -> {
      double secs = Args.checkNumber(a, 0, "delay");
      return Args.ret(s.delay(toNanos(secs), target(a, 1, "delay"), rest(a, 2)));
    });
    set(task, "wait", (L, a) -> {
      double secs = a.length > 0 && a[0] != null ? Args.checkNumber(a, 0, "wait") : 0;
      return s.sleep(L, toNanos(secs));
    });
    set(task, "cancel", (L, a) -> {
      if (a.length == 0 || !(a[0] instanceof LuauThread t)) {
        throw Errors.typeMismatch(1, "cancel", "thread", a.length == 0 ? null : a[0]);
      }
      s.cancel(t);
      return LuauFunction.NONE;
    });
    g.rawset(LuauString.of("task"), task);
  }

  private static long toNanos(double secs) {
    if (!(secs > 0)) {
      return 0; // negative and NaN mean "as soon as possible", as in Roblox
    }
    return secs >= 9.2e9 ? Long.MAX_VALUE / 2 : (long) (secs * 1e9);
  }

  private static Object target(Object[] a, int i, String fname) {
    Object v = Args.arg(a, i);
    if (v instanceof LuauFunction || v instanceof LuauThread) {
      return v;
    }
    throw i < a.length ? Errors.typeMismatch(i + 1, fname, "function or thread", v)
        : Errors.typeMismatchMissing(i + 1, fname, "function or thread");
  }

  private static Object[] rest(Object[] a, int from) {
    return a.length > from ? Arrays.copyOfRange(a, from, a.length) : LuauFunction.NONE;
  }

  private static void set(LuauTable t, String name, HostFunction fn) {
    t.rawset(LuauString.of(name), LuauFunction.host(name, fn));
  }
}
