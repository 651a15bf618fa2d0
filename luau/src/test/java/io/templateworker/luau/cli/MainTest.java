package io.templateworker.luau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... argv) {
    return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void runs_a_string_with_e() {
    assertThat(run("-e", "print(1 + 1, 'x')")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("2\tx\n");
  }

  @Test
  void runtime_error_prints_position_and_stacktrace_and_exits_1() throws Exception {
    Path f = dir.resolve("boom.luau");
    Files.writeString(f, "local function f()\n  error('bad')\nend\nf()\n");
    assertThat(run(f.toString())).isEqualTo(1);
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e).startsWith(f + ":2: bad\nstacktrace:\n");
    assertThat(e).contains(f + ":2 function f").contains(f + ":4");
  }

  @Test
  void an_error_value_that_is_no_string_prints_an_empty_line_as_under_the_reference_cli() throws Exception {
    Path f = dir.resolve("table.luau");
    Files.writeString(f, "error(setmetatable({}, {__tostring = function() return 'T' end}))\n");
    assertThat(run(f.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("\nstacktrace:\n[C] function error\n" + f + ":1\n");
  }

  @Test
  void a_deep_stacktrace_shows_the_innermost_and_outermost_ten_levels() throws Exception {
    Path f = dir.resolve("deep.luau");
    // 30 calls of r, the builtin error and the main chunk: 32 levels, 12 of them left out
    Files.writeString(f, "local function r(n) if n == 0 then error('x') end return 1 + r(n - 1) end\nr(29)\n");
    assertThat(run(f.toString())).isEqualTo(1);
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2 + 10 + 1 + 10);
    assertThat(lines[2]).isEqualTo("[C] function error");
    assertThat(lines[12]).isEqualTo("... (+12 frames)");
    assertThat(lines[22]).isEqualTo(f + ":2");
  }

  @Test
  void compile_only_reports_every_syntax_error_with_columns() throws Exception {
    Path bad = dir.resolve("bad.luau");
    Files.writeString(bad, "local x = = 1\n");
    Path good = dir.resolve("good.luau");
    Files.writeString(good, "error('not run')\n");
    assertThat(run("--compile-only", bad.toString(), good.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(bad + ":1:11: ");
    assertThat(run("--compile-only", good.toString())).isZero();
  }

  @Test
  void script_arguments_are_the_varargs_as_under_the_reference_cli() throws Exception {
    Path f = dir.resolve("args.luau");
    Files.writeString(f, "print(arg, select('#', ...), ...)\n");
    assertThat(run(f.toString(), "--", "a", "b")).isZero();
    assertThat(run(f.toString(), "-a", "c")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("nil\t2\ta\tb\nnil\t1\tc\n");
  }

  @Test
  void print_writes_raw_bytes() {
    assertThat(run("-e", "print('\\255\\0x', 1)")).isZero();
    assertThat(out.toByteArray()).containsExactly(0xFF - 256, 0, 'x', '\t', '1', '\n');
  }

  @Test
  void legacy_environment_functions_are_enabled() {
    assertThat(run("-e", "print(loadstring('return 7')(), getfenv ~= nil)")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("7\ttrue\n");
  }
}
