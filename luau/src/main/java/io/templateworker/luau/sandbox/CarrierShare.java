package io.templateworker.luau.sandbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps CPU-bound scripts to fewer threads than there are cores, so short work always finds a free one.
 *
 * <p>Scripts run on virtual threads, which the JVM never preempts: three scripts spinning to their time limit
 * hold both carriers of a 2-core machine and every other tenant waits seconds. With a share, a VM that has run
 * for a whole {@linkplain #quantumNanos() quantum} without returning or waiting on the host needs one of
 * {@linkplain #permits() the share's permits} to go on, and after each further quantum hands it to the next VM
 * waiting (first come, first served). Waiting parks the virtual thread (freeing its carrier) and stops the
 * script's time-slice clock. Work shorter than one quantum never touches the share.
 */
public final class CarrierShare {
  private static volatile CarrierShare shared;

  private final Semaphore permits;
  private final int count;
  private final long quantumNanos;

  /**
   * @param permits how many VMs may run past their first quantum at once (at least 1)
   * @param quantumNanos how long a VM runs before it needs, or passes on, a permit
   */
  public CarrierShare(int permits, long quantumNanos) {
    if (permits < 1 || quantumNanos <= 0) {
      throw new IllegalArgumentException("a carrier share needs at least 1 permit and a positive quantum, got "
          + permits + " and " + quantumNanos + " ns");
    }
    this.permits = new Semaphore(permits, true);
    this.count = permits;
    this.quantumNanos = quantumNanos;
  }

  /**
   * This JVM's share: one permit fewer than the cores (at least one), a 2 ms quantum; null (no sharing) in a JVM
   * started with {@code -Dluau.carrier_share=off} ({@code bin/bench fairness} compares both).
   */
  public static CarrierShare shared() {
    if ("off".equals(System.getProperty("luau.carrier_share"))) {
      return null;
    }
    CarrierShare s = shared;
    if (s == null) {
      synchronized (CarrierShare.class) {
        s = shared;
        if (s == null) {
          s = new CarrierShare(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 2_000_000L);
          shared = s;
        }
      }
    }
    return s;
  }

  public int permits() {
    return count;
  }

  public long quantumNanos() {
    return quantumNanos;
  }

  /** Permits free right now. */
  public int available() {
    return permits.availablePermits();
  }

  /** VMs waiting for a permit right now. */
  public int waiting() {
    return permits.getQueueLength();
  }

  /** Waits for a permit; gives up (false) as soon as {@code budget} is asked to stop. */
  boolean acquire(ExecutionBudget budget) {
    boolean interrupted = false;
    try {
      while (true) {
        if (budget.interruptRequested()) {
          return false;
        }
        try {
          if (permits.tryAcquire(5, TimeUnit.MILLISECONDS)) {
            return true;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void release() {
    permits.release();
  }
}
