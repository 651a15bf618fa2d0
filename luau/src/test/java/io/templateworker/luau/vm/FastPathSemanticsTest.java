package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.value.LuauFunction;
import org.junit.jupiter.api.Test;

/** The interpreter's shortcuts (constant operands, direct local lists, two-target assignment) keep Luau's semantics. */
class FastPathSemanticsTest {

  private static Object[] run(String source) {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults())) {
      LuauFunction f = vm.load(Luau.compile(source, "fast"), Luau.standardGlobals(vm));
      return f.call(vm.mainThread(), LuauFunction.NONE);
    }
  }

  @Test
  void constant_operands_pass_metamethods_their_arguments_in_source_order() {
    Object[] r = run("""
        local mt = {}
        mt.__mul = function(a, b) return (type(a) == 'number' and 'k' or 'v') .. '*' .. (type(b) == 'number' and 'k' or 'v') end
        mt.__div = function(a, b) return (type(a) == 'number' and 'k' or 'v') .. '/' .. (type(b) == 'number' and 'k' or 'v') end
        local v = setmetatable({}, mt)
        local n = 4
        return 2 * v, v * 2, 3 / v, v / 3, 7 / 2, 2 * 3.5, 1 < n, n < 1, n / 0""");
    assertThat(r).extracting(String::valueOf)
        .containsExactly("k*v", "v*k", "k/v", "v/k", "3.5", "7.0", "true", "false", "Infinity");
  }

  @Test
  void arithmetic_on_a_constant_and_a_non_number_names_the_operand_types() {
    Object[] r = run("local ok, e = pcall(function() local t = {} return 2 / t end) return e");
    assertThat(r[0].toString()).isEqualTo("fast:1: attempt to perform arithmetic (div) on number and table");
  }

  @Test
  void a_local_list_takes_first_values_of_calls_and_sees_only_outer_locals() {
    Object[] r = run("""
        local function two() return 1, 2 end
        local a, b = 10, 20
        local b, a = a, b
        local x, y = two(), two()
        local p, q = two()
        return a, b, x, y, p, q""");
    assertThat(r).containsExactly(20.0, 10.0, 1.0, 1.0, 1.0, 2.0);
  }

  @Test
  void a_two_target_assignment_evaluates_everything_before_storing() {
    Object[] r = run("""
        local t = {1, 2, 3}
        local i, j = 1, 3
        t[i], t[j] = t[j], t[i]
        i, t[i] = i + 1, 'x'
        local function two() return 'a', 'b' end
        local u, w = {}, nil
        u[1], w = two()
        return t[1], t[2], t[3], i, u[1], w""");
    assertThat(r).extracting(String::valueOf).containsExactly("x", "2.0", "1.0", "2.0", "a", "b");
  }
}
