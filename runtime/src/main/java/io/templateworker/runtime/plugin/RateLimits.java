package io.templateworker.runtime.plugin;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A plugin's limiter set in one tenant VM (UPSTREAM.md §2.9): global limiters, a list of buckets that skip
 * them, and limiters per bucket. The bucket is the plugin's action name ({@code get}, {@code send}, ...).
 * Unlike upstream, a rejected call takes no token from any limiter (upstream's limiters were checked one
 * after another, so a call refused by a bucket limiter had already used a global token).
 */
public final class RateLimits {
  /** One quota: a burst of {@code burst} calls, refilled over {@code period}. */
  public record Quota(int burst, Duration period) {
    public static Quota of(int burst, Duration period) {
      return new Quota(burst, period);
    }
  }

  /** What limiters a plugin has; one {@link RateLimits} per tenant VM is made from it. */
  public record Spec(List<Quota> global, Set<String> globalIgnore, Map<String, List<Quota>> perBucket) {
    public Spec {
      global = List.copyOf(global);
      globalIgnore = Set.copyOf(globalIgnore);
      perBucket = Map.copyOf(perBucket);
    }

    /** Only global quotas. */
    public static Spec global(Quota... quotas) {
      return new Spec(List.of(quotas), Set.of(), Map.of());
    }

    /** No limits at all (plugins upstream does not limit, and tests of other things). */
    public static final Spec NONE = new Spec(List.of(), Set.of(), Map.of());
  }

  private final Gcra[] global;
  private final Set<String> ignore;
  private final Map<String, Gcra[]> perBucket;
  private final LongSupplier clock;
  /** The plugin name the metrics count under ({@code KV}, {@code Discord}, ...); null counts nothing. */
  private final String plugin;

  public RateLimits(Spec spec, LongSupplier nanoClock) {
    this(null, spec, nanoClock);
  }

  /**
   * The limiters of {@code plugin}: each {@link #check} counts one call in {@code plugin_calls_total} and each
   * refusal in {@code rate_limit_hits_total}, both labelled with the plugin name.
   */
  public RateLimits(String plugin, Spec spec, LongSupplier nanoClock) {
    this.plugin = plugin;
    this.global = limiters(spec.global());
    this.ignore = spec.globalIgnore();
    Map<String, Gcra[]> buckets = new HashMap<>();
    spec.perBucket().forEach((bucket, quotas) -> buckets.put(bucket, limiters(quotas)));
    this.perBucket = buckets;
    this.clock = nanoClock;
  }

  private static Gcra[] limiters(List<Quota> quotas) {
    List<Gcra> out = new ArrayList<>(quotas.size());
    for (Quota q : quotas) {
      out.add(new Gcra(q.burst(), q.period().toNanos()));
    }
    return out.toArray(new Gcra[0]);
  }

  /**
   * Admits one call to {@code bucket} or raises upstream's error: "Global ratelimit hit for bucket 'get',
   * wait time: 12.5ms" / "Per bucket ratelimit hit for 'ban', wait time: 4s".
   */
  public void check(String bucket) {
    if (plugin != null) {
      WorkerMetrics.PLUGIN_CALLS.inc(plugin);
    }
    long now = clock.getAsLong();
    boolean useGlobal = global.length > 0 && !ignore.contains(bucket);
    if (useGlobal) {
      long wait = maxWait(global, now);
      if (wait > 0) {
        refused();
        throw LuauError.runtime("Global ratelimit hit for bucket '" + bucket + "', wait time: " + duration(wait));
      }
    }
    Gcra[] own = perBucket.isEmpty() ? null : perBucket.get(bucket);
    if (own != null) {
      long wait = maxWait(own, now);
      if (wait > 0) {
        refused();
        throw LuauError.runtime("Per bucket ratelimit hit for '" + bucket + "', wait time: " + duration(wait));
      }
      take(own, now);
    }
    if (useGlobal) {
      take(global, now);
    }
  }

  private void refused() {
    if (plugin != null) {
      WorkerMetrics.RATE_LIMIT_HITS.inc(plugin);
    }
  }

  private static long maxWait(Gcra[] limiters, long now) {
    long wait = 0;
    for (Gcra g : limiters) {
      wait = Math.max(wait, g.waitNanos(now));
    }
    return wait;
  }

  private static void take(Gcra[] limiters, long now) {
    for (Gcra g : limiters) {
      g.take(now);
    }
  }

  /** A wait time as Rust prints a Duration (upstream's messages): {@code 12.5ms}, {@code 4s}, {@code 800µs}. */
  static String duration(long nanos) {
    if (nanos >= 1_000_000_000L) {
      return trim(nanos / 1e9) + "s";
    }
    if (nanos >= 1_000_000L) {
      return trim(nanos / 1e6) + "ms";
    }
    if (nanos >= 1_000L) {
      return trim(nanos / 1e3) + "µs";
    }
    return nanos + "ns";
  }

  private static String trim(double v) {
    String s = String.format(java.util.Locale.ROOT, "%.3f", v);
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }
}
