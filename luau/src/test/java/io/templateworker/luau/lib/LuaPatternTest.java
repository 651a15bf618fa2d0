package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LuaPatternTest {

  /** string.match(s, p) rendered as text: captures joined by '|', positions as numbers, "nil" for no match. */
  static String match(String s, String p) {
    Object[] r = StringLib.find(null, new Object[] {LuauString.of(s), LuauString.of(p)}, false);
    return render(r);
  }

  static String find(String s, String p, double init) {
    Object[] r = StringLib.find(null, new Object[] {LuauString.of(s), LuauString.of(p), init}, true);
    return render(r);
  }

  private static String render(Object[] r) {
    List<String> parts = new ArrayList<>();
    for (Object o : r) {
      parts.add(o == null ? "nil" : o instanceof Double d ? Long.toString((long) (double) d) : o.toString());
    }
    return String.join("|", parts);
  }

  static Stream<Arguments> matches() {
    return Stream.of(
        // literal, anchors, dot
        Arguments.of("hello world", "world", "world"),
        Arguments.of("hello", "^h", "h"),
        Arguments.of("hello", "^e", "nil"),
        Arguments.of("hello", "o$", "o"),
        Arguments.of("hello", "l$", "nil"),
        Arguments.of("a$b", "a$b", "a$b"),
        Arguments.of("abc", "a.c", "abc"),
        Arguments.of("", "", ""),
        Arguments.of("", "^$", ""),
        // classes
        Arguments.of("abc123", "%d+", "123"),
        Arguments.of("abc123", "%a+", "abc"),
        Arguments.of("  x", "%s*", "  "),
        Arguments.of("x.y", "%p", "."),
        Arguments.of("ABCdef", "%u+", "ABC"),
        Arguments.of("ABCdef", "%l+", "def"),
        Arguments.of("ab_1 ", "%w+", "ab"),
        Arguments.of("0xFFg", "%x+", "0"),
        Arguments.of("ffg", "%x+", "ff"),
        Arguments.of("a\tb", "%c", "\t"),
        Arguments.of("  hi", "%g+", "hi"),
        Arguments.of("abc123", "%D+", "abc"),
        Arguments.of("abc 123", "%S+", "abc"),
        Arguments.of("a\0b", "%z", "\0"),
        Arguments.of("50%", "%%", "%"),
        // sets
        Arguments.of("hello", "[aeiou]+", "e"),
        Arguments.of("hello", "[^aeiou]+", "h"),
        Arguments.of("x-y", "[a-]+", "-"),
        Arguments.of("b]a", "[]]", "]"),
        Arguments.of("b]a", "[^]]+", "b"),
        Arguments.of("A9z", "[%d%u]+", "A9"),
        Arguments.of("key=val", "[a-z]+=[a-z]+", "key=val"),
        Arguments.of("^x", "[%^x]+", "^x"),
        // quantifiers
        Arguments.of("aaa", "a*", "aaa"),
        Arguments.of("aaab", "a-b", "aaab"),
        Arguments.of("<a><b>", "<.->", "<a>"),
        Arguments.of("<a><b>", "<.*>", "<a><b>"),
        Arguments.of("color", "colou?r", "color"),
        Arguments.of("colour", "colou?r", "colour"),
        Arguments.of("b", "a+", "nil"),
        Arguments.of("-12", "^[+-]?%d+$", "-12"),
        // captures
        Arguments.of("key = value", "(%w+)%s*=%s*(%w+)", "key|value"),
        Arguments.of("hello", "()ll()", "3|5"),
        Arguments.of("hello", "(h)(e)(l)", "h|e|l"),
        Arguments.of("abc", "((a)(b))", "ab|a|b"),
        Arguments.of("hello", "(l*)", ""),
        // back references
        Arguments.of("say \"hi\" ok", "([\"'])(.-)%1", "\"|hi"),
        Arguments.of("abab", "(ab)%1", "ab"),
        Arguments.of("abac", "^(ab)%1", "nil"),
        // balance and frontier
        Arguments.of("f(a(b)c) d", "%b()", "(a(b)c)"),
        Arguments.of("f(a(b c", "%b()", "nil"),
        Arguments.of("THE (quick) fox", "%f[%a]%a+", "THE"),
        Arguments.of("THE (quick) fox", "%f[%l]%a+", "quick"),
        Arguments.of("hello world", "%f[%w]%w+$", "world"),
        Arguments.of("abc", "%f[%z]", ""));
  }

  @ParameterizedTest(name = "match({0}, {1})")
  @MethodSource("matches")
  void matches_like_lua(String subject, String pattern, String expected) {
    assertThat(match(subject, pattern)).isEqualTo(expected);
  }

  @Test
  void find_returns_positions_and_captures() {
    assertThat(find("hello world", "o w", 1)).isEqualTo("5|7");
    assertThat(find("hello world", "(o)", 6)).isEqualTo("8|8|o");
    assertThat(find("hello", "l", -2)).isEqualTo("4|4");
    assertThat(find("hello", "", 10)).isEqualTo("nil");
    assertThat(find("hello", "", 6)).isEqualTo("6|5");
    assertThat(find("a.b", ".", 1)).isEqualTo("1|1");
    assertThat(find("a+b", "+", 1)).isEqualTo("2|2"); // a '+' with nothing before it is a literal
  }

  @Test
  void plain_find_ignores_magic_characters() {
    Object[] r = StringLib.find(null, new Object[] {LuauString.of("a.b(c"), LuauString.of("b("), 1.0, Boolean.TRUE}, true);
    assertThat(render(r)).isEqualTo("3|4");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("%", "malformed pattern (ends with '%')"),
        Arguments.of("[a", "malformed pattern (missing ']')"),
        Arguments.of("[%", "malformed pattern (missing ']')"),
        Arguments.of("(", "unfinished capture"),
        Arguments.of(")", "invalid pattern capture"),
        Arguments.of("%1", "invalid capture index %1"),
        Arguments.of("(a)%2", "invalid capture index %2"),
        Arguments.of("%b", "malformed pattern (missing arguments to '%b')"),
        Arguments.of("%f", "missing '[' after '%f' in pattern"),
        Arguments.of("%fa", "missing '[' after '%f' in pattern"),
        Arguments.of("()".repeat(33), "too many captures"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformed_patterns_raise_luau_messages(String pattern, String message) {
    assertThatThrownBy(() -> match("a", pattern))
        .isInstanceOf(LuauError.class)
        .extracting(e -> ((LuauError) e).value().toString())
        .isEqualTo(message);
  }

  @Test
  void deep_recursion_is_pattern_too_complex_not_stack_overflow() {
    // each optional item recurses once; far more than the match depth budget
    String pattern = "a?".repeat(5000);
    assertThatThrownBy(() -> match("a".repeat(5000), pattern))
        .isInstanceOf(LuauError.class)
        .extracting(e -> ((LuauError) e).value().toString())
        .isEqualTo("pattern too complex");
  }

  @Test
  void pathological_pattern_is_stopped_by_the_interrupt() {
    byte[] subject = "a".repeat(3000).getBytes();
    byte[] pattern = ".-.-.-.-b".getBytes();
    int[] checks = {0};
    LuaPattern m = new LuaPattern(subject, pattern, () -> {
      if (++checks[0] == 50) {
        throw new IllegalStateException("stopped");
      }
    });
    assertThatThrownBy(() -> {
      for (int s = 0; s <= subject.length; s++) {
        m.match(s, 0);
      }
    }).hasMessage("stopped");
    assertThat(checks[0]).isEqualTo(50);
  }

  @Test
  void no_specials_detection() {
    assertThat(LuaPattern.hasSpecials("plain text".getBytes())).isFalse();
    for (String s : new String[] {"^", "$", "*", "+", "?", ".", "(", "[", "%", "-"}) {
      assertThat(LuaPattern.hasSpecials(("x" + s).getBytes())).as(s).isTrue();
    }
  }

  @Test
  void class_predicates_follow_the_c_locale() {
    for (int c = 0; c < 256; c++) {
      boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean digit = c >= '0' && c <= '9';
      boolean space = c == ' ' || (c >= 9 && c <= 13);
      boolean punct = c > 32 && c < 127 && !alpha && !digit;
      assertThat(LuaPattern.matchClass(c, 'a')).as("%%a %d", c).isEqualTo(alpha);
      assertThat(LuaPattern.matchClass(c, 'A')).as("%%A %d", c).isEqualTo(!alpha);
      assertThat(LuaPattern.matchClass(c, 'd')).isEqualTo(digit);
      assertThat(LuaPattern.matchClass(c, 's')).isEqualTo(space);
      assertThat(LuaPattern.matchClass(c, 'p')).as("%%p %d", c).isEqualTo(punct);
      assertThat(LuaPattern.matchClass(c, 'w')).isEqualTo(alpha || digit);
    }
    // a non-class letter after % is literal
    assertThat(LuaPattern.matchClass('.', '.')).isTrue();
    assertThat(LuaPattern.matchClass('q', 'q')).isTrue();
  }
}
