package io.templateworker.worker.process;

import io.templateworker.mesophyll.server.MesophyllServerConfig;
import java.time.Duration;

/**
 * Process-pool settings. {@code respawnBackoff × min(failures, backoffCap)} is the wait after a failed start
 * (upstream: 3 s × min(failures, 5)); after {@code maxFailures} consecutive failures the worker gives up and
 * its calls fail (upstream aborted the master). A child counts as failed when it could not be started or
 * exited before connecting. {@code maxQueued} events per worker wait while its child is down; {@code maxInFlight}
 * calls per worker may be sent to its child and not yet answered, beyond which new ones are refused (the child is
 * behind; without a cap its socket's send queue grows with the event rate until the master's heap is full). With
 * {@code standby}, each worker keeps a second, warmed-up child waiting, which takes over in milliseconds when
 * the active one dies (at the cost of one idle JVM per worker).
 */
public record ProcessPoolConfig(int workers, MesophyllServerConfig mesophyll, Duration respawnBackoff, int backoffCap,
    int maxFailures, int maxQueued, int maxInFlight, boolean standby) {

  public ProcessPoolConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("process_workers must be at least 1, got " + workers);
    }
    if (respawnBackoff.isNegative()) {
      throw new IllegalArgumentException("respawn backoff must not be negative, got " + respawnBackoff);
    }
    if (backoffCap < 1 || maxFailures < 1 || maxQueued < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("backoff cap, max failures, max queued and max in flight must be at least 1,"
          + " got " + backoffCap + ", " + maxFailures + ", " + maxQueued + ", " + maxInFlight);
    }
  }

  /**
   * Worker processes when the operator names none ({@code --process-workers}): one per two cores, at least one. A
   * child already runs its tenants' lanes on every core, so another child adds isolation and a Mesophyll connection,
   * not CPU, while costing a JVM, its warm standby and cross-process wake-ups; and the master, which every event
   * crosses, needs CPU of its own. On a 2-core machine one child instead of two cut the CPU per event 12–20 % at
   * every rate from 10 000 to 100 000 events/s and the p99 at 10 000 events/s from 0.17–0.61 ms to 0.11–0.12 ms ({@code bin/bench dispatch --workers 1|2}).
   */
  public static int defaultWorkers(int cores) {
    return Math.max(1, cores / 2);
  }

  public static ProcessPoolConfig defaults(int workers) {
    return new ProcessPoolConfig(workers, MesophyllServerConfig.DEFAULTS, Duration.ofSeconds(3), 5, 10, 10_000, 10_000, true);
  }

  public ProcessPoolConfig withMesophyll(MesophyllServerConfig m) {
    return new ProcessPoolConfig(workers, m, respawnBackoff, backoffCap, maxFailures, maxQueued, maxInFlight, standby);
  }

  public ProcessPoolConfig withRespawn(Duration backoff, int maxFailures) {
    return new ProcessPoolConfig(workers, mesophyll, backoff, backoffCap, maxFailures, maxQueued, maxInFlight, standby);
  }

  public ProcessPoolConfig withMaxQueued(int max) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, max, maxInFlight, standby);
  }

  public ProcessPoolConfig withMaxInFlight(int max) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, maxQueued, max, standby);
  }

  public ProcessPoolConfig withStandby(boolean on) {
    return new ProcessPoolConfig(workers, mesophyll, respawnBackoff, backoffCap, maxFailures, maxQueued, maxInFlight, on);
  }
}
