package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builtins called with one to three arguments for their first result take a path without argument and result
 * arrays ({@code HostFunction.call1..3}), compiled and interpreted. For many argument values (numbers of every
 * kind, numeric and other strings, nil, booleans, tables, integers) that path must give exactly what the general
 * path gives ({@code {f(...)}}): the same first result, or the same error message at the same position.
 */
class FastBuiltinCallTest {

  static List<String> builtins() {
    return List.of("math.abs", "math.acos", "math.asin", "math.atan2", "math.atan", "math.ceil", "math.cosh",
        "math.cos", "math.deg", "math.exp", "math.floor", "math.fmod", "math.log10", "math.log", "math.max",
        "math.min", "math.pow", "math.rad", "math.sinh", "math.sin", "math.sqrt", "math.tanh", "math.tan",
        "math.clamp", "math.sign", "math.round",
        "bit32.arshift", "bit32.band", "bit32.bnot", "bit32.bor", "bit32.btest", "bit32.bxor", "bit32.lrotate",
        "bit32.lshift", "bit32.rrotate", "bit32.rshift", "bit32.countlz", "bit32.countrz", "bit32.byteswap",
        "bit32.extract", "bit32.replace",
        "string.byte", "string.char", "string.len", "string.lower", "string.sub", "string.upper", "string.rep",
        "type", "tostring", "tonumber", "rawlen", "select");
  }

  /**
   * Per builtin, a fresh chunk (so in the default tier mode the loop-free helpers stay interpreted and the ones
   * with a loop are compiled on their first call): compares the four call paths for every argument combination.
   */
  private static final String CHECK = """
      local f = ...
      local V = {3, -3.7, 0, -0, 1e300, 0/0, math.huge, -math.huge, 2^31, 2^32 + 5, -1, 255, 256, 31, 32, 33,
        "12", "0x10", " 7 ", "abc", "", "héllo", true, false, {}, 1i}
      local S = {1, -1, 0, 2.5, 100, "2", "x", {}}
      -- the same line for all helpers: an error's position is the calling function's line
      local function c1(a) local r for _ = 1, 1 do r = f(a) end return r end local function g1(a) local r for _ = 1, 1 do r = {f(a)} end return r[1] end local function i1(a) return (f(a)) end
      local function c2(a, b) local r for _ = 1, 1 do r = f(a, b) end return r end local function g2(a, b) local r for _ = 1, 1 do r = {f(a, b)} end return r[1] end local function i2(a, b) return (f(a, b)) end
      local function c3(a, b, c) local r for _ = 1, 1 do r = f(a, b, c) end return r end local function g3(a, b, c) local r for _ = 1, 1 do r = {f(a, b, c)} end return r[1] end local function i3(a, b, c) return (f(a, b, c)) end
      local function same(x, y)
        return type(x) == type(y) and (x == y or (x ~= x and y ~= y) or type(x) == "table")
      end
      local bad = {}
      local function compare(fast, interp, general, ...)
        local ok1, r1 = pcall(fast, ...)
        local ok2, r2 = pcall(interp, ...)
        local ok3, r3 = pcall(general, ...)
        if ok1 ~= ok3 or not same(r1, r3) or ok2 ~= ok3 or not same(r2, r3) then
          local args = {}
          for i = 1, select("#", ...) do args[i] = tostring((select(i, ...))) end
          bad[#bad + 1] = `({table.concat(args, ", ")}): compiled {tostring(r1)} interpreted {tostring(r2)} general {tostring(r3)}`
        end
      end
      for _, a in V do
        compare(c1, i1, g1, a)
        for _, b in V do
          compare(c2, i2, g2, a, b)
        end
        for _, b in S do
          for _, c in S do
            compare(c3, i3, g3, a, b, c)
          end
        end
      end
      compare(c2, i2, g2, nil, 1)
      compare(c3, i3, g3, 1, nil, nil)
      compare(c3, i3, g3, "hello", nil, 3)
      return table.concat(bad, "\\n")
      """;

  @ParameterizedTest
  @MethodSource("builtins")
  void the_one_result_call_paths_agree_with_the_general_path(String builtin) {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults())) {
      var globals = Luau.standardGlobals(vm);
      LuauFunction main = vm.load(Luau.compile(CHECK, "fast"), globals);
      Object fn = vm.load(Luau.compile("return " + builtin, "get"), globals).call(vm.mainThread(), LuauFunction.NONE)[0];
      Object[] r = main.call(vm.mainThread(), new Object[] {fn});
      assertThat(r[0].toString()).as(builtin).isEmpty();
    }
  }
}
