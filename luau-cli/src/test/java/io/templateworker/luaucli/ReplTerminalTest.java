package io.templateworker.luaucli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/luau's REPL with JLine: the line source on a test terminal, and the real command in a pseudo-terminal and a pipe. */
class ReplTerminalTest {
  @TempDir
  Path home;

  @Test
  void reads_lines_until_the_end_and_keeps_them_in_the_history_file() throws Exception {
    Path history = home.resolve(".luau_history");
    ByteArrayInputStream keys = new ByteArrayInputStream("local x = 2\nprint(x)\n".getBytes(StandardCharsets.UTF_8));
    TerminalLineSource source = new TerminalLineSource(new DumbTerminal(keys, new ByteArrayOutputStream()), history.toString());
    assertThat(source.readLine("> ")).isEqualTo("local x = 2");
    assertThat(source.readLine("> ")).isEqualTo("print(x)");
    assertThat(source.readLine("> ")).isNull();
    source.close();
    assertThat(Files.readString(history)).contains("local x = 2").contains("print(x)");
  }

  private ProcessBuilder luau(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
    pb.environment().put("TERM", "xterm"); // arrows as xterm sends them in keypad mode (ESC O A)
    return pb;
  }

  /** bin/luau's main class on this module's class path; the history file goes to {@code user.home} (the temp dir). */
  private List<String> javaCommand(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
        "io.templateworker.luau.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void piped_input_gets_no_prompt_and_locals_stay() throws Exception {
    Process p = luau(javaCommand("-i")).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("local x = 2\nprint(x * 21)\n".getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("42\n");
  }

  @Test
  void on_a_terminal_it_prompts_edits_and_recalls_history() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script (a pseudo-terminal) is needed");
    String command = String.join(" ", javaCommand().stream().map(a -> "'" + a + "'").toList());
    Process p = luau(List.of("/usr/bin/script", "-qfec", command, "/dev/null")).start();
    StringBuffer screen = new StringBuffer();
    Thread reader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), screen));
    OutputStream keys = p.getOutputStream();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("> "));
      type(keys, "local x = 2\r");
      // line editing: type a wrong operator, move left over it with the arrow key and fix it
      type(keys, "print(x + 21)\u001bOD\u001bOD\u001bOD\u001bOD\u007f*\r");
      await().atMost(Duration.ofSeconds(30)).until(() -> screen.toString().contains("42"));
      // history: Up recalls the last line
      int before = count(screen.toString(), "42");
      type(keys, "\u001bOA\r");
      await().atMost(Duration.ofSeconds(30)).until(() -> count(screen.toString(), "42") > before);
      type(keys, "\u0004"); // Ctrl-D ends the session
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("Ctrl-D ends it; screen: %s", screen).isTrue();
      assertThat(Files.readString(home.resolve(".luau_history"))).contains("print(x * 21)");
    } finally {
      p.destroyForcibly();
      reader.join(5000);
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static void type(OutputStream keys, String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  private static void copy(InputStream in, StringBuffer into) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
