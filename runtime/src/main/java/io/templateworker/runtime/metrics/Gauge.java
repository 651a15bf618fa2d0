package io.templateworker.runtime.metrics;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A value that goes up and down (live VMs, queued events), optionally split by one label. Either the owner
 * moves it with {@link #add} (+1 on create, -1 on close), or registers a supplier with {@link #track} that is
 * read at each scrape; the exported value of a series is the sum of both.
 */
public final class Gauge extends SeriesMetric<Gauge.Series> implements MetricRegistry.Metric {

    static final class Series {
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

    private Gauge(String name, String help, String labelName, String... knownValues) {
        super(name, help, labelName, Series::new, Series::value, knownValues);
    }

    public static Gauge create(String name, String help) {
        return MetricRegistry.register(new Gauge(name, help, null));
    }

    public static Gauge labelled(String name, String help, String labelName, String... knownValues) {
        return MetricRegistry.register(new Gauge(name, help, labelName, knownValues));
    }

    /** Moves the unlabelled value by {@code delta}. */
    public void add(long delta) {
        add(NO_LABEL, delta);
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
}
