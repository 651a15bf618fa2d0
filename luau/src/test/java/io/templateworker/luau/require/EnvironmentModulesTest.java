package io.templateworker.luau.require;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Files bound per environment: templates sharing one VM each require only their own files. */
class EnvironmentModulesTest {
  private final LuauState state = LuauState.create(StateOptions.defaults().withModules(new MapModuleSource()));
  private final RequireLib require = RequireLib.of(state.builtins());

  private Object[] runRoot(String src, LuauTable env) {
    return state.call(state.load(Luau.compile(src, "/init.luau"), env));
  }

  @Test
  void same_path_in_two_environments_reads_each_environments_own_file() {
    LuauTable a = state.newEnvironment();
    LuauTable b = state.newEnvironment();
    require.bindModules(a, new MapModuleSource().file("/util.luau", "return 'from a'"));
    require.bindModules(b, new MapModuleSource().file("/util.luau", "return 'from b'"));
    assertThat(runRoot("return require('./util')", a)[0]).hasToString("from a");
    assertThat(runRoot("return require('./util')", b)[0]).hasToString("from b");
  }

  @Test
  void a_file_of_another_environment_is_not_found() {
    LuauTable a = state.newEnvironment();
    LuauTable b = state.newEnvironment();
    require.bindModules(a, new MapModuleSource().file("/secret.luau", "return 42"));
    require.bindModules(b, new MapModuleSource());
    assertThatThrownBy(() -> runRoot("return require('./secret')", b))
        .isInstanceOf(LuauError.class).hasMessageContaining("could not resolve child component \"secret\"");
  }

  @Test
  void bound_files_compile_through_their_source() {
    AtomicInteger compiles = new AtomicInteger();
    MapModuleSource files = new MapModuleSource().file("/m.luau", "return 7");
    ModuleSource counting = new ModuleSource() {
      @Override
      public byte[] read(String path) {
        return files.read(path);
      }

      @Override
      public Chunk compile(String path, byte[] source) {
        compiles.incrementAndGet();
        return ModuleSource.super.compile(path, source);
      }
    };
    LuauTable env = state.newEnvironment();
    require.bindModules(env, counting);
    assertThat(runRoot("return require('./m') + require('./m')", env)[0]).isEqualTo(14.0);
    assertThat(compiles).hasValue(1);
  }

  @Test
  void a_state_without_require_has_no_library() {
    assertThat(RequireLib.of(LuauState.create().builtins())).isNull();
  }
}
