package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;

/**
 * Argument checks for builtins: 0-based index in, 1-based position in messages, Luau's wording
 * ("invalid argument #1 to 'insert' (table expected, got nil)", "missing argument #1 to 'insert' (table expected)" past the end).
 */
public final class Args {
  private Args() {
  }

  /** The argument at {@code i}, or nil past the end. */
  public static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : null;
  }

  private static RuntimeException mismatch(Object[] args, int i, String fname, String expected) {
    if (i >= args.length) {
      return Errors.typeMismatchMissing(i + 1, fname, expected);
    }
    return Errors.typeMismatch(i + 1, fname, expected, args[i]);
  }

  public static Object checkAny(Object[] args, int i, String fname) {
    if (i >= args.length) {
      throw Errors.missingArgument(i + 1);
    }
    return args[i];
  }

  public static LuauTable checkTable(Object[] args, int i, String fname) {
    if (i < args.length && args[i] instanceof LuauTable t) {
      return t;
    }
    throw mismatch(args, i, fname, "table");
  }

  /** A string, or a number converted to one (Luau's argument coercion). */
  public static LuauString checkString(Object[] args, int i, String fname) {
    if (i < args.length) {
      Object v = args[i];
      if (v instanceof LuauString s) {
        return s;
      }
      if (v instanceof Double) { // numbers coerce; integers do not (Luau 0.735)
        return Values.toLuauString(v);
      }
    }
    throw mismatch(args, i, fname, "string");
  }

  public static LuauString optString(Object[] args, int i, String fname, LuauString dflt) {
    return i >= args.length || args[i] == null ? dflt : checkString(args, i, fname);
  }

  /** A number, or a numeric string converted to one. */
  public static double checkNumber(Object[] args, int i, String fname) {
    if (i < args.length) {
      Object v = args[i];
      if (v instanceof Double d) {
        return d;
      }
      if (v instanceof LuauString) {
        Double d = Values.toNumber(v);
        if (d != null) {
          return d;
        }
      }
    }
    throw mismatch(args, i, fname, "number");
  }

  /**
   * One passed argument (position {@code i}, 0-based) as a number, for builtins called without an argument array
   * ({@link io.templateworker.luau.value.HostFunction#call1} and kin): same coercion and errors as
   * {@link #checkNumber(Object[], int, String)} for an argument that was passed.
   */
  public static double number(Object v, int i, String fname) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof LuauString) {
      Double d = Values.toNumber(v);
      if (d != null) {
        return d;
      }
    }
    throw Errors.typeMismatch(i + 1, fname, "number", v);
  }

  /** One passed argument as a string (numbers converted), like {@link #checkString(Object[], int, String)}. */
  public static LuauString string(Object v, int i, String fname) {
    if (v instanceof LuauString s) {
      return s;
    }
    if (v instanceof Double) { // numbers coerce; integers do not (Luau 0.735)
      return Values.toLuauString(v);
    }
    throw Errors.typeMismatch(i + 1, fname, "string", v);
  }

  /** One passed argument as a C int, like {@link #checkInteger(Object[], int, String)} (out of range: INT_MIN). */
  public static long integer(Object v, int i, String fname) {
    return MathLib.toInt(number(v, i, fname));
  }

  public static double optNumber(Object[] args, int i, String fname, double dflt) {
    return i >= args.length || args[i] == null ? dflt : checkNumber(args, i, fname);
  }

  /**
   * Luau's luaL_checkinteger: a number truncated to a C int; out of the int range (and NaN) it is INT_MIN, as
   * the x86 conversion gives ({@code string.rep("x", 2^31)} is "", {@code ("abc"):sub(1, 1e10)} is "").
   */
  public static long checkInteger(Object[] args, int i, String fname) {
    return MathLib.toInt(checkNumber(args, i, fname));
  }

  public static long optInteger(Object[] args, int i, String fname, long dflt) {
    return i >= args.length || args[i] == null ? dflt : checkInteger(args, i, fname);
  }

  public static LuauFunction checkFunction(Object[] args, int i, String fname) {
    if (i < args.length && args[i] instanceof LuauFunction f) {
      return f;
    }
    throw mismatch(args, i, fname, "function");
  }

  public static boolean optBoolean(Object[] args, int i, boolean dflt) {
    return i >= args.length || args[i] == null ? dflt : Values.isTruthy(args[i]);
  }

  /** A one-element result array. */
  public static Object[] ret(Object v) {
    return new Object[] {v};
  }
}
