package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StringFormatTest {

  static String fmt(String format, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = LuauString.of(format);
    for (int i = 0; i < args.length; i++) {
      all[i + 1] = args[i] instanceof String s ? LuauString.of(s) : args[i] instanceof Integer n ? (Object) (double) n : args[i];
    }
    return StringFormat.format(null, all).toString();
  }

  /** Expected outputs are what glibc's printf produces for the same conversion. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("%d", 42, "42"),
        Arguments.of("%d", -42, "-42"),
        Arguments.of("%d", 3.99, "3"),
        Arguments.of("%d", -3.99, "-3"),
        Arguments.of("%5d", 42, "   42"),
        Arguments.of("%-5d|", 42, "42   |"),
        Arguments.of("%05d", -42, "-0042"),
        Arguments.of("%+d", 5, "+5"),
        Arguments.of("% d", 5, " 5"),
        Arguments.of("%.3d", 7, "007"),
        Arguments.of("%.0d", 0, ""),
        Arguments.of("%5.3d", 7, "  007"),
        Arguments.of("%08.3d", 7, "     007"),
        Arguments.of("%i", 1e15, "1000000000000000"),
        Arguments.of("%d", 2e18, "2000000000000000000"),
        Arguments.of("%x", 255, "ff"),
        Arguments.of("%X", 255, "FF"),
        Arguments.of("%#x", 255, "0xff"),
        Arguments.of("%#X", 255, "0XFF"),
        Arguments.of("%#x", 0, "0"),
        Arguments.of("%08x", 48879, "0000beef"),
        Arguments.of("%x", -1, "ffffffffffffffff"),
        Arguments.of("%o", 8, "10"),
        Arguments.of("%#o", 8, "010"),
        Arguments.of("%#o", 0, "0"),
        Arguments.of("%#.0o", 0, "0"),
        Arguments.of("%u", 42, "42"),
        Arguments.of("%u", -1, "18446744073709551615"),
        Arguments.of("%c", 65, "A"),
        Arguments.of("%3c", 65, "  A"),
        Arguments.of("%-3c|", 65, "A  |"),
        Arguments.of("%f", 3.14159, "3.141590"),
        Arguments.of("%5.2f", 3.14159, " 3.14"),
        Arguments.of("%.0f", 0.5, "0"),
        Arguments.of("%.0f", 1.5, "2"),
        Arguments.of("%.0f", 2.5, "2"),
        Arguments.of("%.2f", 2.675, "2.67"),
        Arguments.of("%.1f", 0.05, "0.1"),
        Arguments.of("%#.0f", 3.0, "3."),
        Arguments.of("%+.1f", 1.0, "+1.0"),
        Arguments.of("%010.3f", -3.14159, "-00003.142"),
        Arguments.of("%f", -0.0, "-0.000000"),
        Arguments.of("%.3f", 1e20, "100000000000000000000.000"),
        Arguments.of("%e", 12345.678, "1.234568e+04"),
        Arguments.of("%E", 0.000123, "1.230000E-04"),
        Arguments.of("%.0e", 5.0, "5e+00"),
        Arguments.of("%#.0e", 5.0, "5.e+00"),
        Arguments.of("%e", 0.0, "0.000000e+00"),
        Arguments.of("%.2e", 1e100, "1.00e+100"),
        Arguments.of("%12.3e", 9.9996, "   1.000e+01"),
        Arguments.of("%g", 100000.0, "100000"),
        Arguments.of("%g", 1000000.0, "1e+06"),
        Arguments.of("%g", 0.0001, "0.0001"),
        Arguments.of("%g", 0.00001, "1e-05"),
        Arguments.of("%g", 3.14159265, "3.14159"),
        Arguments.of("%.3g", 3.14159, "3.14"),
        Arguments.of("%.0g", 3.5, "4"),
        Arguments.of("%#g", 1.0, "1.00000"),
        Arguments.of("%G", 1e-10, "1E-10"),
        Arguments.of("%g", 0.0, "0"),
        Arguments.of("%.14g", 0.1, "0.1"),
        Arguments.of("%.17g", 0.1, "0.10000000000000001"),
        Arguments.of("%g", 123456789.0, "1.23457e+08"),
        Arguments.of("%f", Double.POSITIVE_INFINITY, "inf"),
        Arguments.of("%5.1f", Double.NEGATIVE_INFINITY, " -inf"),
        Arguments.of("%05f", Double.POSITIVE_INFINITY, "  inf"),
        Arguments.of("%E", Double.POSITIVE_INFINITY, "INF"),
        Arguments.of("%s", "hi", "hi"),
        Arguments.of("%5s", "hi", "   hi"),
        Arguments.of("%-5s|", "hi", "hi   |"),
        Arguments.of("%.1s", "hi", "h"),
        Arguments.of("%s", 12, "12"),
        Arguments.of("%s", 1.5, "1.5"),
        Arguments.of("%q", "a\"b\\c\nd\re\0f", "\"a\\\"b\\\\c\\\nd\\re\\000f\""),
        Arguments.of("100%%", 0, "100%"),
        Arguments.of("%*", "x", "x"),
        Arguments.of("%*", 1.5, "1.5"),
        Arguments.of("%*", Boolean.TRUE, "true"),
        Arguments.of("%d%%", 50, "50%"));
  }

  @ParameterizedTest(name = "format({0}, {1}) = {2}")
  @MethodSource("cases")
  void formats_like_c_printf(String format, Object arg, String expected) {
    assertThat(fmt(format, arg)).isEqualTo(expected);
  }

  @Test
  void several_arguments_and_plain_text() {
    assertThat(fmt("%s=%d (%5.1f%%)", "x", 3, 99.44)).isEqualTo("x=3 ( 99.4%)");
    assertThat(fmt("no conversions")).isEqualTo("no conversions");
  }

  @Test
  void percent_c_of_zero_keeps_the_nul_byte() {
    assertThat(fmt("a%cb", 0)).isEqualTo("a\0b");
    assertThat(fmt("%3c", 0)).isEqualTo("  \0");
  }

  @Test
  void long_string_without_precision_is_kept_whole() {
    String s = "x".repeat(150);
    assertThat(fmt("%5s", s)).isEqualTo(s);
    assertThat(fmt("%.3s", s)).isEqualTo("xxx");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("%y", new Object[] {1}, "invalid option '%y' to 'format'"),
        Arguments.of("%a", new Object[] {1}, "invalid option '%a' to 'format'"),
        Arguments.of("%d", new Object[] {}, "missing argument #2"),
        Arguments.of("%d %d", new Object[] {1}, "missing argument #3"),
        Arguments.of("%d", new Object[] {"x"}, "invalid argument #2 to 'format' (number expected, got string)"),
        Arguments.of("%s", new Object[] {Boolean.TRUE}, "invalid argument #2 to 'format' (string expected, got boolean)"),
        Arguments.of("%123d", new Object[] {1}, "invalid format (width or precision too long)"),
        Arguments.of("%.123f", new Object[] {1}, "invalid format (width or precision too long)"),
        Arguments.of("%------d", new Object[] {1}, "invalid format (repeated flags)"),
        Arguments.of("%5*", new Object[] {1}, "'%*' does not take a form"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void bad_formats_raise_luau_messages(String format, Object[] args, String message) {
    assertThatThrownBy(() -> fmt(format, args))
        .isInstanceOf(LuauError.class)
        .extracting(e -> ((LuauError) e).value().toString())
        .isEqualTo(message);
  }

  @Test
  void numeric_strings_are_accepted_as_numbers() {
    assertThat(fmt("%d", "12")).isEqualTo("12");
    assertThat(fmt("%.1f", "2.25")).isEqualTo("2.2");
  }

  @Test
  void integers_format_exactly() {
    assertThat(fmt("%d", Long.MAX_VALUE)).isEqualTo("9223372036854775807");
    assertThat(fmt("%x", -1L)).isEqualTo("ffffffffffffffff");
  }

  @Test
  void fast_fixed_point_agrees_with_exact_decimal_rounding() {
    java.util.Random rnd = new java.util.Random(20261127L);
    int decided = 0;
    for (int i = 0; i < 200_000; i++) {
      double a = switch (i % 4) {
        case 0 -> rnd.nextDouble() * 1000;
        case 1 -> rnd.nextInt(100_000) / 1000.0; // many values near decimal ties
        case 2 -> Math.abs(rnd.nextGaussian()) * 1e9;
        default -> rnd.nextInt(1 << 20) / 8.0 + 0.0625; // exact binary ties
      };
      int prec = rnd.nextInt(10);
      String fast = StringFormat.fastFixed(a, prec);
      if (fast != null) {
        decided++;
        String exact = new java.math.BigDecimal(a).setScale(prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
        assertThat(fast).as("%.17g at %d", a, prec).isEqualTo(exact);
      }
    }
    assertThat(decided).isGreaterThan(150_000); // the fast path must actually take most cases
  }
}
