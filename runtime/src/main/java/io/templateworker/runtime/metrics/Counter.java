package io.templateworker.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing count, optionally split by one label ({@code result="ok"}). Exported as
 * {@code <name>_total}.
 */
public final class Counter implements MetricRegistry.Metric {

    private final String name;
    private final String help;
    private final String labelName;
    private final LongAdder unlabelled = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> byLabel = new ConcurrentHashMap<>();

    private Counter(String name, String help, String labelName) {
        this.name = name;
        this.help = help;
        this.labelName = labelName;
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
        Counter c = new Counter(name, help, labelName);
        for (String v : knownValues) {
            c.byLabel.put(v, new LongAdder());
        }
        return MetricRegistry.register(c);
    }

    /** Adds one (unlabelled counters). */
    public void inc() {
        unlabelled.increment();
    }

    /** Adds {@code n} (unlabelled counters); negative amounts are ignored. */
    public void add(long n) {
        if (n > 0) {
            unlabelled.add(n);
        }
    }

    /** Adds one to the series {@code label} (a value from a small fixed set). */
    public void inc(String label) {
        LongAdder a = byLabel.get(label);
        if (a == null) {
            a = byLabel.computeIfAbsent(label, k -> new LongAdder());
        }
        a.increment();
    }

    /** Adds {@code n} to the series {@code label}; negative amounts are ignored. */
    public void add(String label, long n) {
        if (n > 0) {
            LongAdder a = byLabel.get(label);
            if (a == null) {
                a = byLabel.computeIfAbsent(label, k -> new LongAdder());
            }
            a.add(n);
        }
    }

    /** The unlabelled count. */
    public long value() {
        return unlabelled.sum();
    }

    /** The count of one series (0 if never incremented). */
    public long value(String label) {
        LongAdder a = byLabel.get(label);
        return a == null ? 0 : a.sum();
    }

    /** Every labelled series, sorted by label value. */
    public Map<String, Long> series() {
        Map<String, Long> out = new TreeMap<>();
        byLabel.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public String labelName() {
        return labelName;
    }
}
