package io.templateworker.luau.sandbox;

import java.util.concurrent.locks.LockSupport;

/**
 * A process-wide beat that bounds how long a running script goes without looking at the clock. One daemon
 * thread advances {@link #epoch()} every {@link #PERIOD_NANOS}; a budget whose last poll saw an older epoch
 * polls at its next tick. Without it, a loop whose body spends microseconds in a builtin (1024 iterations of
 * {@code s:upper():find(...)} on a long string) would read the clock only every few milliseconds.
 *
 * <p>Cost: one read of a volatile static per tick (a plain load on x86) and a thread waking 4000 times a second.
 */
public final class Heartbeat {
  public static final long PERIOD_NANOS = 250_000;

  private static volatile int epoch;

  static {
    Thread t = Thread.ofPlatform().daemon().name("luau-heartbeat").unstarted(Heartbeat::beat);
    t.start();
  }

  private Heartbeat() {
  }

  /** The current beat; changes every {@link #PERIOD_NANOS}. */
  public static int epoch() {
    return epoch;
  }

  private static void beat() {
    while (true) {
      LockSupport.parkNanos(PERIOD_NANOS);
      epoch++; // only this thread writes
    }
  }
}
