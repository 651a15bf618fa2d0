package io.templateworker.luau.require;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauTable;
import org.junit.jupiter.api.Test;

/** require inside a VM: caching per environment, cycles, chunk names in errors and tracebacks. */
class RequireTest {
  private final MapModuleSource fs = new MapModuleSource()
      .file("/counter.luau", "loads = (loads or 0) + 1 return {n = 0}")
      .file("/lib/init.luau", "local s = require('@self/strings') return {up = s.up}")
      .file("/lib/strings.luau", "return {up = function(x) return string.upper(x) end}")
      .file("/a.luau", "local b = require('./b') return 'a'")
      .file("/b.luau", "local a = require('./a') return 'b'")
      .file("/bad.luau", "local function explode() error('module failed') end\nexplode()\nreturn 1")
      .file("/two.luau", "return 1, 2")
      .file("/syntax.luau", "return (");
  private final LuauState state = LuauState.create(StateOptions.defaults().withModules(fs));

  private Object[] runRoot(String src, LuauTable env) {
    return state.call(state.load(Luau.compile(src, "/init.luau"), env));
  }

  @Test
  void modules_load_once_per_environment_and_are_shared_within_it() {
    LuauTable env = state.newEnvironment();
    Object[] r = runRoot("""
        local c1 = require('./counter')
        local c2 = require('./counter')
        c1.n += 1
        return c1 == c2, c2.n, loads, require('./lib').up('x')
        """, env);
    assertThat(r[0]).isEqualTo(Boolean.TRUE);
    assertThat(r[1]).isEqualTo(1.0);
    assertThat(r[2]).isEqualTo(1.0);
    assertThat(r[3]).hasToString("X");
    LuauTable other = state.newEnvironment();
    Object[] r2 = runRoot("return require('./counter').n, loads", other);
    assertThat(r2).containsExactly(0.0, 1.0); // a fresh instance for the other tenant
  }

  @Test
  void a_cycle_is_reported_with_its_chain() {
    assertThatThrownBy(() -> runRoot("return require('./a')", state.newEnvironment()))
        .isInstanceOf(LuauError.class)
        .hasMessageContaining("cyclic module dependency: /a.luau -> /b.luau -> /a.luau");
  }

  @Test
  void errors_in_modules_name_the_module_file_in_message_and_traceback() {
    assertThatThrownBy(() -> runRoot("return require('./bad')", state.newEnvironment()))
        .isInstanceOfSatisfying(LuauError.class, e -> {
          assertThat(e.getMessage()).startsWith("/bad.luau:1: module failed");
          assertThat(e.traceback()).contains("/bad.luau:2").contains("/init.luau:1");
        });
  }

  @Test
  void a_failed_module_is_not_cached_and_may_be_retried() {
    LuauTable env = state.newEnvironment();
    Object[] r = runRoot("""
        local ok1 = pcall(require, './bad')
        local ok2, err = pcall(require, './bad')
        return ok1, ok2, err
        """, env);
    assertThat(r[0]).isEqualTo(Boolean.FALSE);
    assertThat(r[1]).isEqualTo(Boolean.FALSE);
    assertThat(r[2].toString()).contains("module failed");
  }

  @Test
  void a_module_must_return_exactly_one_value_and_compile() {
    assertThatThrownBy(() -> runRoot("return require('./two')", state.newEnvironment()))
        .hasMessageContaining("module /two.luau must return a single value, got 2");
    assertThatThrownBy(() -> runRoot("return require('./syntax')", state.newEnvironment()))
        .hasMessageContaining("error requiring module \"./syntax\": /syntax.luau:1:");
  }
}
