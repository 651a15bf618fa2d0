package io.templateworker.worker.luau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.thread.ThreadPool;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code templates.libraries}, {@code templates.builtins} and {@code templates.builtins_patches} with small folders of
 * this test's own ({@code src/test/resources/templates-test}).
 */
class LuauLibrariesTest {
  static final TenantId T = TenantId.guild((50L << 22) + 1);
  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  final List<String> reported = new CopyOnWriteArrayList<>();
  ThreadPool pool;

  static Path folder(String name) {
    try {
      return Path.of(LuauLibrariesTest.class.getResource("/templates-test/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  void start(TemplateLibraries libraries) {
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null),
        new LuauIsolateFactory(Limits.defaults(), new ChunkCache(1 << 20)).withLibraries(libraries),
        (tenant, template, event, error) -> reported.add(template + " " + event + ": " + error), KhronosValue.Null.INSTANCE).start();
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.kill();
    }
  }

  void template(String name, Map<String, String> files) {
    templates.create(T, new TemplateSpec(name, files, List.of("E", "BuiltinsFail", "BuiltinsNil"), List.of("kv:get"), false, null, "luau"));
  }

  List<KhronosValue> dispatch(String event) throws Exception {
    return ((KhronosValue.ListValue) pool.dispatchEvent(T, CreateEvent.of(event, KhronosValue.Null.INSTANCE))
        .get(20, TimeUnit.SECONDS)).items();
  }

  static KhronosValue field(KhronosValue entry, String key) {
    return ((KhronosValue.MapValue) entry).get(key);
  }

  static String text(KhronosValue v) {
    return ((KhronosValue.Text) v).value();
  }

  @Test
  void libraries_lie_beneath_a_templates_own_files_with_their_aliases() throws Exception {
    start(TemplateLibraries.load(List.of(folder("library"), folder("library2")), null, null));
    template("uses_library", Map.of("init.luau", """
        local greet = require("@antiraid-ext/greet")
        local thing = require("./extra/thing")
        local json = require("@antiraid/json") -- the library aliases @antiraid to its stubs; the runtime's module wins
        return { E = function() return { greet = greet("ana"), thing = thing, json = json.tojsonstring({ 1, 2 }) } end }
        """));
    template("shadows_library", Map.of(
        "init.luau", "local greet = require('@antiraid-ext/greet') return { E = function() return greet('bo') end }",
        "@antiraid-ext/greet.luau", "return function(who) return 'own greet for ' .. who end"));
    template("own_alias", Map.of(
        ".luaurc", "{\"aliases\": {\"antiraid-ext\": \"./mine/\"}}",
        "init.luau", "local greet = require('@antiraid-ext/greet') return { E = function() return greet('cy') end }",
        "mine/greet.luau", "return function(who) return 'my alias for ' .. who end"));

    List<KhronosValue> r = dispatch("E");

    KhronosValue.MapValue first = (KhronosValue.MapValue) field(r.get(2), "value");
    assertThat(first.get("greet")).isEqualTo(new KhronosValue.Text("hello ana from the library"));
    assertThat(first.get("thing")).isEqualTo(new KhronosValue.Text("a thing from the second library"));
    assertThat(first.get("json")).isEqualTo(new KhronosValue.Text("[1,2]"));
    assertThat(field(r.get(1), "value")).isEqualTo(new KhronosValue.Text("own greet for bo"));
    assertThat(field(r.get(0), "value")).isEqualTo(new KhronosValue.Text("my alias for cy"));
  }

  @Test
  void without_libraries_a_require_of_antiraid_ext_names_the_module_and_says_to_set_templates_libraries() throws Exception {
    start(TemplateLibraries.NONE);
    template("needs_library", Map.of("init.luau", "local greet = require('@antiraid-ext/greet') return { E = function() end }"));
    template("missing_file", Map.of("init.luau", "local x = require('./nowhere/x') return { E = function() end }"));

    List<KhronosValue> r = dispatch("E");

    assertThat(text(field(r.get(1), "value"))).contains("\"@antiraid-ext/greet\"").contains("set templates.libraries");
    assertThat(text(field(r.get(0), "value"))).contains("\"./nowhere/x\"").doesNotContain("templates.libraries");
  }

  @Test
  void builtins_run_first_with_every_capability_and_their_results_are_spliced_in() throws Exception {
    start(TemplateLibraries.load(List.of(), folder("builtins"), folder("patches")));
    template("custom", Map.of("init.luau", "return { E = function(ctx) return #ctx.allowed_caps end }"));

    List<KhronosValue> r = dispatch("E");

    assertThat(r).extracting(e -> text(field(e, "id")))
        .containsExactly("$builtins", "$builtins/patched", "$builtins/greet", "$builtins/seen", "custom");
    assertThat(field(r.get(0), "value")).isEqualTo(new KhronosValue.Text("builtins saw E with *"));
    assertThat(field(r.get(1), "value")).as("the patches folder wins").isEqualTo(new KhronosValue.Text("patched"));
    assertThat(text(field(r.get(2), "value"))).as("no libraries: the builtins' own templating-types")
        .isEqualTo("hi builtins from the builtins' own templating-types");
    assertThat(field(r.get(4), "value")).isEqualTo(new KhronosValue.Int(1));
    // The builtins keep their store across events, like a template.
    assertThat(field(dispatch("E").get(3), "value")).isEqualTo(new KhronosValue.Int(2));
  }

  @Test
  void builtins_use_the_first_library_as_templating_types_when_libraries_are_set() throws Exception {
    start(TemplateLibraries.load(List.of(folder("library")), folder("builtins"), null));
    template("custom", Map.of("init.luau", "return { E = function() return 'ran' end }"));

    List<KhronosValue> r = dispatch("E");

    assertThat(field(r.get(1), "value")).as("no patches").isEqualTo(new KhronosValue.Text("original"));
    assertThat(field(r.get(2), "value")).isEqualTo(new KhronosValue.Text("hello builtins from the library"));
  }

  @Test
  void a_failing_builtins_loop_is_one_err_entry_and_the_templates_still_run() throws Exception {
    start(TemplateLibraries.load(List.of(), folder("builtins"), null));
    template("custom", Map.of("init.luau", "return { BuiltinsFail = function() return 'still ran' end, BuiltinsNil = function() return 'alone' end }"));

    List<KhronosValue> failed = dispatch("BuiltinsFail");
    assertThat(failed).hasSize(2);
    assertThat(field(failed.get(0), "type")).isEqualTo(new KhronosValue.Text("err"));
    assertThat(field(failed.get(0), "id")).isEqualTo(new KhronosValue.Text("$builtins"));
    assertThat(text(field(failed.get(0), "value"))).contains("the builtins loop failed on purpose");
    assertThat(field(failed.get(1), "value")).isEqualTo(new KhronosValue.Text("still ran"));
    assertThat(reported).anyMatch(s -> s.startsWith("$builtins BuiltinsFail:"));

    List<KhronosValue> nil = dispatch("BuiltinsNil");
    assertThat(nil).extracting(e -> text(field(e, "id"))).containsExactly("custom");
  }

  @Test
  void folders_that_cannot_be_used_are_refused_naming_the_config_key() {
    assertThatThrownBy(() -> TemplateLibraries.load(List.of(Path.of("/nonexistent/lib")), null, null))
        .hasMessageStartingWith("templates.libraries: /nonexistent/lib is not a folder");
    assertThatThrownBy(() -> TemplateLibraries.load(List.of(), folder("library"), null))
        .hasMessageStartingWith("templates.builtins: ").hasMessageContaining("has no builtins.templateloop.luau");
  }
}
