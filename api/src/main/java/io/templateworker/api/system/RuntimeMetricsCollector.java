package io.templateworker.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.templateworker.runtime.metrics.Counter;
import io.templateworker.runtime.metrics.Gauge;
import io.templateworker.runtime.metrics.Histogram;
import io.templateworker.runtime.metrics.MetricRegistry;
import io.templateworker.runtime.metrics.WorkerMetrics;
import java.util.Map;

/**
 * Exports the runtime's metrics ({@link MetricRegistry}: worker, plugin, expiry and rate-limit figures) next to
 * Micrometer's on {@code /metrics}. Read at each scrape, so metrics created after {@link #bindTo} appear too.
 */
public final class RuntimeMetricsCollector implements MultiCollector {

    private RuntimeMetricsCollector() {
    }

    /** Registers the exporter on {@code meters}' Prometheus registry. */
    public static void bindTo(PrometheusMeterRegistry meters) {
        WorkerMetrics.init();
        meters.getPrometheusRegistry().register(new RuntimeMetricsCollector());
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (MetricRegistry.Metric metric : MetricRegistry.all()) {
            switch (metric) {
                case Counter c -> out.metricSnapshot(counter(c));
                case Gauge g -> out.metricSnapshot(gauge(g));
                case Histogram h -> out.metricSnapshot(histogram(h));
            }
        }
        return out.build();
    }

    private static CounterSnapshot counter(Counter c) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(c.name()).help(c.help());
        if (c.labelName() == null) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(c.value()).build());
        } else {
            for (Map.Entry<String, Long> e : c.series().entrySet()) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(e.getValue())
                        .labels(Labels.of(c.labelName(), e.getKey())).build());
            }
        }
        return b.build();
    }

    private static GaugeSnapshot gauge(Gauge g) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(g.name()).help(g.help());
        for (Map.Entry<String, Long> e : g.series().entrySet()) {
            GaugeSnapshot.GaugeDataPointSnapshot.Builder p = GaugeSnapshot.GaugeDataPointSnapshot.builder().value(e.getValue());
            if (g.labelName() != null) {
                p.labels(Labels.of(g.labelName(), e.getKey()));
            }
            b.dataPoint(p.build());
        }
        return b.build();
    }

    private static HistogramSnapshot histogram(Histogram h) {
        double[] bounds = h.bounds();
        long[] counts = h.bucketCounts();
        double[] withInf = new double[bounds.length + 1];
        System.arraycopy(bounds, 0, withInf, 0, bounds.length);
        withInf[bounds.length] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name(h.name()).help(h.help())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, counts))
                        .sum(h.sum()).build())
                .build();
    }
}
