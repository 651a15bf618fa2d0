package io.templateworker.luau.vm;

import io.templateworker.luau.value.LuauString;

/** Metamethod names as interned LuauStrings (identity compares hit first in table lookups). */
public final class Meta {
  private Meta() {
  }

  public static final LuauString INDEX = LuauString.of("__index");
  public static final LuauString NEWINDEX = LuauString.of("__newindex");
  public static final LuauString CALL = LuauString.of("__call");
  public static final LuauString CONCAT = LuauString.of("__concat");
  public static final LuauString UNM = LuauString.of("__unm");
  public static final LuauString EQ = LuauString.of("__eq");
  public static final LuauString LT = LuauString.of("__lt");
  public static final LuauString LE = LuauString.of("__le");
  public static final LuauString LEN = LuauString.of("__len");
  public static final LuauString TOSTRING = LuauString.of("__tostring");
  public static final LuauString NAME = LuauString.of("__name");
  public static final LuauString METATABLE = LuauString.of("__metatable");
  public static final LuauString MODE = LuauString.of("__mode");
  public static final LuauString ITER = LuauString.of("__iter");
  public static final LuauString TYPE = LuauString.of("__type");

  /** Arithmetic events, indexed by the Ops.ADD.. constants. */
  static final LuauString[] ARITH = {
      LuauString.of("__add"), LuauString.of("__sub"), LuauString.of("__mul"), LuauString.of("__div"),
      LuauString.of("__mod"), LuauString.of("__pow"), LuauString.of("__idiv"), LuauString.of("__unm"),
  };
  static final String[] ARITH_NAMES = {"add", "sub", "mul", "div", "mod", "pow", "idiv", "unm"};
}
