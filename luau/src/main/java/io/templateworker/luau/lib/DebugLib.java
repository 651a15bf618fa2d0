package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * The sandboxed {@code debug} library: {@code traceback} and {@code info} only, both over the interpreter's
 * own frame records ({@link LuauThread#traceback}, {@link LuauThread#debugInfo}).
 */
public final class DebugLib {

  private static final String INFO_OPTIONS = "slnaf";
  private static final LuauFunction INFO = LuauFunction.host("info", DebugLib::info);

  private DebugLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable d = new LuauTable(0, 2);
    StringLib.reg(d, "traceback", DebugLib::traceback);
    d.rawset(LuauString.of("info"), INFO);
    globals.rawset(LuauString.of("debug"), d);
  }

  private static Object[] traceback(LuauThread L, Object[] a) {
    LuauThread target = L;
    int arg = 0;
    if (Args.arg(a, 0) instanceof LuauThread t) {
      target = t;
      arg = 1;
    }
    Object msg = Args.arg(a, arg);
    if (msg != null && !(msg instanceof LuauString) && !(msg instanceof Double)) {
      return StringLib.one(msg); // a non-string message is passed through untouched
    }
    long level = Args.optInteger(a, arg + 1, "traceback", target == L ? 1 : 0);
    if (level < 0) {
      throw Errors.badArgument(arg + 2, "traceback", "level can't be negative");
    }
    String text = msg == null ? null : Args.checkString(a, arg, "traceback").toString();
    return StringLib.one(LuauString.of(target.traceback(text, (int) Math.min(level, Integer.MAX_VALUE))));
  }

  private static Object[] info(LuauThread L, Object[] a) {
    LuauThread target = L;
    int arg = 0;
    if (Args.arg(a, 0) instanceof LuauThread t) {
      target = t;
      arg = 1;
    }
    String what = Args.checkString(a, arg + 1, "info").toString();
    for (int i = 0; i < what.length(); i++) {
      char c = what.charAt(i);
      if (INFO_OPTIONS.indexOf(c) < 0) {
        throw Errors.badArgument(arg + 2, "info", "invalid option");
      }
      if (what.indexOf(c) != i) {
        throw Errors.badArgument(arg + 2, "info", "duplicate option");
      }
    }
    Object subject = Args.arg(a, arg);
    if (subject instanceof LuauFunction f) {
      return target.debugInfo(f, what);
    }
    if (!(subject instanceof Double)) {
      throw arg >= a.length ? Errors.typeMismatchMissing(arg + 1, "info", "function or level")
          : Errors.typeMismatch(arg + 1, "info", "function or level", subject);
    }
    long level = Args.checkInteger(a, arg, "info");
    if (level < 0) {
      throw Errors.badArgument(arg + 1, "info", "level can't be negative");
    }
    if (level == 0 && target == L) {
      return target.debugInfo(INFO, what); // level 0 is debug.info itself
    }
    Object[] r = target.debugInfo((int) Math.min(level, Integer.MAX_VALUE), what);
    return r == null ? LuauFunction.NONE : r;
  }
}
