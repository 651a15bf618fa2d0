package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LuauError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-script suite: every file in {@code luau/hostile/} (named {@code *.lua} so the unlimited
 * LuauScriptTest, which runs every {@code *.luau}, leaves them to this suite) starts with {@code -- expect error: <text>},
 * optionally followed by {@code -- time limit ms: <n>} (scripts about the time slice use a short one; the
 * others run under the default 10 s slice, so a memory bomb must end by memory, not by time).
 * All scripts run one after another on the same sandboxed state and thread; each must end with its documented
 * error as an ordinary Luau error (never a JVM error or a hang), and a normal script must run right after it.
 */
class HostileScriptTest {
  private static final Path DIR = Path.of("src/test/resources/luau/hostile");
  private static final Limits LIMITS = new Limits(8L << 20, Limits.DEFAULT_TIME, Limits.DEFAULT_DEPTH);
  private static final LuauState STATE = LuauState.create(StateOptions.defaults().withLimits(LIMITS)
      .withStdout(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

  @AfterAll
  static void close() {
    STATE.close();
  }

  @TestFactory
  Stream<DynamicTest> every_hostile_script_ends_with_its_documented_error() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".lua")).sorted().forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThan(30);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runHostile(f)));
  }

  private static void runHostile(Path file) throws IOException {
    String src = Files.readString(file);
    String first = src.lines().findFirst().orElse("");
    assertThat(first).as("first line of %s", file).startsWith("-- expect error: ");
    String expected = first.substring("-- expect error: ".length());
    String chunk = file.getFileName().toString();
    String second = src.lines().skip(1).findFirst().orElse("");
    long sliceMs = second.startsWith("-- time limit ms: ")
        ? Long.parseLong(second.substring("-- time limit ms: ".length()).trim()) : LIMITS.timeSlice().toMillis();
    STATE.vm().budget().setSlice(Duration.ofMillis(sliceMs).toNanos());
    assertThatThrownBy(() -> STATE.run(src, chunk, STATE.newEnvironment()))
        .isInstanceOf(LuauError.class)
        .satisfies(e -> assertThat(((LuauError) e).getMessage()).contains(expected));
    // the VM stays usable: a normal script on the same thread and state runs as usual (with the default slice:
    // a hostile script's short one is no test of the normal script, and a loaded machine could exceed it)
    STATE.vm().budget().setSlice(LIMITS.timeSlice().toNanos());
    Object[] r = STATE.run("local t = {} for i = 1, 1000 do t[i] = tostring(i) end return #t .. t[1000]",
        "after_" + chunk, STATE.newEnvironment());
    assertThat(r[0]).hasToString("10001000");
  }
}
