package io.templateworker.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A value that goes up and down (live VMs, queued events), optionally split by one label. Either the owner
 * moves it with {@link #add} (+1 on create, -1 on close), or registers a supplier with {@link #track} that is
 * read at each scrape; the exported value of a series is the sum of both.
 */
public final class Gauge implements MetricRegistry.Metric {

    private final String name;
    private final String help;
    private final String labelName;
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();

    private static final String NO_LABEL = "";

    private static final class Series {
        final LongAdder moved = new LongAdder();
        final CopyOnWriteArrayList<LongSupplier> tracked = new CopyOnWriteArrayList<>();

        long value() {
            long v = moved.sum();
            for (LongSupplier s : tracked) {
                v += s.getAsLong();
            }
            return v;
        }
    }

    private Gauge(String name, String help, String labelName) {
        this.name = name;
        this.help = help;
        this.labelName = labelName;
    }

    public static Gauge create(String name, String help) {
        Gauge g = new Gauge(name, help, null);
        g.series.put(NO_LABEL, new Series());
        return MetricRegistry.register(g);
    }

    public static Gauge labelled(String name, String help, String labelName, String... knownValues) {
        Gauge g = new Gauge(name, help, labelName);
        for (String v : knownValues) {
            g.series.put(v, new Series());
        }
        return MetricRegistry.register(g);
    }

    private Series of(String label) {
        Series s = series.get(label);
        return s != null ? s : series.computeIfAbsent(label, k -> new Series());
    }

    /** Moves the unlabelled value by {@code delta}. */
    public void add(long delta) {
        of(NO_LABEL).moved.add(delta);
    }

    /** Moves the series {@code label} by {@code delta}. */
    public void add(String label, long delta) {
        of(label).moved.add(delta);
    }

    /**
     * Adds {@code supplier}'s value to the unlabelled series at every scrape until the returned handle is
     * closed (close it when the owner stops, e.g. a pool that is killed).
     */
    public Tracking track(LongSupplier supplier) {
        return track(NO_LABEL, supplier);
    }

    /** Like {@link #track(LongSupplier)} for the series {@code label}. */
    public Tracking track(String label, LongSupplier supplier) {
        Series s = of(label);
        s.tracked.add(supplier);
        return () -> s.tracked.remove(supplier);
    }

    /** A registered supplier; {@link #close()} stops adding it (and throws nothing). */
    public interface Tracking extends AutoCloseable {
        @Override
        void close();
    }

    /** The unlabelled value. */
    public long value() {
        return value(NO_LABEL);
    }

    public long value(String label) {
        Series s = series.get(label);
        return s == null ? 0 : s.value();
    }

    /** Every series by label value ({@code ""} for the unlabelled one). */
    public Map<String, Long> series() {
        Map<String, Long> out = new TreeMap<>();
        series.forEach((k, v) -> out.put(k, v.value()));
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
