package io.templateworker.luau.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.errors.CompileError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The parser must survive anything: deep nesting, garbage, huge inputs, endless errors. */
class ParserRobustnessTest {

  private static ParseResult parse(String source) {
    return Parser.parse(source.getBytes(StandardCharsets.UTF_8), "robust");
  }

  /**
   * Compiles (parse + compile, the public entry point) on a thread with a 1 MiB stack, the JVM's default, and
   * returns the messages of the syntax errors (none when it compiled). Deep sources must neither overflow
   * this stack nor be rejected below Luau's limit: the compiler moves them to a deep-stack thread.
   */
  private static List<String> compileOnDefaultStack(String source) throws InterruptedException {
    return compileOn(Thread.ofPlatform().stackSize(1L << 20), source);
  }

  /** The same on a virtual thread, where the worker compiles templates. */
  private static List<String> compileOnVirtualThread(String source) throws InterruptedException {
    return compileOn(Thread.ofVirtual(), source);
  }

  private static List<String> compileOn(Thread.Builder builder, String source) throws InterruptedException {
    List<String> messages = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    Thread t = builder.start(() -> {
      try {
        Compiler.compile(source.getBytes(StandardCharsets.UTF_8), "robust");
      } catch (CompileError e) {
        for (CompileError.Diagnostic d : e.diagnostics()) {
          messages.add(d.message());
        }
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    t.join();
    assertThat(failure[0]).isNull();
    return messages;
  }

  @ParameterizedTest
  @CsvSource({
      "paren, expression", "unary, expression", "do, block", "table, expression", "typeTable, type annotation",
      "call, expression", "pow, expression", "interp, expression", "function, block", "if, expression",
      "functionType, type annotation", "index, expression",
  })
  void deep_nesting_reports_the_recursion_limit_instead_of_overflowing(String shape, String context)
      throws InterruptedException {
    int n = 100_000;
    String source = switch (shape) {
      case "paren" -> "x = " + "(".repeat(n) + "1" + ")".repeat(n);
      case "unary" -> "x = " + "not ".repeat(n) + "1";
      case "do" -> "do ".repeat(n) + "end ".repeat(n);
      case "table" -> "x = " + "{".repeat(n) + "}".repeat(n);
      case "typeTable" -> "type T = " + "{".repeat(n) + "}".repeat(n);
      case "call" -> "x = " + "f(".repeat(n) + ")".repeat(n);
      case "pow" -> "x = 1" + " ^ 1".repeat(n);
      case "interp" -> "x = " + "`{".repeat(n) + "}`".repeat(n);
      case "function" -> "x = " + "function() return ".repeat(n) + "1" + " end".repeat(n);
      case "if" -> "if x then ".repeat(n) + "end ".repeat(n);
      case "functionType" -> "type T = " + "() -> ".repeat(n) + "()";
      case "index" -> "x = a" + "[a".repeat(n) + "]".repeat(n);
      default -> throw new IllegalArgumentException(shape);
    };
    assertThat(compileOnDefaultStack(source)).containsExactly(Parser.recursionMessage(context));
    assertThat(compileOnVirtualThread(source)).containsExactly(Parser.recursionMessage(context));
  }

  @Test
  void nesting_up_to_luaus_limit_compiles_on_a_default_stack_and_a_virtual_thread() throws InterruptedException {
    int n = Parser.MAX_DEPTH - 10;
    List<String> sources = List.of(
        "x = " + "(".repeat(n) + "1" + ")".repeat(n),
        "x = " + "{".repeat(n) + "}".repeat(n),
        "x = " + "f(".repeat(n) + ")".repeat(n),
        "do ".repeat(n) + "end ".repeat(n),
        "type T = " + "{".repeat(n / 2) + "}".repeat(n / 2),
        "x = " + "function() return ".repeat(n / 2) + "1" + " end".repeat(n / 2));
    for (String source : sources) {
      assertThat(compileOnDefaultStack(source)).isEmpty();
      assertThat(compileOnVirtualThread(source)).isEmpty();
    }
  }

  @Test
  void operator_and_suffix_chains_count_as_nesting_as_in_luau() throws InterruptedException {
    int ok = Parser.MAX_DEPTH - 10;
    assertThat(compileOnVirtualThread("x = 1" + " .. 1".repeat(ok))).isEmpty();
    assertThat(compileOnVirtualThread("x = 1" + " + 1".repeat(ok))).isEmpty();
    assertThat(compileOnVirtualThread("x = a" + ".b".repeat(ok))).isEmpty();
    assertThat(compileOnVirtualThread("x = a" + ":m()".repeat(ok))).isEmpty();
    assertThat(compileOnVirtualThread("x = if a then 1" + " elseif a then 1".repeat(ok) + " else 2")).isEmpty();
    int tooMany = Parser.MAX_DEPTH + 10;
    assertThat(compileOnVirtualThread("x = 1" + " + 1".repeat(tooMany)))
        .containsExactly(Parser.recursionMessage("expression"));
    assertThat(compileOnVirtualThread("x = a" + ".b".repeat(tooMany)))
        .containsExactly(Parser.recursionMessage("expression"));
  }

  @Test
  void a_shallow_parse_gives_up_past_its_budget_so_the_caller_can_move_to_a_deeper_stack() {
    byte[] deep = ("x = " + "(".repeat(50) + "1" + ")".repeat(50)).getBytes(StandardCharsets.UTF_8);
    assertThat(Parser.parseWithin(deep, "budget", 40)).isNull();
    ParseResult within = Parser.parseWithin(deep, "budget", 60);
    assertThat(within).isNotNull();
    assertThat(within.errors()).isEmpty();
  }

  @Test
  void flat_constructs_are_not_nesting() {
    int n = 50_000;
    assertThat(parse("if a then" + " elseif a then".repeat(n) + " end").errors()).isEmpty();
    assertThat(parse("x = {" + "1, ".repeat(n) + "}").errors()).isEmpty();
    assertThat(parse("f(" + "1, ".repeat(n) + "1)").errors()).isEmpty();
    assertThat(parse("local x = 1\n".repeat(n)).errors()).isEmpty();
  }

  @Test
  void unions_are_capped_by_the_type_length_limit() {
    assertThat(parse("type T = " + "a | ".repeat(Parser.MAX_TYPE_LENGTH - 1) + "b").errors()).isEmpty();
    assertThat(parse("type T = " + "a | ".repeat(5000) + "b").errors()).extracting(ParseError::message)
        .containsExactly("Exceeded allowed type length; simplify your type annotation to make the code compile");
  }

  @Test
  void several_errors_are_reported_from_one_parse() {
    ParseResult r = parse("local a = = 1\nlocal b = 2\nx +\nlocal c = 3\nf(\n");
    assertThat(r.errors()).hasSize(3);
    assertThat(r.errors()).extracting(ParseError::line).containsExactly(1, 3, 6);
  }

  @Test
  void errors_stop_at_the_cap() {
    ParseResult r = parse("x = = 1\n".repeat(10_000));
    assertThat(r.errors()).hasSize(Parser.MAX_ERRORS + 1);
    assertThat(r.errors().get(Parser.MAX_ERRORS).message()).isEqualTo("Reached error limit (100)");
  }

  @Test
  void random_bytes_never_throw() {
    Random random = new Random(20261127L);
    for (int i = 0; i < 20_000; i++) {
      byte[] source = new byte[random.nextInt(80)];
      random.nextBytes(source);
      ParseResult r = Parser.parse(source, "fuzz");
      assertThat(r.errors().size()).isLessThanOrEqualTo(Parser.MAX_ERRORS + 1);
    }
  }

  private static final String[] FRAGMENTS = {
      "local ", "function ", "end ", "if ", "then ", "else ", "elseif ", "(", ")", "{", "}", "[", "]",
      "`", "\"", "'", "x", "y", ".", ":", "::", "<", "<<", ">", ">>", "=", "==", "..", "...", "1",
      "0x", "1e", "--", "--[[", "]]", "[[", "\\", "type ", "export ", "continue ", "return ",
      "@native ", "@[", "|", "&", "?", "->", ",", ";", "\n", "typeof", "read ", "write ", "for ",
      "in ", "do ", "while ", "repeat ", "until ", "#", "-", "not ", "and ", "or ", "123i", "\\u{",
      "\\x", "\\z", "nil ", "true ", "break ", "+=", "..=",
  };

  @Test
  void random_token_soup_never_throws() {
    Random random = new Random(42L);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(60);
      for (int j = 0; j < n; j++) {
        sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      ParseResult r = parse(sb.toString());
      assertThat(r.chunk()).isNotNull();
    }
  }

  @Test
  void mutated_valid_programs_never_throw() throws IOException {
    List<Path> files = GoldenAstTest.luauFiles(GoldenAstTest.resourceDir(""));
    Random random = new Random(7L);
    for (Path file : files) {
      byte[] original = Files.readAllBytes(file);
      for (int i = 0; i < 500; i++) {
        byte[] mutated = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
          mutated[random.nextInt(mutated.length)] = (byte) " ()[]{}`'\"=.:,;<>-|&?@\\\n0aZ\u00ff".charAt(random.nextInt(27));
        }
        assertThat(Parser.parse(mutated, "mutant").chunk()).isNotNull();
      }
    }
  }

  @Test
  void a_one_megabyte_file_parses() {
    StringBuilder sb = new StringBuilder();
    int functions = 0;
    while (sb.length() < 1_000_000) {
      sb.append("local function f").append(functions).append("(a: number, b: {x: string}?): number\n")
          .append("  local t = { a = a, [\"k\"] = b, 1, 2, 3 }\n")
          .append("  if a > 1 and not b then return a * 2 + f").append(functions)
          .append("(a - 1) .. `v{a}` else t.x += 1 end\n")
          .append("  for k, v in pairs(t) do print(k, v) end\n")
          .append("  return #t\nend\n");
      functions++;
    }
    ParseResult r = parse(sb.toString());
    assertThat(r.errors()).isEmpty();
    assertThat(r.chunk().stats()).hasSize(functions).allMatch(s -> s instanceof Stat.LocalFunction);
  }
}
