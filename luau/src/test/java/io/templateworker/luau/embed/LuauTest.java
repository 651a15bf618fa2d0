package io.templateworker.luau.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauVM;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LuauTest {

  @Test
  void java_values_convert_to_luau_and_back() {
    Object t = Luau.toLuau(Map.of("name", "x", "tags", List.of("a", "b"), "n", 3));
    assertThat(t).isInstanceOf(LuauTable.class);
    LuauTable table = (LuauTable) t;
    assertThat(table.rawget(LuauString.of("name"))).isEqualTo(LuauString.of("x"));
    assertThat(table.rawget(LuauString.of("n"))).isEqualTo(3.0);
    Object back = Luau.toJava(table);
    assertThat(back).isEqualTo(Map.of("name", "x", "tags", List.of("a", "b"), "n", 3.0));
  }

  @Test
  void host_functions_are_callable_from_luau_and_luau_functions_from_java() {
    try (LuauVM vm = LuauVM.create()) {
      LuauTable g = Luau.standardGlobals(vm);
      g.rawset(LuauString.of("twice"), LuauFunction.host("twice", (L, a) -> new Object[] {(Double) a[0] * 2}));
      Object[] r = Luau.run(vm, g, "local function add(a, b) return a + b end return add, twice(21)", "t");
      assertThat(r[1]).isEqualTo(42.0);
      LuauFunction add = (LuauFunction) r[0];
      assertThat(add.call(vm.mainThread(), new Object[] {1.0, 2.0})).containsExactly(3.0);
    }
  }

  @Test
  void a_luau_error_reaches_java_with_its_value_and_traceback() {
    try (LuauVM vm = LuauVM.create()) {
      LuauTable g = Luau.standardGlobals(vm);
      assertThatThrownBy(() -> Luau.run(vm, g, "local function f()\n  error({code = 7})\nend\nf()", "chunk"))
          .isInstanceOfSatisfying(LuauError.class, e -> {
            assertThat(e.value()).isInstanceOf(LuauTable.class);
            assertThat(((LuauTable) e.value()).rawget(LuauString.of("code"))).isEqualTo(7.0);
            assertThat(e.traceback()).contains("chunk:2 function f").contains("chunk:4");
          });
    }
  }

  @Test
  void each_environment_sees_only_its_own_globals() {
    try (LuauVM vm = LuauVM.create()) {
      LuauTable a = Luau.standardGlobals(vm);
      LuauTable b = Luau.standardGlobals(vm);
      Luau.run(vm, a, "secret = 1", "a");
      assertThat(Luau.run(vm, b, "return secret", "b")).containsExactly((Object) null);
    }
  }
}
