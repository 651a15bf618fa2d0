package io.templateworker.runtime.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing count, optionally split by one label ({@code result="ok"}). Exported as
 * {@code <name>_total}.
 */
public final class Counter extends SeriesMetric<LongAdder> implements MetricRegistry.Metric {

    private Counter(String name, String help, String labelName, String... knownValues) {
        super(name, help, labelName, LongAdder::new, LongAdder::sum, knownValues);
    }

    /** A new unlabelled counter; {@code name} without the {@code _total} suffix. */
    public static Counter create(String name, String help) {
        return MetricRegistry.register(new Counter(name, help, null));
    }

    /**
     * A new counter split by {@code labelName}. Pre-declare the expected values so they are exported as 0 before
     * the first increment (dashboards then see the series from the start).
     */
    public static Counter labelled(String name, String help, String labelName, String... knownValues) {
        return MetricRegistry.register(new Counter(name, help, labelName, knownValues));
    }

    /** Adds one (unlabelled counters). */
    public void inc() {
        of(NO_LABEL).increment();
    }

    /** Adds {@code n} (unlabelled counters); negative amounts are ignored. */
    public void add(long n) {
        add(NO_LABEL, n);
    }

    /** Adds one to the series {@code label} (a value from a small fixed set). */
    public void inc(String label) {
        of(label).increment();
    }

    /** Adds {@code n} to the series {@code label}; negative amounts are ignored. */
    public void add(String label, long n) {
        if (n > 0) {
            of(label).add(n);
        }
    }
}
