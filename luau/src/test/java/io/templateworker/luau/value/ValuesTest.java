package io.templateworker.luau.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void numbers_print_like_luau() {
    assertThat(Values.numberToString(1)).isEqualTo("1");
    assertThat(Values.numberToString(-2.5)).isEqualTo("-2.5");
    assertThat(Values.numberToString(0.1)).isEqualTo("0.1");
    assertThat(Values.numberToString(1.0 / 3)).isEqualTo("0.3333333333333333");
    assertThat(Values.numberToString(1e21)).isEqualTo("1e+21");
    assertThat(Values.numberToString(1e20)).isEqualTo("100000000000000000000");
    assertThat(Values.numberToString(1e-5)).isEqualTo("0.00001");
    assertThat(Values.numberToString(1e-6)).isEqualTo("0.000001");
    assertThat(Values.numberToString(1e-7)).isEqualTo("1e-07");
    assertThat(Values.numberToString(1.5e300)).isEqualTo("1.5e+300");
    assertThat(Values.numberToString(-0.0)).isEqualTo("-0");
    assertThat(Values.numberToString(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Values.numberToString(Double.NaN)).isEqualTo("nan");
  }

  @Test
  void numeric_strings_convert_and_others_do_not() {
    assertThat(Values.toNumber(LuauString.of(" 12 "))).isEqualTo(12.0);
    assertThat(Values.toNumber(LuauString.of("0x1f"))).isEqualTo(31.0);
    assertThat(Values.toNumber(LuauString.of("-1.5e2"))).isEqualTo(-150.0);
    // Luau reads numbers with C's strtod: "nan" and "inf"/"infinity" in any case are numbers
    assertThat((Double) Values.toNumber(LuauString.of("NaN"))).isNaN();
    assertThat(Values.toNumber(LuauString.of("Infinity"))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Values.toNumber(LuauString.of("Infinit"))).isNull();
    assertThat(Values.toNumber(LuauString.of("1f"))).isNull();
    assertThat(Values.toNumber(LuauString.of(""))).isNull();
  }

  @Test
  void raw_equality_compares_numbers_by_value_and_tables_by_identity() {
    assertThat(Values.rawEquals(1.0, 1.0)).isTrue();
    assertThat(Values.rawEquals(0.0, -0.0)).isTrue();
    assertThat(Values.rawEquals(Double.NaN, Double.NaN)).isFalse();
    assertThat(Values.rawEquals(LuauString.of("a"), LuauString.of("a"))).isTrue();
    assertThat(Values.rawEquals(new LuauTable(), new LuauTable())).isFalse();
    assertThat(Values.rawEquals(1L, 1.0)).isFalse();
  }

  @Test
  void strings_order_by_unsigned_bytes() {
    assertThat(LuauString.of("a").compareTo(LuauString.of("b"))).isNegative();
    assertThat(LuauString.wrap(new byte[] {(byte) 0xFF}).compareTo(LuauString.of("a"))).isPositive();
    assertThat(LuauString.of("ab").compareTo(LuauString.of("abc"))).isNegative();
  }
}
