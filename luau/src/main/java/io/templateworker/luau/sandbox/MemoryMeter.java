package io.templateworker.luau.sandbox;

import io.templateworker.luau.errors.LimitExceeded;

/**
 * Memory accounting of one VM against its cap.
 *
 * <p>Allocation sites (table constructors and growth, strings built by concatenation and the string library,
 * closures, buffers, coroutines, userdata) {@link #charge} an estimate of their size. Java has no hook that
 * tells us when an object dies, so the counter only grows. To keep a long-lived VM from drifting into false
 * "not enough memory" errors, a charge that would pass the cap first measures the live size reachable from
 * the VM's roots ({@link LiveSizeProbe}), resets the counter to it, and fails only if the live size plus the
 * new allocation is still over the cap.
 *
 * <p>Walks cost time in proportion to the live heap, so the next walk waits until at least half the live size
 * has been charged again: below two thirds of the cap the trigger is the cap itself (exact enforcement); closer
 * to it a VM may pass the cap by up to half its live size before the next walk fails it. That bounds the walk
 * cost per charged byte for a long-lived VM with a large live heap and much garbage.
 *
 * <p>Confined to the VM's thread of control.
 */
public final class MemoryMeter {
  /** Measures the bytes reachable from the VM's roots (a walk of the live Luau heap). */
  @FunctionalInterface
  public interface LiveSizeProbe {
    long measureLiveBytes();
  }

  private long cap;
  /** Counter value that triggers the next walk: the cap, or more when the live heap is near it. */
  private long trigger;
  private long counted;
  private long lastLive = -1;
  private int walks;
  private LiveSizeProbe probe;

  public MemoryMeter(long cap) {
    this.cap = cap;
    this.trigger = cap;
  }

  public void setCap(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("memory cap must be >= 0 (0 = unlimited), got " + bytes);
    }
    this.cap = bytes;
    this.trigger = bytes;
  }

  public long cap() {
    return cap;
  }

  /** Installs the walk used to reconcile the counter with the live heap; without one the counter only grows. */
  public void setProbe(LiveSizeProbe probe) {
    this.probe = probe;
  }

  /** Charges an allocation of {@code bytes}; throws "not enough memory" when the VM cannot hold it. */
  public void charge(long bytes) {
    long c = counted + bytes;
    if (cap > 0 && c > trigger) {
      reconcile(bytes);
      return;
    }
    counted = c;
  }

  private void reconcile(long bytes) {
    if (probe != null && bytes <= cap) {
      long live = probe.measureLiveBytes();
      walks++;
      lastLive = live;
      counted = live;
      trigger = Math.max(cap, live + live / 2);
      if (live + bytes <= cap) {
        counted = live + bytes;
        return;
      }
    }
    throw new LimitExceeded(LimitExceeded.Kind.MEMORY);
  }

  /** Measures the live heap now (for {@code collectgarbage("count")} and the host's memory gauge). */
  public long measureNow() {
    if (probe == null) {
      return counted;
    }
    long live = probe.measureLiveBytes();
    walks++;
    lastLive = live;
    counted = live;
    trigger = Math.max(cap, live + live / 2);
    return live;
  }

  /** Bytes charged since the last reconciliation plus the live size then: an upper bound of the heap. */
  public long countedBytes() {
    return counted;
  }

  /** The live size found by the last walk, or -1 when none ran. */
  public long lastLiveBytes() {
    return lastLive;
  }

  /** How many heap walks ran (tests and metrics: a well-behaved VM rarely walks). */
  public int walks() {
    return walks;
  }

  /** Returns bytes known to be dropped (e.g. a closed coroutine). */
  public void release(long bytes) {
    counted = Math.max(0, counted - bytes);
  }
}
