package io.templateworker.runtime.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A distribution of observations in fixed buckets (a Prometheus classic histogram), unlabelled. */
public final class Histogram implements MetricRegistry.Metric {

    /** Bucket upper bounds in seconds, from 1 ms to 1 min: for latencies and lateness. */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final String name;
    private final String help;
    private final double[] bounds;
    /** One per bound plus the +Inf bucket; non-cumulative. */
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    private Histogram(String name, String help, double[] bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        for (int i = 1; i < this.bounds.length; i++) {
            if (!(this.bounds[i] > this.bounds[i - 1])) {
                throw new IllegalArgumentException("histogram " + name + ": bucket bounds must increase");
            }
        }
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** A new histogram with the given bucket upper bounds (increasing; +Inf is added). */
    public static Histogram create(String name, String help, double[] bounds) {
        return MetricRegistry.register(new Histogram(name, help, bounds));
    }

    public void observe(double value) {
        int i = Arrays.binarySearch(bounds, value);
        if (i < 0) {
            i = -i - 1; // first bound greater than value; bounds.length means +Inf
        }
        counts[i].increment();
        sum.add(value);
    }

    /** Upper bounds, without +Inf. */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Observations per bucket, not cumulative; the last element is the +Inf bucket. */
    public long[] bucketCounts() {
        long[] out = new long[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i].sum();
        }
        return out;
    }

    public long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    public double sum() {
        return sum.sum();
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
        return null;
    }
}
