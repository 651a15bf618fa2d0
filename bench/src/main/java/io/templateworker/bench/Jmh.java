package io.templateworker.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks of one class in a forked JVM and reports each method's primary score as
 * {@code <prefix>.<method>: score unit}. For use inside a {@link Bench}:
 * <pre>{@code
 * public void run(String[] args, Results results) throws Exception {
 *     Jmh.run(KvJmh.class, "kv", results, b -> b.warmupIterations(3).measurementIterations(5));
 * }
 * }</pre>
 */
public final class Jmh {

    /** Adjusts the options (iterations, threads, params) before the run. */
    @FunctionalInterface
    public interface Tuning {
        void tune(ChainedOptionsBuilder builder);
    }

    private Jmh() {
    }

    public static void run(Class<?> benchmarks, String prefix, Results results, Tuning tuning) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmarks.getName().replace("$", "\\$") + "\\.")
                .forks(1)
                .jvmArgsAppend("-Xss16m")
                .verbosity(VerboseMode.SILENT);
        tuning.tune(options);
        Collection<RunResult> runs = new Runner(options.build()).run();
        for (RunResult run : runs) {
            String method = run.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            StringBuilder name = new StringBuilder(prefix).append('.').append(method);
            for (String key : run.getParams().getParamsKeys()) {
                name.append('.').append(key).append('=').append(run.getParams().getParam(key));
            }
            results.report(name.toString(), run.getPrimaryResult().getScore(), run.getPrimaryResult().getScoreUnit());
        }
    }
}
