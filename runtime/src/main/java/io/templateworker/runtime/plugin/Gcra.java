package io.templateworker.runtime.plugin;

/**
 * One GCRA limiter ("n / t": a burst of {@code n}, the whole burst refilled over {@code t}), as upstream's
 * governor quotas. Keeps a single number, the theoretical arrival time of the next call. Not thread-safe: a
 * tenant VM's plugins run on its one thread of control.
 */
final class Gcra {
  private final long emissionNanos;
  private final long toleranceNanos;
  private long tat;
  private boolean started;

  Gcra(int burst, long periodNanos) {
    if (burst < 1 || periodNanos < 1) {
      throw new IllegalArgumentException("a GCRA quota needs a burst >= 1 and a positive period");
    }
    this.emissionNanos = Math.max(1, periodNanos / burst);
    this.toleranceNanos = emissionNanos * burst;
  }

  /** Nanoseconds to wait before a call at {@code now} would be admitted; 0 when it would be admitted now. */
  long waitNanos(long now) {
    long next = next(now);
    long over = next - now - toleranceNanos;
    return over > 0 ? over : 0;
  }

  /** Takes a token at {@code now}; call only after {@link #waitNanos} returned 0. */
  void take(long now) {
    tat = next(now);
    started = true;
  }

  private long next(long now) {
    long base = !started || tat - now < 0 ? now : tat;
    return base + emissionNanos;
  }
}
