package io.templateworker.worker.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.templateworker.runtime.store.TenantId;
import java.time.Duration;

/**
 * How many log lines (prints and errors) a tenant may write: a burst of {@value #BURST}, then
 * {@value #PER_SECOND} per second. A template printing in a loop, or failing on every one of thousands of
 * events, fills neither the memory of the log nor the error table; the lines it loses are counted and
 * reported once lines are admitted again.
 */
public final class LogRateLimit {
  public static final int BURST = 200;
  public static final int PER_SECOND = 50;

  /** Whether a line is admitted, and how many were dropped before it (to report with it). */
  public record Verdict(boolean admitted, long dropped) {}

  private static final Verdict REFUSED = new Verdict(false, 0);

  private final Cache<TenantId, Bucket> buckets = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).executor(Runnable::run).build();

  public Verdict admit(TenantId tenant) {
    return buckets.get(tenant, t -> new Bucket()).take(System.nanoTime());
  }

  private static final class Bucket {
    private double tokens = BURST;
    private long last = System.nanoTime();
    private long dropped;

    synchronized Verdict take(long now) {
      tokens = Math.min(BURST, tokens + (now - last) / 1e9 * PER_SECOND);
      last = now;
      if (tokens < 1) {
        dropped++;
        return REFUSED;
      }
      tokens--;
      long d = dropped;
      dropped = 0;
      return d == 0 ? ADMITTED : new Verdict(true, d);
    }

    private static final Verdict ADMITTED = new Verdict(true, 0);
  }
}
