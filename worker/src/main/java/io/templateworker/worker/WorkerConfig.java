package io.templateworker.worker;

import java.time.Duration;

/**
 * Per-worker limits. {@code fanOutTimeout}: how long one event waits for all its templates (upstream 5 s);
 * {@code idleTimeout}: a VM unused this long is closed; {@code maxVms}: live VMs per worker, the least
 * recently used is closed beyond it; {@code maxQueuedPerTenant}: events waiting for one tenant before new
 * ones are refused (upstream's queues were unbounded, gap 23).
 */
public record WorkerConfig(Duration fanOutTimeout, Duration idleTimeout, int maxVms, int maxQueuedPerTenant) {

  public static final WorkerConfig DEFAULTS = new WorkerConfig(Duration.ofSeconds(5), Duration.ofMinutes(10), 10_000, 10_000);

  public WorkerConfig {
    requirePositive(fanOutTimeout, "worker.fan_out_timeout");
    requirePositive(idleTimeout, "worker.vm_idle_timeout");
    if (maxVms < 1) {
      throw new IllegalArgumentException("worker.max_vms must be at least 1, got " + maxVms);
    }
    if (maxQueuedPerTenant < 1) {
      throw new IllegalArgumentException("worker.max_queued_per_tenant must be at least 1, got " + maxQueuedPerTenant);
    }
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }

  public WorkerConfig withIdleTimeout(Duration idle) {
    return new WorkerConfig(fanOutTimeout, idle, maxVms, maxQueuedPerTenant);
  }

  public WorkerConfig withMaxVms(int max) {
    return new WorkerConfig(fanOutTimeout, idleTimeout, max, maxQueuedPerTenant);
  }

  public WorkerConfig withFanOutTimeout(Duration timeout) {
    return new WorkerConfig(timeout, idleTimeout, maxVms, maxQueuedPerTenant);
  }
}
