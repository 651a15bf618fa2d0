package io.templateworker.luau.lexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LexerTest {

  private static List<Token> lex(String source) {
    return lex(source.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Token> lex(byte[] source) {
    Lexer lexer = new Lexer(source);
    List<Token> tokens = new ArrayList<>();
    for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) {
      tokens.add(t);
    }
    return tokens;
  }

  private static List<TokenKind> kinds(String source) {
    List<TokenKind> kinds = new ArrayList<>();
    for (Token t : lex(source)) {
      kinds.add(t.kind());
    }
    return kinds;
  }

  private static Token single(String source) {
    List<Token> tokens = lex(source);
    assertThat(tokens).hasSize(1);
    return tokens.get(0);
  }

  private static String str(Token t) {
    return new String(t.bytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void every_symbol_and_compound_operator() {
    assertThat(kinds("+ - * / // % ^ # .. . ... == ~= <= >= < > = ( ) { } [ ] ; : :: , "
        + "+= -= *= /= //= %= ^= ..= -> | & ?"))
        .containsExactly(TokenKind.PLUS, TokenKind.MINUS, TokenKind.STAR, TokenKind.SLASH,
            TokenKind.DSLASH, TokenKind.PERCENT, TokenKind.CARET, TokenKind.HASH, TokenKind.CONCAT,
            TokenKind.DOT, TokenKind.DOTS, TokenKind.EQ, TokenKind.NE, TokenKind.LE, TokenKind.GE,
            TokenKind.LT, TokenKind.GT, TokenKind.ASSIGN, TokenKind.LPAREN, TokenKind.RPAREN,
            TokenKind.LBRACE, TokenKind.RBRACE, TokenKind.LBRACKET, TokenKind.RBRACKET,
            TokenKind.SEMICOLON, TokenKind.COLON, TokenKind.DCOLON, TokenKind.COMMA,
            TokenKind.PLUS_ASSIGN, TokenKind.MINUS_ASSIGN, TokenKind.STAR_ASSIGN,
            TokenKind.SLASH_ASSIGN, TokenKind.DSLASH_ASSIGN, TokenKind.PERCENT_ASSIGN,
            TokenKind.CARET_ASSIGN, TokenKind.CONCAT_ASSIGN, TokenKind.ARROW,
            TokenKind.PIPE, TokenKind.AMPERSAND, TokenKind.QUESTION);
  }

  @Test
  void attributes_are_one_token_with_their_name() {
    List<Token> tokens = lex("@native @[deprecated] @ x");
    assertThat(tokens).extracting(Token::kind).containsExactly(TokenKind.ATTRIBUTE, TokenKind.ATTRIBUTE_OPEN,
        TokenKind.NAME, TokenKind.RBRACKET, TokenKind.ATTRIBUTE, TokenKind.NAME);
    assertThat(tokens.get(0).text()).isEqualTo("native");
    assertThat(tokens.get(4).text()).isEmpty();
  }

  @Test
  void operators_from_other_languages_become_luau_ones_with_an_error() {
    List<Token> tokens = lex("! != && ||");
    assertThat(tokens).extracting(Token::kind)
        .containsExactly(TokenKind.NOT, TokenKind.NE, TokenKind.AND, TokenKind.OR);
    assertThat(tokens).extracting(Token::error).containsExactly(
        "Unexpected '!'; did you mean 'not'?", "Unexpected '!='; did you mean '~='?",
        "Unexpected '&&'; did you mean 'and'?", "Unexpected '||'; did you mean 'or'?");
  }

  @Test
  void greater_than_is_never_merged_so_nested_generics_close() {
    assertThat(kinds(">>")).containsExactly(TokenKind.GT, TokenKind.GT);
  }

  @Test
  void reserved_words_are_keywords_and_contextual_ones_are_names() {
    assertThat(kinds("and break do else elseif end false for function if in local nil not or "
        + "repeat return then true until while"))
        .allMatch(TokenKind::isKeyword)
        .hasSize(21);
    List<Token> names = lex("continue type export typeof read write _x9 self");
    assertThat(names).extracting(Token::kind).containsOnly(TokenKind.NAME);
    assertThat(names).extracting(Token::text)
        .containsExactly("continue", "type", "export", "typeof", "read", "write", "_x9", "self");
  }

  @Test
  void decimal_numbers_in_every_form() {
    assertThat(single("42").number()).isEqualTo(42.0);
    assertThat(single("3.25").number()).isEqualTo(3.25);
    assertThat(single(".5").number()).isEqualTo(0.5);
    assertThat(single("5.").number()).isEqualTo(5.0);
    assertThat(single("1e3").number()).isEqualTo(1000.0);
    assertThat(single("1E+3").number()).isEqualTo(1000.0);
    assertThat(single("2.5e-1").number()).isEqualTo(0.25);
    assertThat(single("1_000_000").number()).isEqualTo(1_000_000.0);
    assertThat(single("1e400").number()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void hex_and_binary_numbers() {
    assertThat(single("0xff").number()).isEqualTo(255.0);
    assertThat(single("0XFF").number()).isEqualTo(255.0);
    assertThat(single("0xDEAD_BEEF").number()).isEqualTo(3735928559.0);
    assertThat(single("0b1010").number()).isEqualTo(10.0);
    assertThat(single("0B1111_0000").number()).isEqualTo(240.0);
    assertThat(single("0xFFFFFFFFFFFFFFFF").number()).isEqualTo(18446744073709551615.0);
    assertThat(single("0x10000000000000000").number()).isEqualTo(18446744073709551616.0);
  }

  @Test
  void integer_literals_with_i_suffix() {
    Token t = single("123i");
    assertThat(t.kind()).isEqualTo(TokenKind.INTEGER);
    assertThat(t.integer()).isEqualTo(123L);
    assertThat(single("1_000i").integer()).isEqualTo(1000L);
    assertThat(single("0xABABi").integer()).isEqualTo(0xABABL);
    assertThat(single("0b1000_1000i").integer()).isEqualTo(0b1000_1000L);
    assertThat(single("9223372036854775807i").integer()).isEqualTo(Long.MAX_VALUE);
    assertThat(single("0xFFFFFFFFFFFFFFFFi").integer()).isEqualTo(-1L);
  }

  @Test
  void integer_literals_must_be_exact_and_in_range() {
    assertThat(single("9_223_372_036_854_775_808i").error()).isEqualTo("Integer overflow");
    assertThat(single("0x1_0000_0000_0000_0000i").error()).isEqualTo("Integer overflow");
    assertThat(single("1.23i").error()).isEqualTo("Malformed integer");
    assertThat(single("1e3i").error()).isEqualTo("Malformed integer");
    assertThat(single("0xi").error()).isEqualTo("Malformed integer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x", "0xG1", "0b102", "0b", "1e", "1e+", "3.4.5", "1..2", "12abc", "0x1p4", "1ee5"})
  void malformed_numbers_are_reported_as_one_token(String source) {
    Token t = single(source);
    assertThat(t.kind()).isEqualTo(TokenKind.NUMBER);
    assertThat(t.error()).isEqualTo("Malformed number");
  }

  @Test
  void number_followed_by_concat_needs_a_space() {
    assertThat(kinds("1 ..2")).containsExactly(TokenKind.NUMBER, TokenKind.CONCAT, TokenKind.NUMBER);
  }

  @Test
  void simple_escapes() {
    assertThat(single("'\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\''").bytes())
        .containsExactly(7, 8, 12, 10, 13, 9, 11, '\\', '"', '\'');
  }

  @Test
  void decimal_escapes_take_up_to_three_digits() {
    assertThat(single("\"\\65\\066\\0677\\0\"").bytes()).containsExactly('A', 'B', 'C', '7', 0);
    assertThat(single("\"\\255\"").bytes()).containsExactly(0xFF);
  }

  @Test
  void hex_and_unicode_escapes() {
    assertThat(str(single("\"\\x41\\x6a\"")) ).isEqualTo("Aj");
    assertThat(single("\"\\u{48}\\u{7FF}\\u{FFFF}\\u{10FFFF}\"").bytes()).containsExactly(
        0x48, 0xDF, 0xBF, 0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF);
    assertThat(new String(single("'\\u{1F600}'").bytes(), StandardCharsets.UTF_8)).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void z_escape_skips_whitespace_including_newlines() {
    Token t = single("\"a\\z   \n\t  b\"");
    assertThat(str(t)).isEqualTo("ab");
    assertThat(t.span().endLine()).isEqualTo(2);
  }

  @Test
  void escaped_line_break_is_a_newline_in_the_string() {
    assertThat(str(single("\"a\\\nb\""))).isEqualTo("a\nb");
    assertThat(str(single("\"a\\\r\nb\""))).isEqualTo("a\nb");
  }

  @Test
  void other_escaped_characters_stand_for_themselves_as_in_luau() {
    assertThat(str(single("\"\\q\\ \\%\""))).isEqualTo("q %");
    assertThat(str(single("`a\\ b`"))).isEqualTo("a b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\\300\"", "\"\\x4\"", "\"\\xZZ\"", "\"\\u{110000}\"", "\"\\u41\"",
      "\"\\u{}\"", "\"\\u{41\""})
  void malformed_escapes_are_reported(String source) {
    Token t = single(source);
    assertThat(t.kind()).isEqualTo(TokenKind.STRING);
    assertThat(t.error()).isEqualTo("String literal contains malformed escape sequence");
  }

  @Test
  void unfinished_strings_are_reported_at_their_start() {
    Token t = lex("x = 'abc\ny = 1").get(2);
    assertThat(t.error()).isEqualTo("Malformed string; did you forget to finish it?");
    assertThat(t.span().line()).isEqualTo(1);
    assertThat(t.span().column()).isEqualTo(5);
    assertThat(single("\"abc").error()).isEqualTo("Malformed string; did you forget to finish it?");
  }

  @Test
  void strings_keep_arbitrary_bytes() {
    byte[] source = {'"', (byte) 0xFF, 1, (byte) 0x80, '\\', '0', '"'};
    assertThat(lex(source).get(0).bytes()).containsExactly(0xFF, 1, 0x80, 0);
  }

  @Test
  void long_strings_skip_the_first_newline_and_nest_by_level() {
    assertThat(str(single("[[\nline1\nline2]]"))).isEqualTo("line1\nline2");
    assertThat(str(single("[==[a]]b]=]c]==]"))).isEqualTo("a]]b]=]c");
    assertThat(str(single("[[a\r\nb]]"))).isEqualTo("a\nb");
    assertThat(str(single("[[\r\nx\ry]]"))).isEqualTo("x\ry");
    assertThat(str(single("[[\\n]]"))).isEqualTo("\\n");
  }

  @Test
  void unfinished_long_string_and_bad_delimiter() {
    assertThat(single("[==[abc]=]").error()).isEqualTo("Malformed string; did you forget to finish it?");
    Token bad = lex("[=x").get(0);
    assertThat(bad.kind()).isEqualTo(TokenKind.STRING);
    assertThat(bad.error()).isEqualTo("Malformed string; did you forget to finish it?");
  }

  @Test
  void comments_are_skipped() {
    assertThat(kinds("a -- line comment\nb --[[ long\ncomment ]] c --[==[ ]] ]==] d --[ not long\ne"))
        .containsExactly(TokenKind.NAME, TokenKind.NAME, TokenKind.NAME, TokenKind.NAME, TokenKind.NAME);
  }

  @Test
  void unfinished_long_comment_is_an_error() {
    Token t = lex("x --[[ never closed").get(1);
    assertThat(t.kind()).isEqualTo(TokenKind.ERROR);
    assertThat(t.describe()).isEqualTo("unfinished comment");
    assertThat(t.span().column()).isEqualTo(3);
  }

  @Test
  void hot_comments_are_recorded_and_header_ones_flagged() {
    Lexer lexer = new Lexer("--!strict\n--!native\nlocal x = 1 --!nolint\n".getBytes(StandardCharsets.UTF_8));
    while (lexer.next().kind() != TokenKind.EOF) {
      // drain
    }
    assertThat(lexer.hotComments()).extracting(HotComment::content)
        .containsExactly("strict", "native", "nolint");
    assertThat(lexer.hotComments()).extracting(HotComment::header).containsExactly(true, true, false);
    assertThat(lexer.hotComments().get(1).span().line()).isEqualTo(2);
  }

  @Test
  void interpolated_string_segments() {
    List<Token> tokens = lex("`a{x}b{y}c`");
    assertThat(tokens).extracting(Token::kind).containsExactly(TokenKind.INTERP_BEGIN, TokenKind.NAME,
        TokenKind.INTERP_MID, TokenKind.NAME, TokenKind.INTERP_END);
    assertThat(str(tokens.get(0))).isEqualTo("a");
    assertThat(str(tokens.get(2))).isEqualTo("b");
    assertThat(str(tokens.get(4))).isEqualTo("c");
    assertThat(single("`plain \\{ \\` text`").kind()).isEqualTo(TokenKind.INTERP_SIMPLE);
    assertThat(str(single("`plain \\{ \\` text`"))).isEqualTo("plain { ` text");
  }

  @Test
  void interpolation_tracks_table_braces_and_nested_backticks() {
    assertThat(kinds("`{ {1} }` `a{`b{c}`}d`")).containsExactly(
        TokenKind.INTERP_BEGIN, TokenKind.LBRACE, TokenKind.NUMBER, TokenKind.RBRACE, TokenKind.INTERP_END,
        TokenKind.INTERP_BEGIN, TokenKind.INTERP_BEGIN, TokenKind.NAME, TokenKind.INTERP_END, TokenKind.INTERP_END);
  }

  @Test
  void interpolation_errors() {
    assertThat(lex("`a{{x}}`").get(0).error())
        .isEqualTo("Double braces are not permitted within interpolated strings; did you mean '\\{'?");
    assertThat(single("`abc").error()).isEqualTo("Malformed interpolated string; did you forget to add a '`'?");
    assertThat(lex("`a{x}b\n`").get(2).error())
        .isEqualTo("Malformed interpolated string; did you forget to add a '`'?");
  }

  @Test
  void only_line_feeds_end_lines_as_in_luau() {
    List<Token> tokens = lex("a\rb\r\nc");
    assertThat(tokens).extracting(t -> t.span().line()).containsExactly(1, 1, 2);
    assertThat(lex("'a\rb'").get(0).error()).isEqualTo("Malformed string; did you forget to finish it?");
  }

  @Test
  void spans_are_one_based_with_exclusive_end_and_handle_crlf() {
    List<Token> tokens = lex("local x\r\n  = 10\n\n'a\\\nb'");
    assertThat(tokens.get(0).span()).isEqualTo(new Span(1, 1, 1, 6));
    assertThat(tokens.get(1).span()).isEqualTo(new Span(1, 7, 1, 8));
    assertThat(tokens.get(2).span()).isEqualTo(new Span(2, 3, 2, 4));
    assertThat(tokens.get(3).span()).isEqualTo(new Span(2, 5, 2, 7));
    assertThat(tokens.get(4).span()).isEqualTo(new Span(4, 1, 5, 3));
  }

  @Test
  void unexpected_characters_become_error_tokens_named_as_luau_does() {
    List<Token> tokens = lex("a $ b ~ c \u00e9 d \u201c");
    assertThat(tokens).extracting(Token::kind).containsExactly(TokenKind.NAME, TokenKind.ERROR,
        TokenKind.NAME, TokenKind.ERROR, TokenKind.NAME, TokenKind.ERROR, TokenKind.NAME, TokenKind.ERROR);
    assertThat(tokens.get(1).describe()).isEqualTo("'$'");
    assertThat(tokens.get(3).describe()).isEqualTo("'~'");
    assertThat(tokens.get(5).describe()).isEqualTo("Unicode character U+e9");
    assertThat(tokens.get(7).describe()).isEqualTo("Unicode character U+201c (did you mean '\"'?)");
    assertThat(lex(new byte[] {(byte) 0xFF}).get(0).describe()).isEqualTo("invalid UTF-8 sequence");
  }

  @Test
  void tokens_describe_themselves_like_luau_lexemes() {
    List<Token> tokens = lex("end foo 12 'str' `a{x}b{y}c` @native ...");
    assertThat(tokens).extracting(Token::describe).containsExactly("'end'", "'foo'", "'12'", "\"str\"",
        "`a{", "'x'", "}b{", "'y'", "}c`", "'@native'", "'...'");
  }

  @Test
  void a_nul_byte_ends_the_source_and_an_unfinished_string_as_in_luau() {
    assertThat(kinds("a b\0c d")).containsExactly(TokenKind.NAME, TokenKind.NAME);
    assertThat(kinds("a --comment\0c")).containsExactly(TokenKind.NAME);
    Token t = lex("'ab\0cd'").get(0);
    assertThat(t.error()).isEqualTo("Malformed string; did you forget to finish it?");
  }

  @Test
  void eof_repeats() {
    Lexer lexer = new Lexer(new byte[0]);
    assertThat(lexer.next().kind()).isEqualTo(TokenKind.EOF);
    assertThat(lexer.next().kind()).isEqualTo(TokenKind.EOF);
  }
}
