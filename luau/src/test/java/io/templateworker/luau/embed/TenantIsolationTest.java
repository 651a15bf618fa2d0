package io.templateworker.luau.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauTable;
import org.junit.jupiter.api.Test;

/** Tenants sharing one VM: own globals, shared frozen builtins, no way to reach each other. */
class TenantIsolationTest {
  private final LuauState state = LuauState.create();

  @Test
  void globals_of_one_tenant_are_invisible_to_another() {
    LuauTable a = state.newEnvironment();
    LuauTable b = state.newEnvironment();
    state.run("secret = 'a-token'; counter = 1", "a", a);
    Object[] r = state.run("return secret, counter, _G.secret", "b", b);
    assertThat(r).containsExactly(null, null, null);
    assertThat(state.run("return secret", "a2", a)[0]).hasToString("a-token");
  }

  @Test
  void a_tenant_overriding_a_builtin_affects_only_itself() {
    LuauTable a = state.newEnvironment();
    LuauTable b = state.newEnvironment();
    state.run("print = function() end; string = {}; type = function() return 'hacked' end", "a", a);
    assertThat(state.run("return type(1), typeof(string.upper)", "b", b)).containsExactly(
        io.templateworker.luau.value.LuauString.of("number"),
        io.templateworker.luau.value.LuauString.of("function"));
    assertThat(state.run("return type(1)", "a", a)[0]).hasToString("hacked");
  }

  @Test
  void shared_libraries_and_the_string_metatable_are_read_only() {
    LuauTable a = state.newEnvironment();
    for (String attack : new String[] {
        "string.upper = nil", "table.insert = print", "rawset(math, 'pi', 3)",
        "getmetatable('').__index = {}", "getmetatable('').__index.len = nil", "setmetatable(_G, nil)",
        "getmetatable(_G).__index = {}"}) {
      assertThatThrownBy(() -> state.run(attack, "attack", a)).as(attack).isInstanceOf(LuauError.class);
    }
    LuauTable b = state.newEnvironment();
    assertThat(state.run("return string.upper('x'), math.pi > 3.14, ('abc'):len()", "b", b))
        .containsExactly(io.templateworker.luau.value.LuauString.of("X"), Boolean.TRUE, 3.0);
  }

  @Test
  void the_environment_metatable_is_locked() {
    Object[] r = state.run("return getmetatable(_G)", "peek", state.newEnvironment());
    assertThat(r[0]).hasToString("The metatable is locked");
  }

  @Test
  void sandboxed_states_have_no_environment_or_bytecode_functions() {
    Object[] r = state.run("return getfenv, setfenv, loadstring, load, string.dump", "probe",
        state.newEnvironment());
    assertThat(r).containsOnlyNulls();
  }

  @Test
  void load_runs_in_the_callers_environment_when_enabled() {
    try (LuauState withLoad = LuauState.create(StateOptions.defaults().withAllowLoad(true))) {
      LuauTable a = withLoad.newEnvironment();
      LuauTable b = withLoad.newEnvironment();
      withLoad.run("x = 'a'", "a", a);
      withLoad.run("x = 'b'", "b", b);
      assertThat(withLoad.run("return loadstring('return x')()", "a", a)[0]).hasToString("a");
      assertThatThrownBy(() -> withLoad.run("loadstring('string.upper = nil')()", "a", a))
          .isInstanceOf(LuauError.class).hasMessageContaining("readonly");
    }
  }

  @Test
  void builtins_are_sealed_after_the_first_environment() {
    state.newEnvironment();
    assertThatThrownBy(() -> state.defineGlobal("late", 1.0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the first newEnvironment");
  }

  @Test
  void dropped_environments_no_longer_count_as_live_memory() {
    LuauTable a = state.newEnvironment();
    state.run("big = {} for i = 1, 20000 do big[i] = tostring(i) end", "a", a);
    long withTenant = state.measureMemory();
    state.dropEnvironment(a);
    long without = state.measureMemory();
    assertThat(withTenant - without).isGreaterThan(20000L * 40);
  }
}
