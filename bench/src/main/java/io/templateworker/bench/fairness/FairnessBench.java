package io.templateworker.bench.fairness;

import io.templateworker.bench.BenchStores;
import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 16's fairness figure: one worker (thread pool, real Luau, the default limits), a quiet tenant sending one
 * event at a time (every millisecond), its latency p50/p99 alone, then beside {@code --spinners} tenants (default 3)
 * whose handler loops until its time limit (re-sent as each one is stopped), then beside a tenant flooding events
 * without waiting. Same worker, same JVM: nothing but scheduling separates them. Compare with the carrier share off:
 * {@code TW_BENCH_JAVA_OPTS=-Dluau.carrier_share=off bin/bench fairness}.
 *
 * <p>Args: {@code [--seconds S]} per phase (default 10), {@code [--spinners N]}.
 */
public final class FairnessBench implements Bench {
  private static final TenantId QUIET = TenantId.guild(1L << 22);
  private static final String QUIET_CODE = "return { E = function(ctx) return 1 end }";
  private static final String SPIN_CODE = "return { E = function(ctx) local n = 0 while true do n += 1 end end }";

  @Override
  public void run(String[] args, Results results) throws Exception {
    int seconds = 10;
    int spinners = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--spinners" -> spinners = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --seconds S or --spinners N)");
      }
    }
    results.environment("fairness.start");
    results.text("fairness.carrier_share", "off".equals(System.getProperty("luau.carrier_share")) ? "off" : "default");
    results.report("fairness.cores", Runtime.getRuntime().availableProcessors(), "cores");
    Map<TenantId, String> code = new HashMap<>();
    code.put(QUIET, QUIET_CODE);
    List<TenantId> spinning = new ArrayList<>();
    for (int i = 0; i < spinners; i++) {
      TenantId t = TenantId.guild((100L + i) << 22);
      spinning.add(t);
      code.put(t, SPIN_CODE);
    }
    TenantId flooder = TenantId.guild(200L << 22);
    code.put(flooder, QUIET_CODE);
    ThreadPool pool = new ThreadPool(1, WorkerConfig.DEFAULTS, services(code), LuauIsolateFactory.withDefaultLimits(),
        ErrorReporter.LOG, KhronosValue.Null.INSTANCE).start();
    CreateEvent e = CreateEvent.of("E", KhronosValue.Null.INSTANCE);
    quiet(pool, e, 2); // warm-up: VM built, JIT settled

    long[] alone = quiet(pool, e, seconds);
    report(results, "fairness.quiet_alone", alone);

    // Flood first: the spinners' last runs would otherwise still hold the worker during the flood phase.
    AtomicBoolean stopFlood = new AtomicBoolean();
    AtomicLong flooded = new AtomicLong();
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(2_000); // below the lane's queue limit
    Thread flood = Thread.ofPlatform().start(() -> {
      while (!stopFlood.get()) {
        window.acquireUninterruptibly();
        pool.dispatchEvent(flooder, e).whenComplete((v, err) -> window.release());
        flooded.incrementAndGet();
      }
    });
    long[] besideFlood = quiet(pool, e, seconds);
    stopFlood.set(true);
    flood.join();
    report(results, "fairness.quiet_beside_flood", besideFlood);
    results.report("fairness.flood_events", flooded.get(), "events");
    results.report("fairness.flood.p99_added", (pct(besideFlood, 0.99) - pct(alone, 0.99)) / 1e3, "us");

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong stopped = new AtomicLong();
    for (TenantId t : spinning) {
      respin(pool, t, e, stop, stopped);
    }
    long[] besideSpin = quiet(pool, e, seconds);
    stop.set(true);
    report(results, "fairness.quiet_beside_" + spinners + "_spinners", besideSpin);
    results.report("fairness.spinner_runs_stopped_at_limit", stopped.get(), "runs");
    results.report("fairness.spin.p99_added", (pct(besideSpin, 0.99) - pct(alone, 0.99)) / 1e3, "us");
    pool.kill();
    results.environment("fairness.end");
  }

  /** Re-sends the spinner's event each time its run is stopped at the time limit, until {@code stop}. */
  private static void respin(ThreadPool pool, TenantId t, CreateEvent e, AtomicBoolean stop, AtomicLong stopped) {
    CompletableFuture<KhronosValue> run = pool.dispatchEvent(t, e);
    run.whenComplete((v, err) -> {
      stopped.incrementAndGet();
      if (!stop.get()) {
        respin(pool, t, e, stop, stopped);
      }
    });
  }

  /** The quiet tenant's events one at a time, one per millisecond, for {@code seconds}: sorted latencies (ns). */
  private static long[] quiet(ThreadPool pool, CreateEvent e, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long[] lat = new long[seconds * 1000 + 16];
    int n = 0;
    while (System.nanoTime() < end && n < lat.length) {
      long t0 = System.nanoTime();
      try {
        pool.dispatchEvent(QUIET, e).get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException starved) {
        lat[n++] = System.nanoTime() - t0; // no carrier for 30 s: recorded as such, the phase ends
        break;
      }
      lat[n++] = System.nanoTime() - t0;
      Thread.sleep(1);
    }
    long[] out = Arrays.copyOf(lat, n);
    Arrays.sort(out);
    return out;
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }

  private static void report(Results results, String name, long[] sorted) {
    results.report(name + ".events", sorted.length, "events");
    results.report(name + ".p50", pct(sorted, 0.50) / 1e3, "us");
    results.report(name + ".p99", pct(sorted, 0.99) / 1e3, "us");
    results.report(name + ".max", sorted[sorted.length - 1] / 1e3, "us");
  }

  /** Every tenant subscribed to {@code E} with one template whose source {@code code} gives. */
  private static TenantServices services(Map<TenantId, String> code) {
    return BenchStores.readOnly(Set.of("E"),
        tenant -> List.of(BenchStores.template(tenant, "t", code.getOrDefault(tenant, QUIET_CODE), List.of("E"), List.of())),
        null);
  }
}
