package io.templateworker.luau.require;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/luau's file system: requires resolve on disk relative to the requiring file, as the reference CLI does. */
class DiskRequireTest {
  @TempDir
  Path dir;

  @Test
  void parent_relative_require_from_a_script_in_a_subdirectory() throws IOException {
    Files.writeString(dir.resolve("bench_support.luau"), "return {name = 'support', helper = require('./lib')}");
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/init.luau"), "return 'lib/init'");
    Files.createDirectories(dir.resolve("bench"));
    Path script = dir.resolve("bench/run.luau");
    Files.writeString(script, "local s = require('../bench_support') return s.name, s.helper");
    try (LuauState state = LuauState.create(StateOptions.defaults().withModules(new DiskModuleSource()))) {
      String chunkName = script.toString();
      Object[] r = state.call(state.load(Luau.compile(Files.readAllBytes(script), chunkName),
          state.newEnvironment()));
      assertThat(r[0]).hasToString("support");
      assertThat(r[1]).hasToString("lib/init");
    }
  }

  @Test
  void aliases_come_from_a_luaurc() throws IOException {
    Files.createDirectories(dir.resolve("vendor/log"));
    Files.writeString(dir.resolve("vendor/log/init.luau"), "return 'logger'");
    Path rc = dir.resolve(".luaurc");
    Files.writeString(rc, "{\n  \"languageMode\": \"strict\",\n  \"aliases\": { \"Log\": \"./vendor/log\" }\n}\n");
    Path script = dir.resolve("main.luau");
    Files.writeString(script, "return require('@log')");
    try (LuauState state = LuauState.create(StateOptions.defaults().withModules(new DiskModuleSource(rc)))) {
      Object[] r = state.call(state.load(Luau.compile(Files.readAllBytes(script), script.toString()),
          state.newEnvironment()));
      assertThat(r[0]).hasToString("logger");
    }
  }
}
