package io.templateworker.bench.soak;

import io.templateworker.bench.BenchStores;
import io.templateworker.bench.Bench;
import io.templateworker.bench.LaunchedService;
import io.templateworker.bench.Results;
import io.templateworker.bench.dispatch.DispatchBench;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.db.DatabaseOptions;
import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.expiry.KeyEventRouter;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.process.ChildLauncher;
import io.templateworker.worker.process.ProcessPool;
import io.templateworker.worker.process.ProcessPoolConfig;
import io.templateworker.worker.thread.ThreadPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 16's soak: for {@code --minutes N} (default 5; the goal is 30) a mixed load on an embedded PostgreSQL with
 * production durability: events dispatched through both pools (thread pool and process pool, 2 workers each, real
 * Luau templates) at {@code --rate} per second per pool (default 200), KV writes with expiries 2-5 s ahead at
 * {@code --kv-rate} per second (default 100) whose {@code KeyExpiry} events the expiry engines deliver through the
 * thread pool, and a template update (reload in both pools) every 10 s; {@code kill -9} of a process-pool child
 * every minute and one database restart (the postmaster killed half-way; the service restarts it).
 *
 * <p>Prints, each minute: events sent/answered/failed and p99 per pool, expiries delivered, KV writes refused
 * while the database was down, this JVM's heap used after a GC (the master side: thread pool, expiry engines, KV
 * store, process-pool master; the bench's own bookkeeping is bounded, so it stays flat unless the service grows),
 * and the resident memory of the two process-pool children. At the end: events sent/delivered/failed/lost per pool
 * (failed: started in a child that was killed, the "may have run" error; lost: never answered), expiries
 * written/delivered/lost/doubled, and the heap's trend (least-squares MiB per minute after minute 1).
 */
public final class SoakBench implements Bench {
  private static final int TENANTS = 100;
  private static final List<String> SCOPES = List.of("soak");
  private static final CreateEvent EVENT = CreateEvent.of("E", KhronosValue.Null.INSTANCE);

  private final AtomicInteger templateVersion = new AtomicInteger(1);

