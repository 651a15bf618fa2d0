package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MathLibTest {

  @Test
  void pcg32_matches_the_reference_generator_output() {
    // PCG's pcg32-demo: seed 42 on stream 54 (increment 54 * 2 + 1) prints these first six values
    MathLib.Pcg32 rng = new MathLib.Pcg32(42, 54 * 2 + 1);
    int[] expected = {0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e};
    for (int e : expected) {
      assertThat(rng.next()).isEqualTo(e);
    }
  }

  @Test
  void random_ranges_are_inclusive_and_reseeding_repeats_the_sequence() {
    MathLib.Pcg32 a = new MathLib.Pcg32(7);
    MathLib.Pcg32 b = new MathLib.Pcg32(7);
    boolean sawLow = false;
    boolean sawHigh = false;
    for (int i = 0; i < 2000; i++) {
      double x = (double) a.random(new Object[] {1.0, 3.0})[0];
      assertThat(x).isEqualTo((double) b.random(new Object[] {1.0, 3.0})[0]);
      assertThat(x).isBetween(1.0, 3.0);
      sawLow |= x == 1.0;
      sawHigh |= x == 3.0;
      double f = (double) a.random(new Object[0])[0];
      b.random(new Object[0]);
      assertThat(f).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(1.0);
    }
    assertThat(sawLow).isTrue();
    assertThat(sawHigh).isTrue();
  }

  @Test
  void round_is_half_away_from_zero_like_c() {
    assertThat(MathLib.round(0.5)).isEqualTo(1.0);
    assertThat(MathLib.round(-0.5)).isEqualTo(-1.0);
    assertThat(MathLib.round(0.49999999999999994)).isEqualTo(0.0);
    assertThat(MathLib.round(4503599627370497.0)).isEqualTo(4503599627370497.0);
    assertThat(Double.doubleToRawLongBits(MathLib.round(-0.2))).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void frexp_and_log2_are_exact() {
    assertThat(MathLib.frexp(Double.MIN_VALUE)).containsExactly(0.5, -1073.0);
    assertThat(MathLib.frexp(-12.0)).containsExactly(-0.75, 4.0);
    assertThat(MathLib.log2(1024)).isEqualTo(10.0);
    assertThat(MathLib.log2(Double.MIN_VALUE)).isEqualTo(-1074.0);
  }

  @Test
  void noise_is_zero_on_lattice_points_and_bounded() {
    assertThat(MathLib.perlin(3f, -2f, 7f)).isEqualTo(0f);
    for (int i = 0; i < 1000; i++) {
      float v = MathLib.perlin(i * 0.173f, i * 0.091f, i * 0.047f);
      assertThat(v).isBetween(-1f, 1f);
    }
  }
}
