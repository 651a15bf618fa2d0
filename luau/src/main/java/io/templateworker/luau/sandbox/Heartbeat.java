package io.templateworker.luau.sandbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A process-wide beat that bounds how long a running script goes without looking at the clock. One daemon
 * thread advances {@link #epoch()} every {@link #PERIOD_NANOS}; a budget whose last poll saw an older epoch
 * polls at its next tick. Without it, a loop whose body spends microseconds in a builtin (1024 iterations of
 * {@code s:upper():find(...)} on a long string) would read the clock only every few milliseconds.
 *
 * <p>The thread beats only while some script runs with a deadline ({@link #acquire()} / {@link #release()}),
 * and for {@link #LINGER_BEATS} beats after the last one ended, so an idle process (or a script without a time
 * limit) pays nothing: no thread waking 4000 times a second. The linger spares a busy worker, whose scripts start
 * and end thousands of times a second, a wake-up of the thread at almost every start.
 * {@link #nudge()} advances the epoch at once, so an interrupt from another thread is seen at the next tick.
 *
 * <p>Cost while beating: one read of a volatile static per tick (a plain load on x86) and the thread's wake-ups.
 */
public final class Heartbeat {
  public static final long PERIOD_NANOS = 250_000;

  private static volatile int epoch;
  private static final VarHandle EPOCH;
  /** Beats without any user before the thread parks until the next {@link #acquire()} (10 ms). */
  static final int LINGER_BEATS = 40;
  /**
   * Budgets running with a deadline now. Every script start and end counts here, on every core at once: a single
   * shared counter bounced its cache line between the cores at each event (6 % of a 10 000-tenant run's samples);
   * an adder's cells are per thread, and only the beat thread sums them.
   */
  private static final LongAdder USERS = new LongAdder();
  /** Set by the thread before it parks for want of users: only then must {@link #acquire()} wake it. */
  private static volatile boolean sleeping;
  private static final Thread THREAD;

  static {
    try {
      EPOCH = MethodHandles.lookup().findStaticVarHandle(Heartbeat.class, "epoch", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    THREAD = Thread.ofPlatform().daemon().name("luau-heartbeat").unstarted(Heartbeat::beat);
    THREAD.start();
  }

  private Heartbeat() {
  }

  /** The current beat; changes every {@link #PERIOD_NANOS} while some script runs with a deadline. */
  public static int epoch() {
    return epoch;
  }

  /** A script with a deadline starts (or resumes) running: the beat is needed. */
  public static void acquire() {
    USERS.increment();
    // After the count (a full fence): the thread raises the flag before it sums, so one of the two sees the other.
    if (sleeping) {
      LockSupport.unpark(THREAD);
    }
  }

  /** Ends an {@link #acquire()}. */
  public static void release() {
    USERS.decrement();
  }

  /** Advances the epoch now: every running budget polls (clock and interrupt flag) at its next tick. */
  public static void nudge() {
    EPOCH.getAndAdd(1);
  }

  private static void beat() {
    int idleBeats = 0;
    while (true) {
      if (USERS.sum() == 0 && ++idleBeats > LINGER_BEATS) {
        sleeping = true;
        // Checked again after the flag is up: an acquire() before this sees no sleeper, one after it unparks.
        if (USERS.sum() == 0) {
          LockSupport.park(); // a spurious return just looks again
        }
        sleeping = false;
        idleBeats = 0;
        continue;
      }
      if (USERS.sum() > 0) {
        idleBeats = 0;
      }
      LockSupport.parkNanos(PERIOD_NANOS);
      EPOCH.getAndAdd(1);
    }
  }
}