  @Override
  public void run(String[] args, Results results) throws Exception {
    int minutes = 5;
    int rate = 200;
    int kvRate = 100;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--kv-rate" -> kvRate = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "' (expected --minutes N, --rate R or --kv-rate R)");
      }
    }
    results.environment("soak.start");
    Path dir = Files.createTempDirectory("tw-soak-bench");
    Database database = Database.open(DatabaseOptions.embedded(dir.resolve("pg"), 16));
    database.migrate();
    Expiries expiries = new Expiries();
    List<KeyExpiryEngine> engines = new ArrayList<>();
    PostgresKvStore kv = new PostgresKvStore(database.dataSource(), InstantSource.system(), ExpiryListener.all(engines));
    TenantServices services = services(kv);
    ThreadPool threads = new ThreadPool(2, WorkerConfig.DEFAULTS, services, LuauIsolateFactory.withDefaultLimits(),
        ErrorReporter.LOG, KhronosValue.Null.INSTANCE).start();
    expiries.router = new KeyEventRouter(threads);
    for (int w = 0; w < 2; w++) {
      engines.add(new KeyExpiryEngine(database.dataSource(), expiries, ExpiryFailureHandler.LOG_ONLY,
          ExpiryConfig.defaults(w, 2), InstantSource.system()));
    }
    engines.forEach(KeyExpiryEngine::start);
    // Children run as the service starts them (its collector and workers.child_jvm_options' default).
    List<String> childOptions = DispatchBench.childJvmArgs(ChildLauncher.DEFAULT_EXTRA_JVM_OPTIONS);
    results.text("soak.processpool.children_jvm_options", String.join(" ", childOptions));
    ProcessPool processes = new ProcessPool(ProcessPoolConfig.defaults(2).withRespawn(Duration.ofMillis(500), 10), services,
        ChildLauncher.sameJvm(DispatchBench.Child.class.getName(), childOptions, List.of())).start();
    if (!processes.awaitConnected(Duration.ofSeconds(120))) {
      throw new IllegalStateException("process pool children did not connect within 120 s");
    }
    Sender viaThreads = new Sender("threadpool", threads, rate);
    Sender viaProcesses = new Sender("processpool", processes, rate);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong kvWritten = new AtomicLong();
    AtomicLong kvRefused = new AtomicLong();
    int keysPerSecond = kvRate;
    Thread[] load = {
        Thread.ofPlatform().name("soak-threads").start(() -> viaThreads.run(stop)),
        Thread.ofPlatform().name("soak-processes").start(() -> viaProcesses.run(stop)),
        Thread.ofPlatform().name("soak-kv").start(() -> writeKeys(kv, keysPerSecond, stop, kvWritten, kvRefused, expiries)),
        Thread.ofPlatform().name("soak-templates").start(() -> updateTemplates(List.of(threads, processes), stop)),
    };
    long start = System.nanoTime();
    boolean restarted = false;
    int kills = 0;
    List<Double> heapByMinute = new ArrayList<>();
    for (int minute = 1; minute <= minutes; minute++) {
      long minuteEnd = start + TimeUnit.MINUTES.toNanos(minute);
      long killAt = minuteEnd - TimeUnit.SECONDS.toNanos(30);
      long restartAt = start + TimeUnit.MINUTES.toNanos(minutes) / 2 + TimeUnit.SECONDS.toNanos(15);
      boolean killed = false;
      while (System.nanoTime() < minuteEnd) {
        long now = System.nanoTime();
        if (!killed && now >= killAt) {
          long pid = processes.handle(kills % 2).pid();
          java.lang.ProcessHandle.of(pid).ifPresent(java.lang.ProcessHandle::destroyForcibly);
          kills++;
          killed = true;
        }
        if (!restarted && now >= restartAt) {
          java.lang.ProcessHandle.of(database.embeddedPid()).ifPresent(java.lang.ProcessHandle::destroyForcibly);
          restarted = true;
        }
        Thread.sleep(100);
      }
      String m = "soak.minute_" + minute;
      viaThreads.report(results, m);
      viaProcesses.report(results, m);
      results.report(m + ".expiries_delivered", expiries.delivered.get(), "keys");
      results.report(m + ".kv_writes_refused_db_down", kvRefused.get(), "writes");
      expiries.forgetDeliveredBefore(System.nanoTime() - DOUBLE_WINDOW_NANOS);
      System.gc();
      double heap = usedHeap() / (1024.0 * 1024.0);
      heapByMinute.add(heap);
      results.report(m + ".heap_used_after_gc", heap, "MiB");
      // The bench's own bookkeeping is bounded (keys written and not yet delivered, deliveries of the last
      // DOUBLE_WINDOW), so this heap is the service's plus a constant: growth here is the service's.
      results.report(m + ".bench_bookkeeping_entries", expiries.bookkeepingEntries(), "entries");
      for (int c = 0; c < 2; c++) {
        results.report(m + ".processpool_child" + c + "_rss", residentMiB(processes.handle(c).pid()), "MiB");
      }
    }
    stop.set(true);
    for (Thread t : load) {
      t.join();
    }
    viaThreads.awaitAnswers(Duration.ofSeconds(90));
    viaProcesses.awaitAnswers(Duration.ofSeconds(90));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (expiries.outstanding.size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    viaThreads.totals(results);
    viaProcesses.totals(results);
    results.report("soak.kv_writes_acknowledged", kvWritten.get(), "writes");
    results.report("soak.kv_writes_refused_db_down", kvRefused.get(), "writes");
    results.report("soak.expiries_expected", kvWritten.get(), "keys");
    results.report("soak.expiries_delivered", expiries.delivered.get(), "keys");
    results.report("soak.expiries_lost", expiries.outstanding.size(), "keys");
    results.report("soak.expiries_doubled", expiries.doubled.get(), "keys");
    // Delivered but never acknowledged to the writer: a write whose answer was lost while the database went down
    // may still have committed; its expiry is then rightly delivered.
    results.report("soak.expiries_of_unacknowledged_writes", expiries.unmatched.get(), "keys");
    results.report("soak.heap_trend_after_minute_1", slopePerMinute(heapByMinute), "MiB/minute");
    results.report("soak.child_kills", kills, "kills");
    results.report("soak.database_restarts", database.restarts(), "restarts");
    results.report("soak.template_versions", templateVersion.get(), "versions");
    processes.kill();
    engines.forEach(KeyExpiryEngine::close);
    threads.kill();
    database.close();
    LaunchedService.deleteTree(dir); // the embedded cluster's data
    results.environment("soak.end");
  }

  /** How long a delivery is remembered to recognise a second one: past the 60 s lease, with margin. */
  private static final long DOUBLE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(3);

  /** Least-squares slope of the heap over the minutes after the first (which includes the JIT and warm-up). */
  private static double slopePerMinute(List<Double> heap) {
    int n = heap.size() - 1;
    if (n < 2) {
      return 0;
    }
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 1; i <= n; i++) {
      double y = heap.get(i);
      sx += i;
      sy += y;
      sxx += (double) i * i;
      sxy += i * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  /** Resident memory of a child process (its whole JVM, not only its heap), from /proc. */
  private static double residentMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the child was just killed and replaced: no figure this minute
    }
    return 0;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static TenantId tenant(long i) {
    return TenantId.guild((5_000L + i % TENANTS) << 22);
  }

  /** Writes keys that expire 2-5 s later; an acknowledged write is one the engines must deliver once. */
  private static void writeKeys(KvStore kv, int perSecond, AtomicBoolean stop, AtomicLong written, AtomicLong refused,
      Expiries expected) {
    long start = System.nanoTime();
    long n = 0;
    while (!stop.get()) {
      long due = start + n * 1_000_000_000L / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      TenantId t = tenant(n);
      Instant expiresAt = Instant.now().plusMillis(2_000 + (n * 7_919) % 3_000);
      try {
        String id = kv.set(t, SCOPES, "k" + n, new KhronosValue.Int(n), expiresAt, false).id();
        // the engine's delivery id: key id and due time in microseconds
        expected.written(id + ":" + io.templateworker.storage.sql.Sql.epochMicros(io.templateworker.storage.sql.Sql.toMicros(expiresAt)));
        written.incrementAndGet();
      } catch (RuntimeException e) {
        refused.incrementAndGet(); // the database is down: the caller got an error, nothing was promised
      }
      n++;
    }
  }

  /** Every 10 s a new version of tenant 0's template, reloaded in both pools as the template routes do. */
  private void updateTemplates(List<WorkerLike> pools, AtomicBoolean stop) {
    while (!stop.get()) {
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
      templateVersion.incrementAndGet();
      for (WorkerLike pool : pools) {
        try {
          pool.reloadTemplates(tenant(0), "soak").get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // a reload racing a killed child fails; the replacement loads the new version anyway
        }
      }
    }
  }

  private TenantServices services(KvStore kv) {
    return BenchStores.readOnly(Set.of("E", "KeyExpiry"), tenant -> {
      String code = "return { E = function(ctx) return " + templateVersion.get() + " end,"
          + " KeyExpiry = function(ctx) return 1 end }";
      return List.of(BenchStores.template(tenant, "soak", code, List.of("E", "KeyExpiry"), List.of()));
    }, kv);
  }

  /**
   * Expiry deliveries through the thread pool, by delivery id (key id and due time). Bounded: a key is held from its
   * acknowledged write until its delivery, and a delivery for {@link #DOUBLE_WINDOW_NANOS} afterwards (a second
   * delivery comes after the 60 s lease of the first claim at the latest), so the bench's heap stays flat too.
   */
  private static final class Expiries implements KeyEventDispatcher {
    volatile KeyEventRouter router;
    /** Acknowledged writes not delivered yet. */
    final ConcurrentHashMap<String, Boolean> outstanding = new ConcurrentHashMap<>();
    /** Recent deliveries: delivery id to when. */
    final ConcurrentHashMap<String, Long> recentlyDelivered = new ConcurrentHashMap<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong doubled = new AtomicLong();
    final AtomicLong unmatched = new AtomicLong();

    void written(String deliveryId) {
      if (recentlyDelivered.containsKey(deliveryId)) {
        // delivered before this thread got to record the write (a stall of seconds on a loaded machine)
        unmatched.decrementAndGet();
        delivered.incrementAndGet();
      } else {
        outstanding.put(deliveryId, Boolean.TRUE);
      }
    }

    @Override
    public CompletionStage<Void> dispatch(KeyEvent event) {
      return router.dispatch(event).whenComplete((v, error) -> {
        if (error != null) {
          return; // the engine retries it
        }
        String id = event.deliveryId();
        if (outstanding.remove(id) != null) {
          delivered.incrementAndGet();
          recentlyDelivered.put(id, System.nanoTime());
        } else if (recentlyDelivered.containsKey(id)) {
          doubled.incrementAndGet();
        } else {
          unmatched.incrementAndGet();
          recentlyDelivered.put(id, System.nanoTime());
        }
      });
    }

    void forgetDeliveredBefore(long nanos) {
      recentlyDelivered.values().removeIf(at -> at - nanos < 0);
    }

    int bookkeepingEntries() {
      return outstanding.size() + recentlyDelivered.size();
    }
  }

  /** Paced events to one pool, every answer or failure counted, latencies kept per minute. */
  private static final class Sender {
    final String name;
    final WorkerLike pool;
    final int perSecond;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong minuteSent = new AtomicLong();
    final AtomicLong minuteAnswered = new AtomicLong();
    final AtomicLong minuteFailed = new AtomicLong();
    final java.util.concurrent.ConcurrentLinkedQueue<Long> latencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final Set<String> failures = ConcurrentHashMap.newKeySet();

    Sender(String name, WorkerLike pool, int perSecond) {
      this.name = name;
      this.pool = pool;
      this.perSecond = perSecond;
    }

    void run(AtomicBoolean stop) {
      long start = System.nanoTime();
      long n = 0;
      while (!stop.get()) {
        long due = start + n * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long t0 = System.nanoTime();
        sent.incrementAndGet();
        minuteSent.incrementAndGet();
        pool.dispatchEvent(tenant(n), EVENT).whenComplete((v, e) -> {
          if (e != null) {
            failed.incrementAndGet();
            minuteFailed.incrementAndGet();
            if (failures.size() < 5) {
              failures.add(String.valueOf(e.getMessage()));
            }
          } else {
            answered.incrementAndGet();
            minuteAnswered.incrementAndGet();
            latencies.add(System.nanoTime() - t0);
          }
        });
        n++;
      }
    }

    void report(Results results, String minute) {
      long[] lat = latencies.stream().mapToLong(Long::longValue).toArray();
      latencies.clear();
      Arrays.sort(lat);
      String p = minute + "." + name;
      results.report(p + ".sent", minuteSent.getAndSet(0), "events");
      results.report(p + ".answered", minuteAnswered.getAndSet(0), "events");
      results.report(p + ".failed", minuteFailed.getAndSet(0), "events");
      results.report(p + ".p99", lat.length == 0 ? 0 : lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] / 1e6, "ms");
    }

    void awaitAnswers(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (answered.get() + failed.get() < sent.get() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }

    void totals(Results results) {
      String p = "soak." + name;
      results.report(p + ".events_sent", sent.get(), "events");
      results.report(p + ".events_delivered", answered.get(), "events");
      results.report(p + ".events_failed", failed.get(), "events");
      results.report(p + ".events_lost", sent.get() - answered.get() - failed.get(), "events");
      for (String f : failures) {
        results.text(p + ".a_failure", f);
      }
    }
  }
}
