package io.templateworker.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildMetricsTest {

    @Test
    void gauges_follow_the_latest_snapshot_and_counters_grow_by_the_difference_across_a_child_restart() {
        ChildMetrics child = new ChildMetrics();
        long calls = WorkerMetrics.PLUGIN_CALLS.value("ChildTest");
        long hits = WorkerMetrics.RATE_LIMIT_HITS.value("ChildTest");

        child.update(Map.of("vms", 3L, "queued", 7L, "plugin_calls:ChildTest", 10L, "rate_limit_hits:ChildTest", 1L));
        child.update(Map.of("vms", 2L, "queued", 0L, "plugin_calls:ChildTest", 15L, "rate_limit_hits:ChildTest", 1L));
        assertThat(child.vms()).isEqualTo(2);
        assertThat(child.queued()).isZero();
        assertThat(WorkerMetrics.PLUGIN_CALLS.value("ChildTest")).isEqualTo(calls + 15);
        assertThat(WorkerMetrics.RATE_LIMIT_HITS.value("ChildTest")).isEqualTo(hits + 1);

        child.childGone();
        assertThat(child.vms()).isZero();
        // The replacement counts from zero: its 4 calls are all new.
        child.update(Map.of("vms", 1L, "plugin_calls:ChildTest", 4L));
        assertThat(WorkerMetrics.PLUGIN_CALLS.value("ChildTest")).isEqualTo(calls + 19);
        assertThat(child.vms()).isEqualTo(1);
    }
}
