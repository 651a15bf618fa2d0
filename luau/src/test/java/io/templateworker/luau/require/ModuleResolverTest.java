package io.templateworker.luau.require;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import org.junit.jupiter.api.Test;

/** Luau's require-by-string path rules over an in-memory tree. */
class ModuleResolverTest {
  private final MapModuleSource fs = new MapModuleSource()
      .file("/init.luau", "")
      .file("/util.luau", "")
      .file("/lib/strings.lua", "")
      .file("/lib/init.luau", "")
      .file("/lib/deep/x.luau", "")
      .file("/pkg/init.luau", "")
      .file("/pkg/part.luau", "")
      .file("/both.luau", "")
      .file("/both/init.luau", "")
      .alias("shared", "/vendor/shared")
      .file("/vendor/shared/log.luau", "");

  private String resolve(String from, String spec) {
    return ModuleResolver.resolve(fs, from, spec).path();
  }

  @Test
  void relative_paths_resolve_against_the_requiring_file() {
    assertThat(resolve("/init.luau", "./util")).isEqualTo("/util.luau");
    assertThat(resolve("/lib/deep/x.luau", "../strings")).isEqualTo("/lib/strings.lua");
    assertThat(resolve("/lib/deep/x.luau", "../../util")).isEqualTo("/util.luau");
  }

  @Test
  void directories_resolve_to_their_init_file() {
    assertThat(resolve("/init.luau", "./lib")).isEqualTo("/lib/init.luau");
    assertThat(resolve("/init.luau", "./pkg")).isEqualTo("/pkg/init.luau");
  }

  @Test
  void self_is_the_module_directory_of_an_init_file() {
    assertThat(resolve("/pkg/init.luau", "@self/part")).isEqualTo("/pkg/part.luau");
    assertThat(resolve("/pkg/init.luau", "./part")).isEqualTo("/pkg/part.luau");
  }

  @Test
  void aliases_map_to_their_directory_case_insensitively() {
    assertThat(resolve("/lib/deep/x.luau", "@shared/log")).isEqualTo("/vendor/shared/log.luau");
    assertThat(resolve("/lib/deep/x.luau", "@Shared/log")).isEqualTo("/vendor/shared/log.luau");
  }

  @Test
  void relative_trees_keep_leading_parent_segments_like_the_disk() {
    MapModuleSource rel = new MapModuleSource().file("bench_support.luau", "").file("bench/run.luau", "");
    assertThat(ModuleResolver.resolve(rel, "bench/run.luau", "../bench_support").path())
        .isEqualTo("bench_support.luau");
    assertThat(ModuleResolver.normalize("../a/./b/../c")).isEqualTo("../a/c");
  }

  @Test
  void bad_paths_are_errors_that_say_what_to_do() {
    assertThatThrownBy(() -> resolve("/init.luau", "util")).isInstanceOf(LuauError.class)
        .hasMessageContaining("must start with a valid prefix: ./, ../, or @");
    assertThatThrownBy(() -> resolve("/init.luau", "./missing")).hasMessageContaining("could not resolve")
        .hasMessageContaining("/missing.luau");
    assertThatThrownBy(() -> resolve("/init.luau", "@nope/x")).hasMessageContaining("@nope is not a valid alias");
    assertThatThrownBy(() -> resolve("/init.luau", "./both")).hasMessageContaining("ambiguous");
  }
}
