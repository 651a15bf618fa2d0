package io.templateworker.luau.sandbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>The thread beats only while scripts with a deadline start ({@link #acquire()}) and for {@link #LINGER_NANOS}
 * after the last start, or while a long run holds the fast beat, so an idle process (or a script without a time
 * limit) pays nothing. A script still running when the linger ends has run long, so it holds the fast beat by then:
 * a run of 1 ms or more that ticks sees a beat within the slow period and asks for it. The linger also spares a busy
 * worker, whose scripts start and end thousands of times a second, a wake-up of the thread at almost every start.
 * {@link #nudge()} advances the epoch at once, so an interrupt from another thread is seen at the next tick.
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
   * Whether a script with a deadline started since the thread last looked (it clears the flag each beat). A start
   * only reads it, and writes it only when the thread has cleared it, at most once a beat: counting every start and
   * end (a LongAdder; before it a single counter) bounced a cache line between the cores twice per event (a new
   * virtual thread always starts on the adder's first cell), 10-13 % of a process-pool child's samples.
   */
  private static volatile boolean started;
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

  /** A script with a deadline starts (or resumes) running: the beat is needed for at least the linger. */
  public static void acquire() {
    if (!started) { // a plain load: the line stays shared between the cores until the thread clears the flag
      started = true;
      // After the flag (a volatile write: a full fence): the thread raises its own flag before it looks at this
      // one again, so one of the two sees the other.
      if (sleeping) {
        LockSupport.unpark(THREAD);
      }
    }
  }

  /** A script holding an {@link #acquire()} has run for long: the fast beat is needed until {@link #longRunEnds()}. */
  static void longRunBegins() {
    // After the count (a full fence), as in acquire(): a slow beat under way is cut short, and a thread that
    // parked while this run went without ticks (busy in one builtin for the whole linger) beats again.
    if (LONG_RUNS.getAndIncrement() == 0 && (beatingSlowly || sleeping)) {
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
      if (started) {
        started = false;
        idleNanos = 0;
      } else if (LONG_RUNS.get() > 0) {
        idleNanos = 0;
      } else if (idleNanos >= LINGER_NANOS) {
        sleeping = true;
        // Checked again after the flag is up: an acquire() before this sees no sleeper, one after it unparks.
        if (!started && LONG_RUNS.get() == 0) {
          LockSupport.park(); // a spurious return just looks again
        }
        sleeping = false;
        idleNanos = 0;
        continue;
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
