package io.templateworker.runtime.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.require.MapModuleSource;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import org.junit.jupiter.api.Test;

class CoreModulesTest {

  @Test
  void built_in_modules_win_over_a_luaurc_alias_of_the_same_name() {
    // templating-types ships @antiraid/*.luau stubs that only raise errors; an alias to them must not shadow us
    MapModuleSource files = new MapModuleSource()
        .alias("antiraid", "/types/@antiraid")
        .file("/types/@antiraid/json.luau", "error('Implemented internally in AntiRaid runtime!')")
        .file("/types/@antiraid/other.luau", "return 'from the alias'");
    Object[] r = ModuleScripts.run(files, """
        local json = require("@antiraid/json")
        return json.tojsonstring({1}), require("@antiraid/other")
        """);
    assertThat(r).containsExactly(LuauString.of("[1]"), LuauString.of("from the alias"));
  }

  @Test
  void every_core_module_is_a_frozen_table_made_once_per_vm() {
    for (String name : CoreModules.NAMES) {
      Object[] r = ModuleScripts.run("local m = require('" + name + "') return table.isfrozen(m), m == require('" + name + "')");
      assertThat(r).as(name).containsExactly(true, true);
    }
  }

  @Test
  void a_state_without_require_gets_one_for_the_modules() {
    try (LuauState state = LuauState.create(StateOptions.defaults())) {
      CoreModules.install(state);
      LuauTable env = state.newEnvironment();
      Object[] r = state.call(state.load(Luau.compile("return typeof(require('@antiraid/datetime').UTC)", "t"), env));
      assertThat(r).containsExactly(LuauString.of("Timezone"));
    }
  }

  @Test
  void a_channel_wait_outside_a_task_is_an_error_not_a_hang() {
    try (LuauState state = LuauState.create(StateOptions.defaults())) {
      CoreModules.install(state);
      LuauTable env = state.newEnvironment();
      Object[] r = state.call(state.load(Luau.compile(
          "local c = require('@antiraid/channel').OneshotChannel() return pcall(function() return c:recv() end)", "t"), env));
      assertThat(r[0]).isEqualTo(false);
      assertThat(r[1].toString()).contains("recv would wait forever here");
    }
  }
}
