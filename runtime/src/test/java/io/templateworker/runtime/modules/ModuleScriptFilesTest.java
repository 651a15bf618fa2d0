package io.templateworker.runtime.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.value.LuauString;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code src/test/resources/modules/*.luau}: a template-style script that requires the core modules,
 * asserts their behaviour (including error texts, through pcall) and returns "OK".
 */
class ModuleScriptFilesTest {
  @TestFactory
  Stream<DynamicTest> every_module_script_returns_ok() throws IOException, URISyntaxException {
    Path dir = Path.of(ModuleScriptFilesTest.class.getResource("/modules").toURI());
    return Files.list(dir).filter(p -> p.toString().endsWith(".luau")).sorted()
        .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
          Object[] r = ModuleScripts.run(Files.readString(p));
          assertThat(r).as(p.getFileName().toString()).startsWith(LuauString.of("OK"));
        }));
  }
}
