package io.templateworker.luau.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.ast.AstPrinter;
import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.ast.TypeNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole Luau type grammar: every form must parse, and malformed type syntax must be rejected. */
class TypeGrammarTest {

  /** The dump of the type in {@code type T = <type>}, which must parse cleanly. */
  private static String type(String type) {
    ParseResult r = Parser.parse(("type T = " + type).getBytes(StandardCharsets.UTF_8), "types");
    assertThat(r.errors()).as("errors parsing type %s", type).isEmpty();
    Stat.TypeAlias alias = (Stat.TypeAlias) r.chunk().stats().get(0);
    return AstPrinter.print(alias.type());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "number", "nil", "any", "unknown", "never", "integer", "buffer", "vector",
      "true", "false", "\"on\"", "'off'",
      "number?", "number??", "(number)?",
      "number | string", "| number | string", "number | nil | boolean?",
      "A & B", "& A & B", "((number) -> string) & ((boolean) -> string)",
      "typeof(x)", "typeof(a.b:c(1, 2))", "typeof(string.gmatch(\"\", \"%d\"))",
      "{number}", "{ {string} }", "{}", "{ x: number, y: number }", "{ x: number; y: number; }",
      "{ [string]: number }", "{ [number]: string, n: number }", "{ n: number, [number]: string }",
      "{ read x: number, write y: string, z: boolean }", "{ read [string]: number }",
      "{ write [number]: any }", "{ read: number, write: string }", "{ [\"quoted key\"]: number }",
      "{ f: (self: any, x: number) -> () }",
      "() -> ()", "(number) -> string", "(number, string) -> (boolean, string)",
      "(errorCode: number, errorText: string) -> ()", "(...number) -> ...string",
      "(number, ...string) -> (number, ...string)", "<T>(T) -> T", "<T, U>(T, U) -> (U, T)",
      "<T...>(T...) -> T...", "<T, U...>(T, U...) -> (T, U...)", "() -> () -> ()",
      "(number) -> number | string", "((number) -> number)?", "() -> (...any)",
      "Array<number>", "Map<string, {number}>", "mod.Type", "mod.Type<T>", "Pack<(number, string)>",
      "Pack<()>", "Pack<...number>", "Pack<T...>", "F<number, (string) -> ()>", "Nested<Array<number>>",
      "setmetatable<{x: number}, {__index: {}}>", "keyof<{a: number}>",
  })
  void every_type_form_parses(String type) {
    assertThat(type(type)).isNotBlank();
  }

  @Test
  void union_intersection_and_optional_structure() {
    assertThat(type("number | string?")).isEqualTo("(union number (optional string))");
    assertThat(type("| a | b")).isEqualTo("(union a b)");
    assertThat(type("& a")).isEqualTo("a");
    assertThat(type("(a | b) & c")).isEqualTo("(intersection (union a b) c)");
    assertThat(type("(number)?")).isEqualTo("(optional number)");
  }

  @Test
  void array_shorthand_is_a_number_indexer() {
    assertThat(type("{string}")).isEqualTo("{[number]: string}");
    assertThat(type("{ {number}? }")).isEqualTo("{[number]: (optional {[number]: number})}");
  }

  @Test
  void table_type_modifiers_and_indexers() {
    assertThat(type("{ read x: number, write [string]: boolean, [\"k\"]: any, read: number }"))
        .isEqualTo("{read x: number, k: any, read: number, write [string]: boolean}");
  }

  @Test
  void function_types_with_names_generics_and_packs() {
    assertThat(type("<T, U...>(a: T, U...) -> (T, U...)"))
        .isEqualTo("(fntype <T U...> (a: T, U...) -> (T, U...))");
    assertThat(type("(...number) -> ...string")).isEqualTo("(fntype (...number) -> ...string)");
    assertThat(type("() -> () -> number")).isEqualTo("(fntype () -> ((fntype () -> (number))))");
    assertThat(type("(number) -> number | string"))
        .isEqualTo("(fntype (number) -> ((union number string)))");
  }

  @Test
  void generic_arguments_can_be_types_or_packs() {
    assertThat(type("F<number, (string, boolean), ...any, T..., ()>"))
        .isEqualTo("F<number, (string, boolean), ...any, T..., ()>");
    assertThat(type("mod.Type<(number)>")).isEqualTo("mod.Type<(number)>");
    assertThat(type("F<(number)?, (A) | B>")).isEqualTo("F<(optional number), (union A B)>");
  }

  @Test
  void singleton_and_typeof_types() {
    assertThat(type("\"a\" | 'b' | true | false")).isEqualTo("(union \"a\" \"b\" true false)");
    assertThat(type("typeof(t.x)")).isEqualTo("typeof((. t x))");
  }

  @Test
  void type_alias_generics_with_defaults() {
    ParseResult r = Parser.parse(
        "type A<T, U = string, V... = ...number> = {T} export type B<T... = (number, string)> = () -> T..."
            .getBytes(StandardCharsets.UTF_8), "t");
    assertThat(r.errors()).isEmpty();
    assertThat(AstPrinter.print(r.chunk())).isEqualTo("""
        (type A <T U=string V...=...number> = {[number]: T})
        (export type B <T...=(number, string)> = (fntype () -> T...))
        """);
  }

  @Test
  void annotations_everywhere_a_binding_or_return_can_be() {
    String source = """
        local a: number, b: {string}? = 1, nil
        local function f<T>(x: T, y: (T) -> ()?, ...: number): (T, ...string) return x end
        function g(...: T...): T... end
        for i: number = 1, 2 do end
        for k: string, v: any in t do end
        local h = function(a: number): () end
        local c = (x :: typeof(x)) :: any
        local d = (f :: <T>(T) -> T)(1)
        """;
    ParseResult r = Parser.parse(source.getBytes(StandardCharsets.UTF_8), "t");
    assertThat(r.errors()).isEmpty();
    assertThat(r.chunk().stats()).hasSize(8);
  }

  @Test
  void type_nodes_are_typed_records() {
    assertThat(Parser.parse("type T = number?".getBytes(StandardCharsets.UTF_8), "t").chunk().stats().get(0))
        .isInstanceOfSatisfying(Stat.TypeAlias.class,
            a -> assertThat(a.type()).isInstanceOf(TypeNode.Optional.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\u0000', value = {
      "type T = number & string | boolean => Mixing union and intersection types is not allowed; consider wrapping in parentheses.",
      "type T = A & B? => Mixing union and intersection types is not allowed; consider wrapping in parentheses.",
      "type T = => Expected type, got <eof>",
      "type T = | => Expected type, got <eof>",
      "type T = (number, string) => Expected '->' when parsing function type, got <eof>",
      "type T = () => Expected '->' after '()' when parsing function type; did you mean 'nil'?",
      "type T = (number): string => Return types in function type annotations are written after '->' instead of ':'",
      "type T = function => Using 'function' as a type annotation is not supported, consider replacing with a function type annotation e.g. '(...any) -> ...any'",
      "type T = T... => Unexpected '...' after type name; type pack is not allowed in this context",
      "type T = (number,) -> () => Expected type after ',' but got ')' instead",
      "type T<U,> = U => Expected type after ',' but got '>' instead",
      "type T<U... = number> = () -> U... => Expected type pack after '=', got type",
      "local x: Array<number>= {} => Expected '>' (to close '<' at column 15), got '>='",
      "type T = { [string]: number, [number]: string } => Cannot have more than one table indexer",
      "type T = { x number } => Expected '}' (to close '{' at column 10), got 'number'",
      "type T = { x: number, y } => Expected ':' when parsing table field, got '}'",
      "type T = { x: number => Expected '}' (to close '{' at column 10), got <eof>",
      "type T = <T>T => Expected '(' when parsing function parameters, got 'T'",
      "type T = <T>(T) => Expected '->' when parsing function type, got <eof>",
      "type T = `str` => Interpolated string literals cannot be used as types",
      "type T = ...number => Expected type, got '...'",
      "type T = 1 => Expected type, got '1'",
      "type T = Array<number => Expected '>' (to close '<' at column 15), got <eof>",
      "type T<U = number, V> = U => Expected default type after type name",
      "type T<U..., V> = U => Generic types come before generic type packs",
      "local x: = 1 => Expected type, got '='",
      "function f(): end => Expected type, got 'end'",
      "type T = (string => Expected ')' (to close '(' at column 10), got <eof>",
  })
  void invalid_type_syntax_is_rejected(String source, String message) {
    ParseResult r = Parser.parse(source.strip().getBytes(StandardCharsets.UTF_8), "t");
    assertThat(r.errors()).extracting(ParseError::message).contains(message.strip());
  }
}
