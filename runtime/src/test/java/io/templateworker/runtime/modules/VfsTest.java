package io.templateworker.runtime.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vfs objects as the Runtime plugin hands them out (folders on disk) and as templates overlay them. */
class VfsTest {
  @TempDir
  Path dir;

  private Object[] runWith(Object vfs, String source) {
    try (LuauState state = LuauState.create(StateOptions.defaults())) {
      CoreModules.install(state);
      LuauTable env = state.newEnvironment();
      return state.call(state.load(Luau.compile(source, "/caller.luau"), env), vfs);
    }
  }

  @Test
  void a_folder_vfs_resolves_files_and_luaurc_aliases_and_stays_inside_the_folder() throws IOException {
    Files.writeString(dir.resolve(".luaurc"), """
        { // templating-types style, with a comment and a trailing comma
          "aliases": { "antiraid-ext": "./@antiraid-ext/", "antiraid": "./@antiraid/", },
        }
        """);
    Files.createDirectories(dir.resolve("@antiraid-ext"));
    Files.createDirectories(dir.resolve("@antiraid"));
    Files.writeString(dir.resolve("@antiraid-ext/greet.luau"), "return function(n) return 'hi ' .. n end");
    Files.writeString(dir.resolve("@antiraid/json.luau"), "error('Implemented internally in AntiRaid runtime!')");
    Files.writeString(dir.resolve("init.luau"), "return require('@antiraid-ext/greet')(require('@antiraid/json').tojsonstring({1}))");
    Files.writeString(dir.getParent().resolve("secret.luau"), "return 'outside'");
    ModuleSource folder = io.templateworker.runtime.modules.Vfs.ofFolder(dir);
    assertThat(folder.read("/../secret.luau")).isNull();
    assertThat(folder.read("/init.luau")).isNotNull();

    Object[] r = runWith(io.templateworker.runtime.modules.Vfs.ofDirectory(dir), """
        local vfs = ...
        local g = require("@antiraid/typesext").createglobalproxy()
        g.require = vfs:createrequirefunction("builtins", g) -- as the builtins' isolates do
        return g.require("./init")
        """);
    assertThat(r).containsExactly(LuauString.of("hi [1]"));
  }

  @Test
  void an_overlay_reads_the_first_layer_that_has_the_file() {
    Object base = io.templateworker.runtime.modules.Vfs.wrap(io.templateworker.runtime.modules.Vfs.ofFiles(
        Map.of("a.luau", "return 'base a'", "b.luau", "return 'base b'")));
    Object[] r = runWith(base, """
        local base = ...
        local t = require("@antiraid/typesext")
        local top = t.newlazystringmap({["a.luau"] = "return 'top a'"})
        local req = t.Vfs.newoverlay({top, base}):createrequirefunction("x", t.createglobalproxy())
        return req("./a"), req("./b")
        """);
    assertThat(r).containsExactly(LuauString.of("top a"), LuauString.of("base b"));
  }

  @Test
  void an_empty_vfs_has_no_files() {
    Object[] r = runWith(io.templateworker.runtime.modules.Vfs.empty(), """
        local vfs = ...
        local g = require("@antiraid/typesext").createglobalproxy()
        return pcall(vfs:createrequirefunction("p", g), "./init")
        """);
    assertThat(r[0]).isEqualTo(false);
    assertThat(r[1].toString()).contains("could not resolve");
  }

  @Test
  void a_module_that_requires_itself_is_a_cycle_error() {
    Object vfs = io.templateworker.runtime.modules.Vfs.wrap(io.templateworker.runtime.modules.Vfs.ofFiles(
        Map.of("a.luau", "return require('./b')", "b.luau", "return require('./a')")));
    try {
      runWith(vfs, """
          local vfs = ...
          local g = require("@antiraid/typesext").createglobalproxy()
          g.require = vfs:createrequirefunction("x", g)
          return g.require("./a")
          """);
      throw new AssertionError("expected a cycle error");
    } catch (LuauError e) {
      assertThat(e.getMessage()).contains("cyclic module dependency");
    }
  }

  @Test
  void a_large_json_document_is_charged_once_not_quadratically() {
    Object[] r = ModuleScripts.run("""
        local json = require("@antiraid/json")
        local t = {}
        for i = 1, 20000 do t[i] = { id = i, name = "item" .. i } end
        local s = json.tojsonstring(t)
        return #s > 500000, #json.fromjsonstring(s)
        """);
    assertThat(r).containsExactly(true, 20000.0);
  }
}
