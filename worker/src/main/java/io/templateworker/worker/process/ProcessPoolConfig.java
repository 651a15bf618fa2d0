package io.templateworker.worker.process;

import io.templateworker.mesophyll.server.MesophyllServerConfig;
import java.time.Duration;

/**
 * Process-pool settings. {@code respawnBackoff × min(failures, backoffCap)} is the wait after a failed start
 * (upstream: 3 s × min(failures, 5)); after {@code maxFailures} consecutive failures the worker gives up and
 * its calls fail (upstream aborted the master). A child counts as failed when it could not be started or
 * exited before connecting. {@code maxQueued} events per worker wait while its child is down.
 */
public record ProcessPoolConfig(int workers, MesophyllServerConfig mesophyll, Duration respawnBackoff, int backoffCap,
    int maxFailures, int maxQueued) {

  public ProcessPoolConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("process_workers must be at least 1, got " + workers);
    }
    if (respawnBackoff.isNegative()) {
      throw new IllegalArgumentException("respawn backoff must not be negative, got " + respawnBackoff);
    }
    if (backoffCap < 1 || maxFailures < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("backoff cap, max failures and max queued must be at least 1, got "
          + backoffCap + ", " + maxFailures + ", " + maxQueued);
    }
  }

  public static ProcessPoolConfig defaults(int workers) {
    return new ProcessPoolConfig(workers, MesophyllServerConfig.DEFAULTS, Duration.ofSeconds(3), 5, 10, 10_000);
  }

  public ProcessPoolConfig withMesophyll(MesophyllServerConfig m) {
    return new ProcessPoolConfig(workers, m, respawnBackoff, backoffCap, maxFailures, maxQueued);
  }

  public ProcessPoolConfig withRespawn(Duration backoff, int maxFailures) {
    return new ProcessPoolConfig(workers, mesophyll, backoff, backoffCap, maxFailures, maxQueued);
  }

  public ProcessPoolConfig withMaxQueued(int max) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, max);
  }
}
