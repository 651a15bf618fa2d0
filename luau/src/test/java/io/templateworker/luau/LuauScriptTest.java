package io.templateworker.luau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.jit.Jit;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code *.luau} under {@code src/test/resources/luau/} (except {@code parser/}, {@code hostile/} and
 * {@code limits/}, which have their own runners). A script passes
 * when it runs without error (scripts assert their own results); a script whose first line is
 * {@code -- expect error: <text>} passes when it fails with a message containing {@code <text>}.
 */
class LuauScriptTest {
  private static final String EXPECT_ERROR = "-- expect error:";

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
    Path root = Path.of(LuauScriptTest.class.getResource("/luau").toURI());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".luau"))
          .filter(p -> !skipped(root.relativize(p).toString()))
          .sorted()
          .toList();
    }
    assertThat(files).as("test scripts under %s", root).isNotEmpty();
    return files.stream().map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> runScript(p)));
  }

  /** parser/ has its own golden tests; hostile/ and limits/ need configured limits (HostileScriptTest). */
  private static boolean skipped(String relative) {
    return relative.startsWith("parser") || relative.startsWith("hostile") || relative.startsWith("limits")
        || relative.startsWith("diff"); // diff/: the differential harness's programs (they print; some fail)
  }

  private static void runScript(Path file) throws IOException {
    byte[] src = Files.readAllBytes(file);
    String text = new String(src, StandardCharsets.UTF_8);
    String firstLine = text.lines().findFirst().orElse("");
    String expected = firstLine.startsWith(EXPECT_ERROR) ? firstLine.substring(EXPECT_ERROR.length()).strip()
        : null;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    VmOptions options = VmOptions.defaults().withStdout(new PrintStream(captured, true, StandardCharsets.UTF_8))
        .withLegacyEnvFunctions(true).withMaxCallDepth(2000);
    String chunkName = file.getFileName().toString();
    long failedBefore = Jit.failedCount();
    try (LuauVM vm = LuauVM.create(options)) {
      LuauTable globals = Luau.standardGlobals(vm);
      LuauFunction main = vm.load(Luau.compile(src, chunkName), globals);
      main.call(vm.mainThread(), LuauFunction.NONE);
      // under -Dluau.jit=eager (the build's second test run) every function must have compiled
      assertThat(Jit.failedCount()).as("functions of %s the JIT could not compile", chunkName)
          .isEqualTo(failedBefore);
      if (expected != null) {
        fail("%s ran without error, expected an error containing: %s", chunkName, expected);
      }
    } catch (CompileError e) {
      if (expected == null) {
        fail("%s does not compile:\n%s", chunkName, e.getMessage());
      }
      assertThat(e.getMessage()).contains(expected);
    } catch (LuauError e) {
      String msg = e.getMessage();
      if (expected == null) {
        fail("%s failed: %s\n%s\noutput:\n%s", chunkName, msg, e.traceback(), captured);
      }
      assertThat(msg).contains(expected);
    }
  }
}
