package io.templateworker.luau.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.ast.AstPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each {@code luau/parser/NAME.luau} must parse without errors to exactly the dump in
 * {@code NAME.ast}; each {@code luau/parser/errors/NAME.luau} must report exactly the errors listed
 * in {@code NAME.errors} ({@code line:column: message}, one per line).
 */
class GoldenAstTest {

  static Path resourceDir(String name) {
    try {
      return Path.of(GoldenAstTest.class.getResource("/luau/parser/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> luauFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".luau")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path sibling(Path luau, String extension) {
    String name = luau.getFileName().toString();
    return luau.resolveSibling(name.substring(0, name.length() - ".luau".length()) + extension);
  }

  @TestFactory
  Stream<DynamicTest> golden_ast_dumps() {
    List<Path> files = luauFiles(resourceDir(""));
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      ParseResult r = Parser.parse(Files.readAllBytes(file), file.getFileName().toString());
      assertThat(r.errors()).isEmpty();
      String expected = Files.readString(sibling(file, ".ast"), StandardCharsets.UTF_8);
      assertThat(AstPrinter.print(r.chunk())).isEqualTo(expected);
    }));
  }

  @TestFactory
  Stream<DynamicTest> syntax_errors_with_messages_and_positions() {
    List<Path> files = luauFiles(resourceDir("errors"));
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      ParseResult r = Parser.parse(Files.readAllBytes(file), file.getFileName().toString());
      List<String> actual = new ArrayList<>();
      for (ParseError e : r.errors()) {
        actual.add(e.toString());
      }
      List<String> expected = Files.readAllLines(sibling(file, ".errors"), StandardCharsets.UTF_8);
      assertThat(expected).isNotEmpty();
      assertThat(actual).containsExactlyElementsOf(expected);
    }));
  }
}
