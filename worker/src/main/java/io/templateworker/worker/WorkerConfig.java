package io.templateworker.worker;

import java.time.Duration;

/**
 * Per-worker limits. {@code fanOutTimeout}: how long one event waits for all its templates
 * ({@code limits.template_wait_ms}, upstream 5 s); {@code templateTimeLimit}: a template's handler still
 * running this long after its event began is stopped and reported (upstream let it run forever, gap 22; we use
 * {@code limits.execution_slice_ms}); {@code idleTimeout}: a VM unused this long is closed; {@code maxVms}: live
 * VMs per worker, the least recently used is closed beyond it; {@code maxQueuedPerTenant}: events waiting for
 * one tenant before new ones are refused (upstream's queues were unbounded, gap 23).
 */
public record WorkerConfig(Duration fanOutTimeout, Duration idleTimeout, int maxVms, int maxQueuedPerTenant,
    Duration templateTimeLimit) {

  public static final WorkerConfig DEFAULTS = new WorkerConfig(Duration.ofSeconds(5), Duration.ofMinutes(10), 10_000,
      10_000, Duration.ofSeconds(10));

  public WorkerConfig {
    requirePositive(fanOutTimeout, "worker.fan_out_timeout");
    requirePositive(idleTimeout, "worker.vm_idle_timeout");
    requirePositive(templateTimeLimit, "worker.template_time_limit");
    if (maxVms < 1) {
      throw new IllegalArgumentException("worker.max_vms must be at least 1, got " + maxVms);
    }
    if (maxQueuedPerTenant < 1) {
      throw new IllegalArgumentException("worker.max_queued_per_tenant must be at least 1, got " + maxQueuedPerTenant);
    }
  }

  /** With the default template time limit (10 s). */
  public WorkerConfig(Duration fanOutTimeout, Duration idleTimeout, int maxVms, int maxQueuedPerTenant) {
    this(fanOutTimeout, idleTimeout, maxVms, maxQueuedPerTenant, Duration.ofSeconds(10));
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }

  public WorkerConfig withIdleTimeout(Duration idle) {
    return new WorkerConfig(fanOutTimeout, idle, maxVms, maxQueuedPerTenant, templateTimeLimit);
  }

  public WorkerConfig withMaxVms(int max) {
    return new WorkerConfig(fanOutTimeout, idleTimeout, max, maxQueuedPerTenant, templateTimeLimit);
  }

  public WorkerConfig withFanOutTimeout(Duration timeout) {
    return new WorkerConfig(timeout, idleTimeout, maxVms, maxQueuedPerTenant, templateTimeLimit);
  }

  public WorkerConfig withTemplateTimeLimit(Duration limit) {
    return new WorkerConfig(fanOutTimeout, idleTimeout, maxVms, maxQueuedPerTenant, limit);
  }
}
