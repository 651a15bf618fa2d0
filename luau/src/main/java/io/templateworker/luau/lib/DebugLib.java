package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
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
    LuauString msg = Args.optString(a, arg, "traceback", null);
    long level = Args.optInteger(a, arg + 1, "traceback", target == L ? 1 : 0);
    if (level < 0) {
      throw Errors.badArgument(arg + 2, "traceback", "level can't be negative");
    }
    String text = msg == null ? null : msg.toString();
    return StringLib.one(LuauString.of(target.traceback(text, (int) Math.min(level, Integer.MAX_VALUE), target != L)));
  }

  private static Object[] info(LuauThread L, Object[] a) {
    LuauThread target = L;
    int arg = 0;
    if (Args.arg(a, 0) instanceof LuauThread t) {
      target = t;
      arg = 1;
    }
    Object subject = Args.arg(a, arg);
    Double levelArg = Values.toNumber(subject);
    if (levelArg == null && !(arg == 0 && subject instanceof LuauFunction)) {
      throw Errors.badArgument(arg + 1, "info", "function or level expected");
    }
    if (levelArg != null && levelArg < 0) {
      throw Errors.badArgument(arg + 1, "info", "level can't be negative");
    }
    String what = Args.checkString(a, arg + 1, "info").toString();
    int level = levelArg == null ? 0 : (int) Math.min(levelArg, Integer.MAX_VALUE);
    if (levelArg != null && !(level == 0 && target == L) && target.levelInfo(level, "") == null) {
      return LuauFunction.NONE; // no function at that level: nothing, whatever the options
    }
    for (int i = 0; i < what.length(); i++) {
      char c = what.charAt(i);
      if (c >= 'a' && c <= 'z' && what.indexOf(c) != i) {
        throw Errors.badArgument(arg + 2, "info", "duplicate option");
      }
      if (INFO_OPTIONS.indexOf(c) < 0) {
        throw Errors.badArgument(arg + 2, "info", "invalid option");
      }
    }
    Object[] r;
    if (levelArg == null) {
      r = target.debugInfo((LuauFunction) subject, what);
    } else if (level == 0 && target == L) {
      r = target.debugInfo(INFO, what); // level 0 is debug.info itself
    } else {
      r = target.levelInfo(level, what);
    }
    if (r == null) {
      return LuauFunction.NONE;
    }
    // an unknown name is reported as "" rather than nil
    int k = 0;
    for (int i = 0; i < what.length(); i++) {
      char c = what.charAt(i);
      if (c == 'n' && r[k] == null) {
        r[k] = LuauString.EMPTY;
      }
      k += c == 'a' ? 2 : 1;
    }
    return r;
  }
}
