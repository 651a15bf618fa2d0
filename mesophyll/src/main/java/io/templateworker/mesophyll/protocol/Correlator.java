package io.templateworker.mesophyll.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches replies to requests by request id on one connection, with a timeout per request (upstream
 * waited forever). When the connection ends, {@link #failAll} fails every caller still waiting.
 *
 * <p>Timeouts are found by a sweep over the waiting requests every {@value #SWEEP_MILLIS} ms at most (sooner for
 * shorter timeouts), scheduled while any wait, not by a timer task per request: at tens of thousands of requests a
 * second, a scheduled task each (cancelled tasks stay queued until their time) kept about a million dead tasks, and
 * the replies they referenced, on the timer's heap.
 *
 * @param <R> the reply type
 */
public final class Correlator<R> {
  private final ConcurrentHashMap<Long, Pending<R>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ScheduledExecutorService timer;
  private final String peer;
  private static final long SWEEP_MILLIS = 100;
  /** True while a sweep is scheduled (it reschedules itself while requests wait). */
  private final AtomicBoolean sweeping = new AtomicBoolean();
  /** How often the sweep runs: a quarter of the shortest timeout registered, at most {@value #SWEEP_MILLIS} ms. */
  private volatile long sweepMillis = SWEEP_MILLIS;

  /**
   * @param timer schedules the timeouts
   * @param peer names the other side in error messages, e.g. "worker 3"
   */
  public Correlator(ScheduledExecutorService timer, String peer) {
    this.timer = timer;
    this.peer = peer;
  }

  public long nextRequestId() {
    return nextId.getAndIncrement();
  }

  /** Registers a waiter for {@code reqId}; it fails with a {@link MesophyllException} after the timeout. */
  public CompletableFuture<R> register(long reqId, long timeoutMillis, String what) {
    Pending<R> entry = new Pending<>(reqId, what, timeoutMillis);
    long every = Math.max(1, Math.min(SWEEP_MILLIS, timeoutMillis / 4));
    if (every < sweepMillis) {
      sweepMillis = every;
    }
    pending.put(reqId, entry);
    scheduleSweep();
    return entry.future;
  }

  private void scheduleSweep() {
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      try {
        timer.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        sweeping.set(false); // the timer is shut down: the owner is closing and fails what waits
      }
    }
  }

  /** Fails the requests whose time is up; runs again while any wait. */
  private void sweep() {
    long now = System.nanoTime();
    for (Pending<R> entry : pending.values()) {
      if (now - entry.deadlineNanos >= 0 && pending.remove(entry.reqId, entry)) {
        entry.future.completeExceptionally(new MesophyllException(entry.what + " to " + peer + " got no reply within "
            + entry.timeoutMillis + " ms; the worker may be overloaded or hung"));
      }
    }
    sweeping.set(false);
    if (!pending.isEmpty()) {
      scheduleSweep();
    }
  }

  /** Completes the waiter of {@code reqId}; returns false when none waits (late or unknown reply). */
  public boolean complete(long reqId, R reply) {
    Pending<R> entry = pending.remove(reqId);
    if (entry == null) {
      return false;
    }
    entry.future.complete(reply);
    return true;
  }

  /** Drops a waiter whose request could not be sent. */
  public void fail(long reqId, RuntimeException cause) {
    Pending<R> entry = pending.remove(reqId);
    if (entry != null) {
      entry.future.completeExceptionally(cause);
    }
  }

  public void failAll(String reason) {
    for (Long id : pending.keySet()) {
      Pending<R> entry = pending.remove(id);
      if (entry != null) {
        entry.future.completeExceptionally(new MesophyllException(
            entry.what + " to " + peer + " failed: " + reason + "; the request may or may not have run"));
      }
    }
  }

  /** Records that the peer started running {@code reqId} (see {@link Message.Started}). */
  public void started(long reqId) {
    Pending<R> entry = pending.get(reqId);
    if (entry != null) {
      entry.started = true;
    }
  }

  /**
   * As {@link #failAll}, for a peer that acknowledges starts: waiters whose request was acknowledged fail with
   * "may have run", the others, in request order, with {@link MesophyllException#notStarted} (safe to resend).
   */
  public void failAllTrackingStarts(String reason) {
    Long[] ids = pending.keySet().toArray(Long[]::new);
    java.util.Arrays.sort(ids);
    for (Long id : ids) {
      Pending<R> entry = pending.remove(id);
      if (entry == null) {
        continue;
      }
      entry.future.completeExceptionally(entry.started
          ? new MesophyllException(entry.what + " to " + peer + " failed after it started: " + reason
              + "; it may have run in part")
          : MesophyllException.notStarted(entry.what + " to " + peer + " was not started: " + reason));
    }
  }

  public int waiting() {
    return pending.size();
  }

  private static final class Pending<R> {
    final long reqId;
    final String what;
    final long timeoutMillis;
    final long deadlineNanos;
    final CompletableFuture<R> future = new CompletableFuture<>();
    volatile boolean started;

    Pending(long reqId, String what, long timeoutMillis) {
      this.reqId = reqId;
      this.what = what;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
  }
}
