package io.templateworker.bench.runtime;

import io.templateworker.bench.Bench;
import io.templateworker.bench.BenchStores;
import io.templateworker.bench.Results;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.http.HttpClientPlugin;
import io.templateworker.runtime.plugin.http.HttpRules;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plugins as a template sees them, through real tenant VMs ({@link LuauIsolateFactory}, a handler per call):
 * <ul>
 *   <li>{@code ctx.KV:get} / {@code ctx.KV:set} from Luau on an embedded PostgreSQL (fsync off, as in tests):
 *       ops/s and p50/p99 of one handler call doing one operation, from several threads, each thread cycling
 *       over its own tenants (a tenant VM's KV limiter admits 5 000 calls/s, so one VM would measure the limiter);</li>
 *   <li>the overhead of a plugin call that does no I/O, timed inside Luau over a loop and net of the empty loop:
 *       {@code ctx.Bench:ping()} (a bench plugin that checks a capability and takes a limiter token, the path
 *       every plugin method takes) and {@code ctx.HTTPClient.new_headers()} (a real plugin call that allocates).</li>
 *   <li>events/s through a real thread pool (one worker) for a tenant with 10 templates whose handlers return a
 *       number: wall-clock events/s, and events per CPU-second of this process (the "per core" figure, which a loaded
 *       machine distorts less than wall-clock time).</li>
 * </ul>
 * Args: {@code [--seconds S]} per figure (default 10), {@code [--threads N]} for KV (default 4).
 */
public final class RuntimeBench implements Bench {
  private static final int TENANTS_PER_THREAD = 8;

  public static void main(String[] args) throws Exception {
    new RuntimeBench().run(args, new Results(System.out));
    System.exit(0);
  }

  @Override
  public void run(String[] args, Results results) throws Exception {
    int seconds = 10;
    int threads = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --seconds S or --threads N)");
      }
    }
    PostgresKvStore kv = new PostgresKvStore(TestPostgres.freshDatabase(), InstantSource.system(), ExpiryListener.NONE);
    Plugins plugins = Plugins.builder().add(new KvPlugin()).add(new NoopPlugin())
        .add(HttpClientPlugin.internet(HttpRules.DEFAULTS)).build();
    LuauIsolateFactory factory = new LuauIsolateFactory(Limits.defaults()).withPlugins(plugins);
    TenantServices services = new TenantServices(null, null, kv);

    results.environment("runtime.start");
    overhead(factory, services, results);
    events(seconds, results);

    String handlers = """
        local n = 0
        return {
          Set = function(ctx) n += 1 ctx.KV:set("key" .. (n % 100), {count = n, reason = "bench"}, {"bench"}) end,
          Get = function(ctx) n += 1 return (ctx.KV:get("key" .. (n % 100), {"bench"})) end,
        }
        """;
    List<Vm> vms = new ArrayList<>();
    for (int t = 0; t < threads * TENANTS_PER_THREAD; t++) {
      TenantId tenant = TenantId.guild(1_000_000_000_000L + t);
      TenantEngine engine = factory.open(tenant);
      vms.add(new Vm(tenant, engine, engine.load(template(tenant, handlers))));
      for (int k = 0; k < 100; k++) {
        kv.set(tenant, List.of("bench"), "key" + k, new KhronosValue.Int(k));
      }
    }
    measure(vms, services, "Get", 2, threads); // warm-up
    report(results, "runtime.kv.set", measure(vms, services, "Set", seconds, threads), seconds);
    report(results, "runtime.kv.get", measure(vms, services, "Get", seconds, threads), seconds);
    results.report("runtime.kv.threads", threads, "threads");
    for (Vm vm : vms) {
      vm.isolate.close();
      vm.engine.close();
    }
    results.environment("runtime.end");
  }

  /** Events through a one-worker thread pool to one tenant with 10 trivial templates, 256 events in flight. */
  private static void events(int seconds, Results results) throws Exception {
    ThreadPool pool = new ThreadPool(1, WorkerConfig.DEFAULTS, BenchStores.services(10), LuauIsolateFactory.withDefaultLimits(),
        ErrorReporter.LOG, KhronosValue.Null.INSTANCE).start();
    try {
      TenantId tenant = TenantId.guild(7L << 22);
      CreateEvent event = CreateEvent.of("E", KhronosValue.Null.INSTANCE);
      KhronosValue first = pool.dispatchEvent(tenant, event).get(30, TimeUnit.SECONDS);
      if (!first.toString().contains("bench9")) {
        throw new IllegalStateException("expected the results of 10 templates, got " + first);
      }
      stream(pool, tenant, event, 2); // warm-up
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      long done = stream(pool, tenant, event, seconds);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      results.report("runtime.events.10_templates.events_per_s", done / wall, "events/s");
      results.report("runtime.events.10_templates.events_per_cpu_s", done / cpu, "events/cpu-s");
      results.report("runtime.events.10_templates.handlers_per_s", done * 10 / wall, "handlers/s");
    } finally {
      pool.kill();
    }
  }

  /** Dispatches for {@code seconds} with at most 256 events in flight; returns how many completed. */
  private static long stream(ThreadPool pool, TenantId tenant, CreateEvent event, int seconds) throws Exception {
    Semaphore window = new Semaphore(256);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      window.acquire();
      pool.dispatchEvent(tenant, event).whenComplete((v, e) -> {
        (e == null ? done : failed).incrementAndGet();
        window.release();
      });
    }
    window.acquire(256);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " events failed");
    }
    return done.get();
  }

  private record Vm(TenantId tenant, TenantEngine engine, TemplateIsolate isolate) {
  }

  private static Template template(TenantId tenant, String init) {
    return new Template(tenant, "bench", Map.of("init.luau", init), List.of("Get", "Set", "Loop"), List.of("*"), false, null, "luau",
        Instant.EPOCH, Instant.EPOCH);
  }

  /** Nanoseconds per call of {@code call}, net of an empty loop, best of several rounds, timed in Luau. */
  private static void overhead(LuauIsolateFactory factory, TenantServices services, Results results) throws Exception {
    TenantId tenant = TenantId.guild(42);
    String init = """
        local function time(n, f)
          local t0 = os.clock()
          f(n)
          return os.clock() - t0
        end
        return {
          Loop = function(ctx)
            local n = 2000000
            local function empty(n) local kv = ctx for i = 1, n do local _ = kv end end
            local function ping(n) for i = 1, n do ctx.Bench:ping() end end
            local function headers(n) for i = 1, n do ctx.HTTPClient.new_headers() end end
            local base, p, h = math.huge, math.huge, math.huge
            for round = 1, 7 do
              base = math.min(base, time(n, empty))
              p = math.min(p, time(n, ping))
              h = math.min(h, time(n // 4, headers) * 4)
            end
            return {ping = (p - base) / n * 1e9, headers = (h - base) / n * 1e9}
          end,
        }
        """;
    try (TenantEngine engine = factory.open(tenant); TemplateIsolate isolate = engine.load(template(tenant, init))) {
      KhronosValue r = isolate.handle(TemplateContext.root(tenant, CreateEvent.of("Loop", KhronosValue.Null.INSTANCE), services, null));
      KhronosValue.MapValue m = (KhronosValue.MapValue) r;
      results.report("runtime.plugin_call.noop", number(m.get("ping")), "ns/call");
      results.report("runtime.plugin_call.httpclient_new_headers", number(m.get("headers")), "ns/call");
    }
  }

  private static double number(KhronosValue v) {
    return v instanceof KhronosValue.Float f ? f.value() : ((KhronosValue.Int) v).value();
  }

  /** Calls handler {@code event} of the thread's tenants round-robin for {@code seconds}; all latencies in ns. */
  private static long[] measure(List<Vm> vms, TenantServices services, String event, int seconds, int threads) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    Thread[] workers = new Thread[threads];
    CreateEvent ev = CreateEvent.of(event, KhronosValue.Null.INSTANCE);
    for (int t = 0; t < threads; t++) {
      final int index = t;
      samples[t] = new long[1_000_000];
      workers[t] = Thread.ofPlatform().start(() -> {
        int n = 0;
        long[] mine = samples[index];
        try {
          while (n < mine.length) {
            Vm vm = vms.get(index * TENANTS_PER_THREAD + (n % TENANTS_PER_THREAD));
            long start = System.nanoTime();
            if (start >= end) {
              break;
            }
            vm.isolate.handle(TemplateContext.root(vm.tenant, ev, services, null));
            mine[n++] = System.nanoTime() - start;
          }
        } catch (Exception e) {
          throw new IllegalStateException("benchmark handler failed: " + e.getMessage(), e);
        }
        counts[index] = n;
      });
    }
    int total = 0;
    for (int t = 0; t < threads; t++) {
      workers[t].join();
      total += counts[t];
    }
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return all;
  }

  private static void report(Results results, String name, long[] latencies, int seconds) {
    Arrays.sort(latencies);
    results.report(name + ".ops_per_s", latencies.length / (double) seconds, "ops/s");
    results.report(name + ".p50", latencies.length == 0 ? 0 : latencies[latencies.length / 2] / 1e6, "ms");
    results.report(name + ".p99", latencies.length == 0 ? 0 : latencies[(int) (latencies.length * 0.99)] / 1e6, "ms");
  }

  /**
   * {@code ctx.Bench}: one method that does what every plugin method does before its work (capability check,
   * limiter token) and nothing else.
   */
  private static final class NoopPlugin implements Plugin {
    private static final RateLimits.Spec LIMITS = RateLimits.Spec.NONE;
    private static final UserdataType<PluginContext> TYPE = UserdataType.builder("BenchExecutor", PluginContext.class)
        .method("ping", (L, ctx, a) -> {
          if (!ctx.hasCap("bench:ping")) {
            throw new IllegalStateException("capability check failed");
          }
          ctx.limits("Bench", LIMITS).check("ping");
          return LuauFunction.NONE;
        })
        .build();

    @Override
    public String name() {
      return "Bench";
    }

    @Override
    public Object create(PluginContext context) {
      return TYPE.wrap(context);
    }
  }
}
