package io.templateworker.runtime.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every metric created in this process, in creation order; the exporter walks it at each scrape. Names are
 * unique: creating a second metric with a name already taken is a programming error.
 */
public final class MetricRegistry {

    private static final List<Metric> METRICS = new CopyOnWriteArrayList<>();

    private MetricRegistry() {
    }

    /** What the exporter needs of any metric. */
    public sealed interface Metric permits Counter, Gauge, Histogram {
        /** Prometheus name without suffixes the format adds ({@code _total} for counters, {@code _bucket} ...). */
        String name();

        String help();

        /** The one label's name, or null for an unlabelled metric. */
        String labelName();
    }

    static synchronized <M extends Metric> M register(M metric) {
        if (!metric.name().matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("metric name '" + metric.name() + "' is not a Prometheus name (lowercase, digits, _)");
        }
        for (Metric m : METRICS) {
            if (m.name().equals(metric.name())) {
                throw new IllegalStateException("metric " + metric.name() + " is already registered");
            }
        }
        METRICS.add(metric);
        return metric;
    }

    /** A snapshot of the registered metrics. */
    public static List<Metric> all() {
        return List.copyOf(METRICS);
    }
}
