package io.templateworker.luau.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.value.LuauTable;
import org.junit.jupiter.api.Test;

/**
 * Compiled global and field reads remember values read from frozen tables ({@link FieldCache}); what a script
 * sees must not change: a later global of its own shadows a builtin, and one site reading several tables
 * gets each table's value.
 */
class FieldCacheTest {

  /** Runs {@code source}, every function compiled, in a script environment (frozen builtins behind it). */
  private static String run(String source) {
    try (LuauState state = LuauState.create(StateOptions.defaults())) {
      LuauTable env = state.newScriptEnvironment();
      Object[] r = state.call(state.load(JitHarness.compiled(source, "cache"), env));
      return Luau.display(r[0]);
    }
  }

  @Test
  void a_global_assigned_after_the_builtin_was_read_shadows_it_at_once() {
    assertThat(run("""
        local seen = {}
        for i = 1, 6 do
          seen[i] = math.floor(2.5)
          if i == 3 then math = { floor = function() return 'own' end } end
        end
        return table.concat(seen, ',')
        """)).isEqualTo("2,2,2,own,own,own");
  }

  @Test
  void one_site_reading_several_frozen_tables_gives_each_its_own_value() {
    assertThat(run("""
        local tables = {}
        for i = 1, 12 do tables[i] = table.freeze({ x = i }) end
        local sum = 0
        for round = 1, 3 do
          for i = 1, 12 do
            T = tables[i]
            sum += T.x
          end
        end
        return sum
        """)).isEqualTo("234");
  }

  @Test
  void a_table_that_is_not_frozen_is_read_afresh_every_time() {
    assertThat(run("""
        T = { x = 1 }
        local seen = {}
        for i = 1, 4 do
          seen[i] = T.x
          T.x = i * 10
        end
        return table.concat(seen, ',')
        """)).isEqualTo("1,10,20,30");
  }

  @Test
  void a_missing_builtin_field_goes_through_the_metatable_as_before() {
    assertThat(run("""
        Fallback = table.freeze(setmetatable({}, { __index = function(_, k) return k .. '!' end }))
        local seen = {}
        for i = 1, 3 do seen[i] = Fallback.hello end
        return table.concat(seen, ',') .. ' ' .. tostring(math.nothing)
        """)).isEqualTo("hello!,hello!,hello! nil");
  }
}
