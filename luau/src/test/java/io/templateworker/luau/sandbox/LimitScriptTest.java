package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.value.LuauString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code luau/limits/} scripts: programs that stay within the sandbox's limits must behave exactly as
 * without them (the tick checks do not change results; recursion below the call-depth limit works directly,
 * through pcall, metamethods and coroutines). Each runs in a fresh sandboxed state with the templates' default
 * limits (20 MiB, 10 s slice, depth 2000) and must finish without error; a script that returns a value must
 * return "OK".
 */
class LimitScriptTest {
  private static final Path DIR = Path.of("src/test/resources/luau/limits");

  @TestFactory
  Stream<DynamicTest> every_limit_script_runs_unchanged_under_the_sandbox_limits() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".luau")).sorted().toList();
    }
    assertThat(files).as("scripts in %s", DIR).isNotEmpty();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
  }

  private static void run(Path file) throws IOException {
    assertThat(Limits.defaults().maxCallDepth()).as("the depth the scripts are written for").isEqualTo(2000);
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(Limits.defaults())
        .withStdout(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
      Object[] results = state.run(Files.readString(file), file.getFileName().toString(), state.newEnvironment());
      if (results.length > 0 && results[0] != null) {
        assertThat(results[0]).as("result of %s", file.getFileName()).isEqualTo(LuauString.of("OK"));
      }
    }
  }
}
