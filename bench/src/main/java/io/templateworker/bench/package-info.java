/**
 * The benchmark launcher. {@code bin/bench NAME [ARGS]} runs {@link io.templateworker.bench.BenchMain}, which
 * finds {@code io.templateworker.bench.<name>.<Name>Bench} by reflection, so a benchmark is added by adding
 * that class; results are printed as {@code name: value unit} lines.
 */
package io.templateworker.bench;
