package io.templateworker.mesophyll.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches replies to requests by request id on one connection, with a timeout per request (upstream
 * waited forever). When the connection ends, {@link #failAll} fails every caller still waiting.
 *
 * @param <R> the reply type
 */
public final class Correlator<R> {
  private final ConcurrentHashMap<Long, Pending<R>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ScheduledExecutorService timer;
  private final String peer;

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
    Pending<R> entry = new Pending<>(this, reqId, what, timeoutMillis);
    pending.put(reqId, entry);
    entry.timeout = timer.schedule(entry, timeoutMillis, TimeUnit.MILLISECONDS);
    return entry.future;
  }

  /** Completes the waiter of {@code reqId}; returns false when none waits (late or unknown reply). */
  public boolean complete(long reqId, R reply) {
    Pending<R> entry = pending.remove(reqId);
    if (entry == null) {
      return false;
    }
    entry.cancelTimeout();
    entry.future.complete(reply);
    return true;
  }

  /** Drops a waiter whose request could not be sent. */
  public void fail(long reqId, RuntimeException cause) {
    Pending<R> entry = pending.remove(reqId);
    if (entry != null) {
      entry.cancelTimeout();
      entry.future.completeExceptionally(cause);
    }
  }

  public void failAll(String reason) {
    for (Long id : pending.keySet()) {
      Pending<R> entry = pending.remove(id);
      if (entry != null) {
        entry.cancelTimeout();
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
      entry.cancelTimeout();
      entry.future.completeExceptionally(entry.started
          ? new MesophyllException(entry.what + " to " + peer + " failed after it started: " + reason
              + "; it may have run in part")
          : MesophyllException.notStarted(entry.what + " to " + peer + " was not started: " + reason));
    }
  }

  public int waiting() {
    return pending.size();
  }

  private static final class Pending<R> implements Runnable {
    final Correlator<R> owner;
    final long reqId;
    final String what;
    final long timeoutMillis;
    final CompletableFuture<R> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;
    volatile boolean started;

    Pending(Correlator<R> owner, long reqId, String what, long timeoutMillis) {
      this.owner = owner;
      this.reqId = reqId;
      this.what = what;
      this.timeoutMillis = timeoutMillis;
    }

    void cancelTimeout() {
      ScheduledFuture<?> t = timeout;
      if (t != null) { // null only when the reply beat the scheduling; the stray timer then finds nothing
        t.cancel(false);
      }
    }

    @Override
    public void run() {
      if (owner.pending.remove(reqId, this)) {
        future.completeExceptionally(new MesophyllException(
            what + " to " + owner.peer + " got no reply within " + timeoutMillis + " ms; the worker may be overloaded or hung"));
      }
    }
  }
}
