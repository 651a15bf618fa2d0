package io.templateworker.luau.sandbox;

import io.templateworker.luau.errors.LimitExceeded;

/**
 * The CPU time slice and the host interrupt of one VM, checked at loop back-edges and calls ("ticks").
 *
 * <p>A tick is a decrement of a plain counter plus a look at the {@link Heartbeat} epoch; the slow path reads
 * the clock and the volatile interrupt flag every {@link #CHECK_INTERVAL} ticks or when a new heartbeat
 * arrived, whichever is first. The heartbeat is slow (2 ms) until a script has run for 1 ms, then fast (250 µs):
 * so a deadline fires within about 250 µs plus one loop iteration even when each iteration spends long in
 * builtins, once the script has run a few milliseconds. Builtins that can run long without ticking (pattern
 * matching, sort, rep) call the check in their own loops.
 *
 * <p>Lifecycle: the host {@link #enter()}s before calling into the VM (arming the deadline at the outermost
 * entry) and {@link #exit()}s after. Waiting on the host ({@link #pauseForHost()} / {@link #resumeAfterHost()})
 * stops the clock. Once the deadline has passed or an interrupt was requested, every later check fails again
 * until the next outermost entry: a script that catches the error with pcall gains nothing.
 *
 * <p>Confined to the VM's thread of control, except {@link #interrupt()}, which any thread may call.
 */
public final class ExecutionBudget {
  /** Ticks between two reads of the clock; a power of two keeps the countdown cheap. */
  public static final int CHECK_INTERVAL = 1024;

  private Clock clock;
  private int countdown = CHECK_INTERVAL;
  /** The {@link Heartbeat} epoch of the last poll: a newer one means a beat (250 µs or 2 ms) passed, poll now. */
  private int seenEpoch;
  private volatile boolean interruptRequested;
  private long sliceNanos;
  private long deadline;
  private boolean armed;
  private int depth;
  private int pauses;
  private long remainingWhilePaused;
  private long lastOvershoot = -1;
  private long giveNanos;
  /** Null: this VM runs as long as it likes on its thread (the engine's default). */
  private CarrierShare share;
  /** Whether this VM holds a permit of {@link #share}; when its current turn began. */
  private boolean holdingShare;
  private long turnStart;
  /** Whether this budget holds the {@link Heartbeat}: while it runs with a deadline or takes turns (a share). */
  private boolean beating;
  /** When the script began running (the entry, or its return from waiting on the host), on {@link #clock}. */
  private long runStart;
  /** Whether this budget holds the heartbeat's fast beat: its script has run {@link Heartbeat#LONG_RUN_NANOS}. */
  private boolean runningLong;
  /** Told when the script starts and stops waiting for the host; null = nobody. */
  private HostWaitListener hostWaits;
  /** What is left of {@link #MAX_COMPILE_CREDIT_NANOS} in the current outermost entry. */
  private long compileCreditLeft;

  /**
   * Most wall time per outermost entry that waiting for the JIT compiler is given back to the slice (see
   * {@link #creditCompileWait}): a few functions compiled while the shared compiler is busy cost the script
   * nothing, but a script that makes new functions in a loop ({@code loadstring}) cannot hide unbounded
   * compiler work from its time limit.
   */
  public static final long MAX_COMPILE_CREDIT_NANOS = 250_000_000L;

  public ExecutionBudget(Clock clock, long sliceNanos) {
    this.clock = clock;
    this.sliceNanos = sliceNanos;
  }

  /** The time source (tests use a fake one); set before the first entry. */
  public void setClock(Clock clock) {
    this.clock = clock;
  }

