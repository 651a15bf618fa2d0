package io.templateworker.worker.thread;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one worker's ready {@link TenantLane}s on a few virtual threads ("runners") that take lane after lane from
 * a shared queue, instead of starting a virtual thread per lane wake-up: with 10 000 tenants nearly every event
 * wakes a different lane, and a thread start, its scheduling and its end cost more than the event itself.
 *
 * <p>At most {@code slots} runners serve the queue at once. A job that waits (on the host, or for its handlers'
 * results) must not hold up the other tenants, so it gives its runner's slot back while it waits ({@link
 * Runner#waitBegins()}) and takes a free one again after; when none is free it finishes the job without one and
 * its runner then ends. A job that runs long without saying so (a template at its time slice, a host call that
 * blocks) is caught by a check instead: a runner whose current job has run {@value #STUCK_MICROS} µs while lanes
 * wait loses its slot to a fresh runner. The check runs on the worker's timer only while lanes wait and every
 * slot is taken.
 */
final class LaneRunners {
  /** How long one job may hold a runner's slot while other lanes wait. */
  static final long STUCK_MICROS = 1_000;

  private final ConcurrentLinkedQueue<TenantLane> ready = new ConcurrentLinkedQueue<>();
  private final AtomicReferenceArray<Runner> slots;
  private final ThreadFactory threads;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean watching = new AtomicBoolean();
  /** Slots the stuck check took from runners (a job that waited without saying so, or ran long). */
  private final AtomicLong stuckHandoffs = new AtomicLong();

  /**
   * @param slots how many runners serve the queue at once (the cores: more would only take turns on the carriers)
   * @param timer runs the stuck-job check
   */
  LaneRunners(int slots, ThreadFactory threads, ScheduledExecutorService timer) {
    this.slots = new AtomicReferenceArray<>(Math.max(1, slots));
    this.threads = threads;
    this.timer = timer;
  }

  /** How many slots the stuck check has taken from runners so far. */
  long stuckHandoffs() {
    return stuckHandoffs.get();
  }

  /** Queues a lane that has jobs and no runner; starts a runner when a slot is free. */
  void schedule(TenantLane lane) {
    ready.add(lane);
    if (!startRunnerInFreeSlot()) {
      watch();
    }
  }

  private boolean startRunnerInFreeSlot() {
    Runner runner = null;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null) {
        if (runner == null) {
          runner = new Runner();
        }
        if (takeSlot(runner, i)) {
          threads.newThread(runner).start();
          return true;
        }
      }
    }
    return false;
  }

  private boolean takeSlot(Runner runner, int index) {
    if (slots.compareAndSet(index, null, runner)) {
      runner.slot = index;
      return true;
    }
    return false;
  }

  /** Arms the stuck-job check unless it is armed already. */
  private void watch() {
    if (watching.compareAndSet(false, true)) {
      try {
        timer.schedule(this::checkStuck, STUCK_MICROS, TimeUnit.MICROSECONDS);
      } catch (RejectedExecutionException stopping) {
        watching.set(false); // the pool is shutting down
      }
    }
  }

  /** On the timer: frees the slots of runners stuck in one job, so that waiting lanes get runners of their own. */
  private void checkStuck() {
    watching.set(false);
    if (ready.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (int i = 0; i < slots.length(); i++) {
      Runner runner = slots.get(i);
      long started = runner == null ? 0 : runner.jobStartedAt;
      if (started != 0 && now - started >= TimeUnit.MICROSECONDS.toNanos(STUCK_MICROS)
          && slots.compareAndSet(i, runner, null)) {
        stuckHandoffs.incrementAndGet();
        startRunnerInFreeSlot();
      }
    }
    if (!ready.isEmpty()) {
      watch();
    }
  }

  /** One virtual thread taking ready lanes while it holds a slot. */
  final class Runner implements Runnable {
    /** Its index in {@link #slots} while it holds one. */
    private int slot;
    /** When the current job started; 0 between jobs. Read by the stuck check. */
    private volatile long jobStartedAt;

    void jobStarted() {
      jobStartedAt = System.nanoTime();
    }

    void jobEnded() {
      jobStartedAt = 0;
    }

    /** When the current job started ({@link System#nanoTime()}). Runner's thread, during a job. */
    long jobStartedAt() {
      return jobStartedAt;
    }

    /**
     * The current job is about to wait: frees this runner's slot, so that a waiting lane gets a runner at once
     * rather than after the stuck check. Runner's thread.
     */
    void waitBegins() {
      if (slots.compareAndSet(slot, this, null) && !ready.isEmpty()) {
        startRunnerInFreeSlot(); // schedule() queued before it looked for a slot: one of the two sees the other
      }
    }

    /** The wait ended: takes a free slot if there is one; without one the job finishes and the runner ends. */
    void waitEnded() {
      if (!holdsSlot()) {
        takeAnyFreeSlot();
      }
    }

    /** False once the stuck check or a wait gave this runner's slot to another. */
    boolean holdsSlot() {
      return slots.get(slot) == this;
    }

    @Override
    public void run() {
      while (true) {
        TenantLane lane = ready.poll();
        if (lane == null) {
          if (!slots.compareAndSet(slot, this, null)) {
            return; // the stuck check took the slot and started another runner
          }
          // A lane queued after the poll may have found every slot taken: serve it if a slot is still free.
          if (ready.isEmpty() || !takeAnyFreeSlot()) {
            return;
          }
          continue;
        }
        boolean more = lane.runBatch(this);
        if (!holdsSlot()) {
          if (more) {
            schedule(lane);
          }
          return;
        }
        if (more) {
          ready.add(lane); // behind the lanes that waited meanwhile
        }
      }
    }

    private boolean takeAnyFreeSlot() {
      for (int i = 0; i < slots.length(); i++) {
        if (takeSlot(this, i)) {
          return true;
        }
      }
      return false;
    }
  }
}
