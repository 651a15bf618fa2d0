package io.templateworker.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints results as {@code name: value unit}, one per line, the format README and CI scripts read. */
public final class Results {

    private final PrintStream out;

    public Results(PrintStream out) {
        this.out = out;
    }

    /**
     * @param name  dotted, e.g. {@code kv.get.p50}
     * @param value the measured value
     * @param unit  e.g. {@code ms}, {@code ops/s}, {@code MiB}
     */
    public void report(String name, double value, String unit) {
        out.println(name + ": " + format(value) + " " + unit);
        out.flush();
    }

    /** A figure that is text, e.g. {@code expiry.postgres: fsync=on synchronous_commit=on}. */
    public void text(String name, String value) {
        out.println(name + ": " + value);
        out.flush();
    }

    /**
     * The one-minute load average and the collector in use, printed beside a run's figures: on a machine shared with
     * other work, wall-clock figures measure its scheduler as much as the code.
     */
    public void environment(String prefix) {
        report(prefix + ".load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
        StringBuilder gcs = new StringBuilder();
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.append(gcs.isEmpty() ? "" : ", ").append(gc.getName());
        }
        text(prefix + ".gc", gcs.toString());
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double abs = Math.abs(value);
        int decimals = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
