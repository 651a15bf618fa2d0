package io.templateworker.luau.vm;

import io.templateworker.luau.value.LuauString;

/** Metamethod names as canonical LuauStrings (identity compares hit first in table lookups). */
public final class Meta {
  private Meta() {
  }

  /** Canonical instances, the same the compiler uses for {@code __index} etc. in scripts. */
  private static LuauString name(String s) {
    return LuauString.intern(LuauString.of(s));
  }

  public static final LuauString INDEX = name("__index");
  public static final LuauString NEWINDEX = name("__newindex");
  public static final LuauString CALL = name("__call");
  public static final LuauString CONCAT = name("__concat");
  public static final LuauString UNM = name("__unm");
  public static final LuauString EQ = name("__eq");
  public static final LuauString LT = name("__lt");
  public static final LuauString LE = name("__le");
  public static final LuauString LEN = name("__len");
  public static final LuauString TOSTRING = name("__tostring");
  public static final LuauString NAME = name("__name");
  public static final LuauString METATABLE = name("__metatable");
  public static final LuauString MODE = name("__mode");
  public static final LuauString ITER = name("__iter");
  public static final LuauString TYPE = name("__type");

  /** Arithmetic events, indexed by the Ops.ADD.. constants. */
  static final LuauString[] ARITH = {
      name("__add"), name("__sub"), name("__mul"), name("__div"),
      name("__mod"), name("__pow"), name("__idiv"), name("__unm"),
  };
  static final String[] ARITH_NAMES = {"add", "sub", "mul", "div", "mod", "pow", "idiv", "unm"};
}