  /** The slice for later entries (0 = unlimited). */
  public void setSlice(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("time slice must be >= 0, got " + nanos);
    }
    this.sliceNanos = nanos;
  }

  public long sliceNanos() {
    return sliceNanos;
  }

  /**
   * Upstream's "give time" (0 = none): a task the scheduler resumes gets at least this much of the running
   * slice, so one task that used most of it does not leave the next with nothing ({@link #giveTime()}).
   */
  public void setGiveTime(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("give time must be >= 0, got " + nanos);
    }
    this.giveNanos = nanos;
  }

  /**
   * Makes this VM take turns with other CPU-bound VMs of the same share after each quantum of running (see
   * {@link CarrierShare}); null turns it off. Set before the first entry.
   */
  public void setCarrierShare(CarrierShare share) {
    this.share = share;
  }

  /**
   * Told when the script starts and stops waiting for the host ({@link #pauseForHost()}, outermost pause only),
   * so that its thread's owner can lend the thread's share of the CPU to other work meanwhile; null = nobody.
   */
  public interface HostWaitListener {
    /** The VM's thread is about to wait for the host. */
    void waitBegins();

    /** That wait ended; the script runs again. */
    void waitEnded();
  }

  /** Sets who is told about waits on the host (null = nobody). Set before the first entry. */
  public void setHostWaitListener(HostWaitListener listener) {
    this.hostWaits = listener;
  }

  /** Extends the running slice to at least the give time from now (called before each task resume). */
  public void giveTime() {
    if (armed && giveNanos > 0) {
      long now = clock.nanoTime();
      if (deadline - now < giveNanos) {
        deadline = now + giveNanos;
      }
    }
  }

  /** One unit of work (a loop iteration, a call). */
  public void tick() {
    if (--countdown <= 0 || Heartbeat.epoch() != seenEpoch) {
      poll();
    }
  }

  /** Checks the clock and interrupt flag now (builtins before a long operation). */
  public void poll() {
    countdown = CHECK_INTERVAL;
    seenEpoch = Heartbeat.epoch();
    if (interruptRequested) {
      countdown = 1; // a script that catches the error is stopped again at its very next tick
      throw new LimitExceeded(LimitExceeded.Kind.TIME);
    }
    if (beating) { // running with a deadline or a share
      long now = clock.nanoTime();
      if (armed) {
        long late = now - deadline;
        if (late >= 0) {
          lastOvershoot = late;
          countdown = 1;
          throw new LimitExceeded(LimitExceeded.Kind.TIME);
        }
      }
      if (!runningLong && now - runStart >= Heartbeat.LONG_RUN_NANOS) {
        runningLong = true;
        Heartbeat.longRunBegins();
      }
    }
    if (share != null && depth > 0 && pauses == 0) {
      takeTurns();
    }
  }

  /**
   * After a quantum of running: takes a permit of the share, or passes the held one on and queues for it again.
   * The wait is not the script's time: the deadline moves by it.
   */
  private void takeTurns() {
    long now = System.nanoTime();
    if (now - turnStart < share.quantumNanos()) {
      return;
    }
    if (holdingShare) {
      if (share.waiting() == 0) {
        turnStart = now; // nobody to pass it to
        return;
      }
      holdingShare = false;
      share.release();
    }
    long left = deadline - clock.nanoTime();
    boolean got = share.acquire(this);
    if (armed) {
      deadline = clock.nanoTime() + left;
    }
    turnStart = System.nanoTime();
    if (!got) { // asked to stop while waiting
      countdown = 1;
      throw new LimitExceeded(LimitExceeded.Kind.TIME);
    }
    holdingShare = true;
  }

  private void releaseShare() {
    if (holdingShare) {
      holdingShare = false;
      share.release();
    }
  }

  /** Asks the running script to stop at its next check; callable from any thread. */
  public void interrupt() {
    interruptRequested = true;
    Heartbeat.nudge();
  }

  public boolean interruptRequested() {
    return interruptRequested;
  }

  /**
   * Marks a call from the host into the VM. The outermost entry starts a fresh slice and clears a previous
   * interrupt; nested entries (host → Luau → host → Luau) share the outer slice.
   */
  public void enter() {
    if (depth++ == 0) {
      interruptRequested = false;
      countdown = CHECK_INTERVAL;
      armed = sliceNanos > 0;
      pauses = 0;
      long now = System.nanoTime();
      turnStart = now;
      compileCreditLeft = MAX_COMPILE_CREDIT_NANOS;
      // One clock read per entry on the system clock (an entry per event, and a read costs more than the rest).
      runStart = clock == Clock.SYSTEM ? now : clock.nanoTime();
      if (armed) {
        deadline = runStart + sliceNanos;
      }
      beat();
    }
  }

  /**
   * Holds the heartbeat while the running script has a deadline or takes turns with others, and only then: a
   * script without either needs no poll every 250 µs, and an idle process keeps no thread waking.
   */
  private void beat() {
    boolean on = depth > 0 && pauses == 0 && (armed || share != null);
    if (on != beating) {
      beating = on;
      if (on) {
        Heartbeat.acquire();
      } else {
        if (runningLong) {
          runningLong = false;
          Heartbeat.longRunEnds();
        }
      }
    }
  }

  /** Whether this budget holds the heartbeat's fast beat (its running script has run for long). */
  boolean holdsFastBeat() {
    return runningLong;
  }

  /** Ends the matching {@link #enter()}. */
  public void exit() {
    if (depth > 0 && --depth == 0) {
      armed = false;
      releaseShare();
      beat();
    }
  }

  public boolean isActive() {
    return depth > 0;
  }

  /** Stops the clock while the script waits for the host (I/O): that time is not the script's CPU time. */
  public void pauseForHost() {
    if (pauses++ == 0) {
      releaseShare(); // waiting on I/O is not CPU-bound work
      if (armed) {
        remainingWhilePaused = deadline - clock.nanoTime();
        armed = false;
      }
      beat();
      if (hostWaits != null) {
        hostWaits.waitBegins();
      }
    }
  }

  /** Restarts the clock after {@link #pauseForHost()} with the time that was left. */
  public void resumeAfterHost() {
    if (pauses > 0 && --pauses == 0) {
      if (hostWaits != null) {
        hostWaits.waitEnded();
      }
      if (depth > 0) {
        turnStart = System.nanoTime();
        runStart = clock.nanoTime();
        if (sliceNanos > 0) {
          deadline = runStart + remainingWhilePaused;
          armed = true;
        }
        beat();
      }
    }
  }

  /** The clock's reading before waiting for the JIT compiler; pass it to {@link #creditCompileWait}. */
  public long compileWaitStarts() {
    return clock.nanoTime();
  }

  /**
   * The script waited for the JIT compiler since {@code startedNanos}: compiling is the engine's work, not the
   * script's, so that time goes back to the slice (at most {@link #MAX_COMPILE_CREDIT_NANOS} per outermost entry).
   */
  public void creditCompileWait(long startedNanos) {
    if (!armed) {
      return;
    }
    long credit = Math.min(clock.nanoTime() - startedNanos, compileCreditLeft);
    if (credit > 0) {
      compileCreditLeft -= credit;
      deadline += credit;
    }
  }

  /** How late (nanoseconds past the deadline) the last time-limit error was detected; -1 if none yet. */
  public long lastOvershootNanos() {
    return lastOvershoot;
  }

  /** Nanoseconds left in the current slice, or Long.MAX_VALUE when no slice is running. */
  public long remainingNanos() {
    if (pauses > 0 && depth > 0 && sliceNanos > 0) {
      return remainingWhilePaused;
    }
    return armed ? deadline - clock.nanoTime() : Long.MAX_VALUE;
  }
}
