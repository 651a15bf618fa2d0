/**
 * Worker metrics without a metrics library: counters, gauges and histograms that the code which knows a figure
 * updates directly (dispatch, VMs, plugins, key expiry, the process pool), and that {@code app} exports on
 * {@code /metrics} in the Prometheus format. {@link io.templateworker.runtime.metrics.WorkerMetrics} is the
 * catalog of the standard ones; {@link io.templateworker.runtime.metrics.MetricRegistry} lists every metric
 * created, for the exporter.
 *
 * <p>Updates are lock-free ({@link java.util.concurrent.atomic.LongAdder}) and cheap enough for hot paths.
 * Label values must come from a small fixed set (a result, a plugin name), never a tenant id.
 */
package io.templateworker.runtime.metrics;
