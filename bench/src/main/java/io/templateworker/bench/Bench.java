package io.templateworker.bench;

/**
 * A named benchmark. Implementations live at {@code io.templateworker.bench.<name>.<Name>Bench} and have a
 * public no-argument constructor; {@code bin/bench <name> ARGS} runs them.
 */
public interface Bench {

    /**
     * Runs the benchmark and reports each figure through {@code results}.
     *
     * @param args the arguments after the benchmark name
     */
    void run(String[] args, Results results) throws Exception;
}
