package io.templateworker.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  final AtomicLong now = new AtomicLong(5_000_000_000L);

  @Test
  void a_burst_is_admitted_then_refused_until_it_refills() {
    RateLimits l = new RateLimits(RateLimits.Spec.global(RateLimits.Quota.of(3, Duration.ofSeconds(5))), now::get);
    l.check("send");
    l.check("send");
    l.check("send");
    assertThatThrownBy(() -> l.check("send")).isInstanceOf(LuauError.class)
        .hasMessageContaining("Global ratelimit hit for bucket 'send', wait time: 1.667s");
    now.addAndGet(Duration.ofMillis(1667).toNanos());
    l.check("send");
    assertThatThrownBy(() -> l.check("send")).hasMessageContaining("wait time: 1.66");
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    l.check("send");
    l.check("send");
    l.check("send");
    assertThatThrownBy(() -> l.check("send")).hasMessageContaining("Global ratelimit");
  }

  @Test
  void per_bucket_limits_apply_after_the_global_one_and_ignored_buckets_skip_it() {
    RateLimits.Spec spec = new RateLimits.Spec(List.of(RateLimits.Quota.of(20, Duration.ofSeconds(5))), Set.of("free"),
        Map.of("ban", List.of(RateLimits.Quota.of(5, Duration.ofSeconds(30)), RateLimits.Quota.of(10, Duration.ofSeconds(75)))));
    RateLimits l = new RateLimits(spec, now::get);
    for (int i = 0; i < 5; i++) {
      l.check("ban");
    }
    assertThatThrownBy(() -> l.check("ban")).hasMessageContaining("Per bucket ratelimit hit for 'ban', wait time: 6s");
    for (int i = 0; i < 100; i++) {
      l.check("free");
    }
    // The refused ban took no global token: 15 of the 20 remain.
    for (int i = 0; i < 15; i++) {
      l.check("other");
    }
    assertThatThrownBy(() -> l.check("other")).hasMessageContaining("Global ratelimit hit for bucket 'other'");
  }

  @Test
  void no_spec_means_no_limit() {
    RateLimits l = new RateLimits(RateLimits.Spec.NONE, now::get);
    for (int i = 0; i < 10_000; i++) {
      l.check("x");
    }
  }

  @Test
  void durations_print_like_rust() {
    assertThat(RateLimits.duration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(RateLimits.duration(12_500_000L)).isEqualTo("12.5ms");
    assertThat(RateLimits.duration(800_000L)).isEqualTo("800µs");
    assertThat(RateLimits.duration(12L)).isEqualTo("12ns");
  }

  @Test
  void calls_and_refusals_are_counted_on_metrics_under_the_plugin_name() {
    String plugin = "RateLimitsTestPlugin"; // a label of its own: the counters are process-wide
    RateLimits l = new RateLimits(plugin, RateLimits.Spec.global(RateLimits.Quota.of(2, Duration.ofSeconds(5))), now::get);
    l.check("get");
    l.check("get");
    assertThatThrownBy(() -> l.check("get")).hasMessageContaining("Global ratelimit");
    assertThat(WorkerMetrics.PLUGIN_CALLS.value(plugin)).isEqualTo(3);
    assertThat(WorkerMetrics.RATE_LIMIT_HITS.value(plugin)).isEqualTo(1);
  }
}
