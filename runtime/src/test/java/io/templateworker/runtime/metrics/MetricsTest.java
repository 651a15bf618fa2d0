package io.templateworker.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void labelled_counter_counts_per_series_and_exports_known_values_from_the_start() {
        Counter c = Counter.labelled("test_counter_series", "test", "result", "ok", "error");
        c.inc("ok");
        c.inc("ok");
        c.inc("late");
        assertThat(c.series()).containsEntry("ok", 2L).containsEntry("error", 0L).containsEntry("late", 1L);
        assertThat(MetricRegistry.all()).contains(c);
    }

    @Test
    void gauge_sums_moves_and_tracked_suppliers_until_the_tracker_is_closed() throws Exception {
        Gauge g = Gauge.create("test_gauge_sum", "test");
        g.add(3);
        g.add(-1);
        AtomicLong queued = new AtomicLong(5);
        AutoCloseable tracker = g.track(queued::get);
        assertThat(g.value()).isEqualTo(7);
        queued.set(10);
        assertThat(g.value()).isEqualTo(12);
        tracker.close();
        assertThat(g.value()).isEqualTo(2);
    }

    @Test
    void histogram_puts_each_observation_in_the_first_bucket_that_holds_it() {
        Histogram h = Histogram.create("test_histogram_buckets", "test", new double[] {0.01, 0.1, 1});
        h.observe(0.005);
        h.observe(0.01);
        h.observe(0.5);
        h.observe(7);
        assertThat(h.bucketCounts()).containsExactly(2, 0, 1, 1);
        assertThat(h.count()).isEqualTo(4);
        assertThat(h.sum()).isEqualTo(7.515, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void names_are_unique_and_prometheus_shaped() {
        Counter.create("test_unique_name", "test");
        assertThatThrownBy(() -> Gauge.create("test_unique_name", "again")).hasMessageContaining("already registered");
        assertThatThrownBy(() -> Counter.create("Bad-Name", "x")).hasMessageContaining("not a Prometheus name");
    }

    @Test
    void the_catalog_registers_every_standard_metric() {
        WorkerMetrics.init();
        assertThat(MetricRegistry.all()).extracting(MetricRegistry.Metric::name)
                .contains("worker_events_dispatched", "worker_template_errors", "worker_vms", "worker_queued_events",
                        "worker_restarts", "key_expiry_lateness_seconds", "plugin_calls", "rate_limit_hits");
    }
}
