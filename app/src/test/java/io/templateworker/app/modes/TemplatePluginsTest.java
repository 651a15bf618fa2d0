package io.templateworker.app.modes;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.app.config.AppConfig;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders {@code Runtime:getexposedvfs()} exposes for each {@code templates.*} setting. */
class TemplatePluginsTest {

  @Test
  void templating_types_is_the_first_library_else_the_builtins_own_folder(@TempDir Path dir) throws Exception {
    Path builtins = Files.createDirectories(dir.resolve("builtins"));
    Path patches = Files.createDirectories(dir.resolve("patches"));
    Path lib1 = Files.createDirectories(dir.resolve("lib1"));
    Path lib2 = Files.createDirectories(dir.resolve("lib2"));

    assertThat(TemplatePlugins.exposedFolders(new AppConfig.Templates(List.of(lib1, lib2), builtins, patches)))
        .isEqualTo(new RuntimeInfo.ExposedFolders(builtins, lib1, patches));
    // No library and no templating-types/ inside the builtins: an empty TemplatingTypes.
    assertThat(TemplatePlugins.exposedFolders(new AppConfig.Templates(List.of(), builtins, null)))
        .isEqualTo(new RuntimeInfo.ExposedFolders(builtins, null, null));
    Path own = Files.createDirectories(builtins.resolve("templating-types"));
    assertThat(TemplatePlugins.exposedFolders(new AppConfig.Templates(List.of(), builtins, null)))
        .isEqualTo(new RuntimeInfo.ExposedFolders(builtins, own, null));
    assertThat(TemplatePlugins.exposedFolders(new AppConfig.Templates(List.of(), null, null)))
        .isEqualTo(RuntimeInfo.ExposedFolders.NONE);
  }
}
