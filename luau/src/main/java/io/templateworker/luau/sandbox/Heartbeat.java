package io.templateworker.luau.sandbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A process-wide beat that bounds how long a running script goes without looking at the clock. One daemon
 * thread advances {@link #epoch()}; a budget whose last poll saw an older epoch polls at its next tick. Without it,
 * a loop whose body spends microseconds in a builtin (1024 iterations of {@code s:upper():find(...)} on a long
 * string) would read the clock only every few milliseconds.
 *
 * <p>It beats at two speeds. Most scripts end within microseconds, long before any beat could matter, so while
 * scripts run but none has run for long the beat is slow ({@link #SLOW_PERIOD_NANOS}): enough for a script busy in
 * builtins to poll within a few milliseconds of its start. A budget that polls and finds its script has run
 * {@link #LONG_RUN_NANOS} or longer asks for the fast beat ({@link #PERIOD_NANOS}) until the script ends or waits
 * on the host, so a long run sees its deadline and the turns of its {@link CarrierShare} as promptly as before. A
 * busy worker thus wakes this thread a few hundred times a second, not four thousand: on a 2-core machine each
 * wake-up takes a core from the events in flight.
 *
 * <p>The thread beats only while some script runs with a deadline ({@link #acquire()} / {@link #release()}),
 * and for {@link #LINGER_NANOS} after the last one ended, so an idle process (or a script without a time
 * limit) pays nothing. The linger spares a busy worker, whose scripts start and end thousands of times a second, a
 * wake-up of the thread at almost every start. {@link #nudge()} advances the epoch at once, so an interrupt from
 * another thread is seen at the next tick.
 *
 * <p>Cost while beating: one read of a volatile static per tick (a plain load on x86) and the thread's wake-ups.
 */
public final class Heartbeat {
  /** The fast beat: while some script has run {@link #LONG_RUN_NANOS} or longer. */
  public static final long PERIOD_NANOS = 250_000;
  /** The slow beat: while scripts run, none of them for long yet. */
  public static final long SLOW_PERIOD_NANOS = 2_000_000;
  /** How long a script runs (without waiting on the host) before its budget asks for the fast beat. */
  public static final long LONG_RUN_NANOS = 1_000_000;
  /** How long the thread goes on beating after the last user ended before it parks until the next one. */
  static final long LINGER_NANOS = 10_000_000;

  private static volatile int epoch;
  private static final VarHandle EPOCH;
  /**
   * Budgets running with a deadline now. Every script start and end counts here, on every core at once: a single
   * shared counter bounced its cache line between the cores at each event (6 % of a 10 000-tenant run's samples);
   * an adder's cells are per thread, and only the beat thread sums them.
   */
  private static final LongAdder USERS = new LongAdder();
  /** Budgets whose script has run for long (rare: a plain counter). */
  private static final AtomicInteger LONG_RUNS = new AtomicInteger();
  /** Set by the thread before it parks for want of users: only then must {@link #acquire()} wake it. */
  private static volatile boolean sleeping;
  /** Set by the thread before a slow beat: only then must {@link #longRunBegins()} wake it. */
  private static volatile boolean beatingSlowly;
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

  /** The current beat; changes at least every {@link #SLOW_PERIOD_NANOS} while some script runs with a deadline. */
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

  /** A script holding an {@link #acquire()} has run for long: the fast beat is needed until {@link #longRunEnds()}. */
  static void longRunBegins() {
    // After the count (a full fence), as in acquire(): a slow beat under way is cut short.
    if (LONG_RUNS.getAndIncrement() == 0 && beatingSlowly) {
      LockSupport.unpark(THREAD);
    }
  }

  /** Ends a {@link #longRunBegins()}. */
  static void longRunEnds() {
    LONG_RUNS.decrementAndGet();
  }

  /** Advances the epoch now: every running budget polls (clock and interrupt flag) at its next tick. */
  public static void nudge() {
    EPOCH.getAndAdd(1);
  }

  private static void beat() {
    long idleNanos = 0;
    while (true) {
      if (USERS.sum() == 0 && LONG_RUNS.get() == 0) {
        if (idleNanos >= LINGER_NANOS) {
          sleeping = true;
          // Checked again after the flag is up: an acquire() before this sees no sleeper, one after it unparks.
          if (USERS.sum() == 0) {
            LockSupport.park(); // a spurious return just looks again
          }
          sleeping = false;
          idleNanos = 0;
          continue;
        }
      } else {
        idleNanos = 0;
      }
      long period;
      if (LONG_RUNS.get() > 0) {
        period = PERIOD_NANOS;
        LockSupport.parkNanos(period);
      } else {
        period = SLOW_PERIOD_NANOS;
        beatingSlowly = true;
        // Checked again after the flag is up, as for sleeping; an unpark just ends this beat early.
        if (LONG_RUNS.get() == 0) {
          LockSupport.parkNanos(period);
        }
        beatingSlowly = false;
      }
      idleNanos += period;
      EPOCH.getAndAdd(1);
    }
  }
}
