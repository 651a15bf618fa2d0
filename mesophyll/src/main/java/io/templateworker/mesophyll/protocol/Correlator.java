package io.templateworker.mesophyll.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches replies to requests by request id on one connection, with a timeout per request (upstream
 * waited forever). When the connection ends, {@link #failAll} fails every caller still waiting.
 *
 * <p>Timeouts are found by a sweep over the waiting requests every {@value #SWEEP_MILLIS} ms at most (sooner for
 * shorter timeouts), scheduled while any wait, not by a timer task per request: at tens of thousands of requests a
 * second, a scheduled task each (cancelled tasks stay queued until their time) kept about a million dead tasks, and
 * the replies they referenced, on the timer's heap.
 *
 * <p>The waiters are kept in a table of their own, keyed by the primitive request id under one short lock, and a
 * caller may wait with a plain callback ({@link Waiter}) rather than a future: per request, a map node, two boxed ids,
 * a future, a dependent stage and the description's String were most of what the process pool's master allocated to
 * send an event. Waiters are always told outside the lock (they may take locks of their own).
 *
 * @param <R> the reply type
 */
public final class Correlator<R> {
  /** A request's waiter: told its reply or failure once; {@link #what} names the request in errors, built only then. */
  public interface Waiter<R> extends BiConsumer<R, Throwable> {
    String what();
  }

  private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);
  private final Object lock = new Object();
  /** Waiting requests by id (guarded by lock); size mirrored in {@link #size} for lock-free reads. */
  private final LongTable<R> pending = new LongTable<>();
  private volatile int size;
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
    FutureWaiter<R> waiter = new FutureWaiter<>(what);
    register(reqId, timeoutMillis, waiter);
    return waiter.future;
  }

  /** As {@link #register(long, long, String)}, telling {@code waiter} instead of completing a future. */
  public void register(long reqId, long timeoutMillis, Waiter<R> waiter) {
    Pending<R> entry = new Pending<>(reqId, waiter, timeoutMillis);
    long every = Math.max(1, Math.min(SWEEP_MILLIS, timeoutMillis / 4));
    if (every < sweepMillis) {
      sweepMillis = every;
    }
    synchronized (lock) {
      pending.put(entry);
      size = pending.size;
    }
    scheduleSweep();
  }

  private Pending<R> remove(long reqId) {
    synchronized (lock) {
      Pending<R> entry = pending.remove(reqId);
      size = pending.size;
      return entry;
    }
  }

  /** Every waiting entry, removed from the table (in no particular order). */
  private ArrayList<Pending<R>> removeAll() {
    synchronized (lock) {
      ArrayList<Pending<R>> all = pending.entries();
      pending.clear();
      size = 0;
      return all;
    }
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
    ArrayList<Pending<R>> expired = new ArrayList<>();
    synchronized (lock) {
      for (Pending<R> entry : pending.entries()) {
        if (now - entry.deadlineNanos >= 0) {
          pending.remove(entry.reqId);
          expired.add(entry);
        }
      }
      size = pending.size;
    }
    for (Pending<R> entry : expired) {
      tell(entry, null, new MesophyllException(entry.waiter.what() + " to " + peer + " got no reply within "
          + entry.timeoutMillis + " ms; the worker may be overloaded or hung"));
    }
    sweeping.set(false);
    if (size > 0) {
      scheduleSweep();
    }
  }

  /** Completes the waiter of {@code reqId}; returns false when none waits (late or unknown reply). */
  public boolean complete(long reqId, R reply) {
    Pending<R> entry = remove(reqId);
    if (entry == null) {
      return false;
    }
    tell(entry, reply, null);
    return true;
  }

  /** Drops a waiter whose request could not be sent. */
  public void fail(long reqId, RuntimeException cause) {
    Pending<R> entry = remove(reqId);
    if (entry != null) {
      tell(entry, null, cause);
    }
  }

  /**
   * Drops a waiter without telling it (its request could not be sent, and its caller learns that otherwise); false if
   * it was no longer waiting: then it has been or is being told (e.g. by {@link #failAll} as the connection ended).
   */
  public boolean forget(long reqId) {
    return remove(reqId) != null;
  }

  public void failAll(String reason) {
    for (Pending<R> entry : removeAll()) {
      tell(entry, null, new MesophyllException(
          entry.waiter.what() + " to " + peer + " failed: " + reason + "; the request may or may not have run"));
    }
  }

  /** Records that the peer started running {@code reqId} (see {@link Message.Started}). */
  public void started(long reqId) {
    Pending<R> entry;
    synchronized (lock) {
      entry = pending.get(reqId);
    }
    if (entry != null) {
      entry.started = true;
    }
  }

  /**
   * As {@link #failAll}, for a peer that acknowledges starts: waiters whose request was acknowledged fail with
   * "may have run", the others, in request order, with {@link MesophyllException#notStarted} (safe to resend).
   */
  public void failAllTrackingStarts(String reason) {
    ArrayList<Pending<R>> all = removeAll();
    all.sort(Comparator.comparingLong(entry -> entry.reqId));
    for (Pending<R> entry : all) {
      String what = entry.waiter.what();
      tell(entry, null, entry.started
          ? new MesophyllException(what + " to " + peer + " failed after it started: " + reason
              + "; it may have run in part")
          : MesophyllException.notStarted(what + " to " + peer + " was not started: " + reason));
    }
  }

  public int waiting() {
    return size;
  }

  /**
   * Tells a waiter; what it throws is logged and goes no further (a future's dependents swallowed it): the caller is a
   * connection's reader or a loop failing every waiter, which must go on.
   */
  private void tell(Pending<R> entry, R reply, Throwable error) {
    try {
      entry.waiter.accept(reply, error);
    } catch (RuntimeException e) {
      LOG.warn("the waiter of {} to {} failed", entry.waiter.what(), peer, e);
    }
  }

  private static final class Pending<R> {
    final long reqId;
    final Waiter<R> waiter;
    final long timeoutMillis;
    final long deadlineNanos;
    volatile boolean started;

    Pending(long reqId, Waiter<R> waiter, long timeoutMillis) {
      this.reqId = reqId;
      this.waiter = waiter;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
  }

  /** The waiter of {@link #register(long, long, String)}: a future. */
  private static final class FutureWaiter<R> implements Waiter<R> {
    final CompletableFuture<R> future = new CompletableFuture<>();
    final String what;

    FutureWaiter(String what) {
      this.what = what;
    }

    @Override
    public String what() {
      return what;
    }

    @Override
    public void accept(R reply, Throwable error) {
      if (error != null) {
        future.completeExceptionally(error);
      } else {
        future.complete(reply);
      }
    }
  }

  /**
   * Open addressing by request id (linear probing, Fibonacci hashing: consecutive ids land in consecutive-free slots),
   * deletion by shifting the entries behind back; grows at half full. Not thread-safe.
   */
  private static final class LongTable<R> {
    private static final int MIN_CAPACITY = 64;
    private Pending<R>[] slots = newSlots(MIN_CAPACITY);
    private int shift = 64 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
    int size;

    @SuppressWarnings("unchecked")
    private static <R> Pending<R>[] newSlots(int capacity) {
      return (Pending<R>[]) new Pending<?>[capacity];
    }

    private int home(long reqId) {
      return (int) ((reqId * 0x9E3779B97F4A7C15L) >>> shift);
    }

    Pending<R> get(long reqId) {
      int mask = slots.length - 1;
      for (int i = home(reqId); ; i = (i + 1) & mask) {
        Pending<R> e = slots[i];
        if (e == null || e.reqId == reqId) {
          return e;
        }
      }
    }

    /** Adds {@code entry}, replacing one of the same id. */
    void put(Pending<R> entry) {
      if (2 * (size + 1) > slots.length) {
        resize(slots.length * 2);
      }
      int mask = slots.length - 1;
      for (int i = home(entry.reqId); ; i = (i + 1) & mask) {
        Pending<R> e = slots[i];
        if (e == null || e.reqId == entry.reqId) {
          if (e == null) {
            size++;
          }
          slots[i] = entry;
          return;
        }
      }
    }

    Pending<R> remove(long reqId) {
      int mask = slots.length - 1;
      int i = home(reqId);
      Pending<R> found;
      while (true) {
        found = slots[i];
        if (found == null) {
          return null;
        }
        if (found.reqId == reqId) {
          break;
        }
        i = (i + 1) & mask;
      }
      // Shift back each following entry of the run that may live at i (its home is not cyclically in (i, j]).
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        Pending<R> e = slots[j];
        if (e == null) {
          break;
        }
        int home = home(e.reqId);
        boolean staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
        if (!staysPut) {
          slots[i] = e;
          i = j;
        }
      }
      slots[i] = null;
      size--;
      // Not shrunk here: the requests in flight rise and fall with every batch, and resizing with them cost a table per
      // batch; the peak is bounded (the in-flight cap), and clear() (the connection's end) lets it go.
      return found;
    }

    ArrayList<Pending<R>> entries() {
      ArrayList<Pending<R>> all = new ArrayList<>(size);
      for (Pending<R> e : slots) {
        if (e != null) {
          all.add(e);
        }
      }
      return all;
    }

    void clear() {
      if (slots.length > MIN_CAPACITY) {
        slots = newSlots(MIN_CAPACITY);
        shift = 64 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
      } else {
        java.util.Arrays.fill(slots, null);
      }
      size = 0;
    }

    private void resize(int capacity) {
      Pending<R>[] old = slots;
      slots = newSlots(capacity);
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
      size = 0;
      for (Pending<R> e : old) {
        if (e != null) {
          put(e);
        }
      }
    }
  }
}
