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

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double abs = Math.abs(value);
        int decimals = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
