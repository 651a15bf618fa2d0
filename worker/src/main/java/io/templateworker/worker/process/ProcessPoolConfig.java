package io.templateworker.worker.process;

import io.templateworker.mesophyll.server.MesophyllServerConfig;
import java.time.Duration;

/**
 * Process-pool settings. {@code respawnBackoff × min(failures, backoffCap)} is the wait after a failed start
 * (upstream: 3 s × min(failures, 5)); after {@code maxFailures} consecutive failures the worker gives up and
 * its calls fail (upstream aborted the master). A child counts as failed when it could not be started or
 * exited before connecting. {@code maxQueued} events per worker wait while its child is down. With
 * {@code standby}, each worker keeps a second, warmed-up child waiting, which takes over in milliseconds when
 * the active one dies (at the cost of one idle JVM per worker).
 */
public record ProcessPoolConfig(int workers, MesophyllServerConfig mesophyll, Duration respawnBackoff, int backoffCap,
    int maxFailures, int maxQueued, boolean standby) {

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
    return new ProcessPoolConfig(workers, MesophyllServerConfig.DEFAULTS, Duration.ofSeconds(3), 5, 10, 10_000, true);
  }

  public ProcessPoolConfig withMesophyll(MesophyllServerConfig m) {
    return new ProcessPoolConfig(workers, m, respawnBackoff, backoffCap, maxFailures, maxQueued, standby);
  }

  public ProcessPoolConfig withRespawn(Duration backoff, int maxFailures) {
    return new ProcessPoolConfig(workers, mesophyll, backoff, backoffCap, maxFailures, maxQueued, standby);
  }

  public ProcessPoolConfig withMaxQueued(int max) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, max, standby);
  }

  public ProcessPoolConfig withStandby(boolean on) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, maxQueued, on);
  }
}
