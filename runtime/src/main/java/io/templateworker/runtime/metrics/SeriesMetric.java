package io.templateworker.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What {@link Counter} and {@link Gauge} share: a name, a help text, at most one label, and one series per label
 * value ({@link #NO_LABEL} for an unlabelled metric), created on first use or pre-declared so it is exported as 0
 * from the start.
 *
 * @param <S> one series' state (a counter's adder, a gauge's moved value and suppliers)
 */
abstract sealed class SeriesMetric<S> permits Counter, Gauge {

    /** The series key of an unlabelled metric. */
    static final String NO_LABEL = "";

    private final String name;
    private final String help;
    private final String labelName;
    private final ConcurrentHashMap<String, S> series = new ConcurrentHashMap<>();
    private final Supplier<S> newSeries;
    private final ToLongFunction<S> read;

    SeriesMetric(String name, String help, String labelName, Supplier<S> newSeries, ToLongFunction<S> read,
            String... knownValues) {
        this.name = name;
        this.help = help;
        this.labelName = labelName;
        this.newSeries = newSeries;
        this.read = read;
        if (labelName == null) {
            series.put(NO_LABEL, newSeries.get());
        }
        for (String v : knownValues) {
            series.put(v, newSeries.get());
        }
    }

    /** The series {@code label}, created on first use (a get first: no lock on the hot path). */
    final S of(String label) {
        S s = series.get(label);
        return s != null ? s : series.computeIfAbsent(label, k -> newSeries.get());
    }

    /** The value of one series (0 if it never moved). */
    public long value(String label) {
        S s = series.get(label);
        return s == null ? 0 : read.applyAsLong(s);
    }

    /** The unlabelled value. */
    public long value() {
        return value(NO_LABEL);
    }

    /** Every series by label value, sorted ({@code ""} for the unlabelled one). */
    public Map<String, Long> series() {
        Map<String, Long> out = new TreeMap<>();
        series.forEach((k, v) -> out.put(k, read.applyAsLong(v)));
        return out;
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    /** The one label's name, or null for an unlabelled metric. */
    public String labelName() {
        return labelName;
    }
}
