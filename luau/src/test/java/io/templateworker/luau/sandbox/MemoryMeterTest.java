package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LimitExceeded;
import org.junit.jupiter.api.Test;

/** The counter-plus-walk accounting: garbage never causes a false "not enough memory". */
class MemoryMeterTest {
  private long live;
  private final MemoryMeter meter = new MemoryMeter(1000);

  MemoryMeterTest() {
    meter.setProbe(() -> live);
  }

  @Test
  void charges_below_the_cap_never_walk() {
    for (int i = 0; i < 10; i++) {
      meter.charge(100);
    }
    assertThat(meter.walks()).isZero();
    assertThat(meter.countedBytes()).isEqualTo(1000);
  }

  @Test
  void passing_the_cap_walks_and_resets_the_counter_to_the_live_size() {
    live = 300;
    for (int i = 0; i < 10_000; i++) {
      meter.charge(100); // a long-lived VM producing garbage: 1 MB through a 1000-byte cap
    }
    assertThat(meter.walks()).isGreaterThan(0);
    assertThat(meter.countedBytes()).isLessThanOrEqualTo(1000);
    assertThat(meter.lastLiveBytes()).isEqualTo(300);
  }

  @Test
  void fails_when_the_live_size_plus_the_request_is_over_the_cap() {
    live = 950;
    meter.charge(900);
    assertThatThrownBy(() -> meter.charge(200)).isInstanceOf(LimitExceeded.class)
        .hasMessage("not enough memory");
  }

  @Test
  void near_the_cap_the_next_walk_waits_for_half_the_live_size_of_new_charges() {
    live = 800;
    meter.charge(900);
    meter.charge(200); // passes the cap: walk; live 800 + 200 fits, next walk at 800 * 1.5
    assertThat(meter.walks()).isEqualTo(1);
    meter.charge(150); // counter 1150: over the cap but under the trigger, no walk
    assertThat(meter.walks()).isEqualTo(1);
    meter.charge(100); // 1250 > 1200: walk; live 800 + 100 fits
    assertThat(meter.walks()).isEqualTo(2);
    assertThatThrownBy(() -> meter.charge(400)).isInstanceOf(LimitExceeded.class); // 1300 > 1200: 800 + 400
  }

  @Test
  void far_below_the_cap_the_trigger_is_the_cap() {
    live = 100;
    meter.charge(950);
    meter.charge(100); // walk: live 100, trigger stays 1000
    assertThat(meter.walks()).isEqualTo(1);
    meter.charge(800); // 200 + 800 = 1000: no walk
    assertThat(meter.walks()).isEqualTo(1);
    meter.charge(1); // over the cap: walk
    assertThat(meter.walks()).isEqualTo(2);
  }

  @Test
  void a_single_request_over_the_cap_fails_without_walking() {
    assertThatThrownBy(() -> meter.charge(5000)).isInstanceOf(LimitExceeded.class);
    assertThat(meter.walks()).isZero();
  }

  @Test
  void without_a_probe_the_counter_is_the_limit() {
    MemoryMeter plain = new MemoryMeter(1000);
    plain.charge(900);
    assertThatThrownBy(() -> plain.charge(200)).isInstanceOf(LimitExceeded.class);
    plain.release(500);
    plain.charge(200);
    assertThat(plain.countedBytes()).isEqualTo(600);
  }

  @Test
  void zero_cap_is_unlimited() {
    MemoryMeter unlimited = new MemoryMeter(0);
    unlimited.charge(Long.MAX_VALUE / 2);
    assertThat(unlimited.walks()).isZero();
  }
}
