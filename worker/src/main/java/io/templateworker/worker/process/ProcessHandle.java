package io.templateworker.worker.process;

import io.templateworker.mesophyll.protocol.Correlator;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessagePackWritable;
import io.templateworker.mesophyll.protocol.MsgPackWriter;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.mesophyll.server.WorkerConnection;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.ChildMetrics;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.vm.ErrorReporter;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;

/**
 * The master's handle on one child worker process. A supervisor thread spawns the child and respawns it when
 * it exits: at once after a healthy run, with backoff after a failed start, giving up after the configured
 * number of consecutive failures. Calls made while the child is down wait in a bounded queue and are sent, in
 * order, once the child connects again. A connected child has at most {@link ProcessPoolConfig#maxInFlight} calls
 * sent and not yet answered; beyond that new calls are refused at once, as a full tenant queue refuses them in the
 * thread pool (so the master's heap stays bounded when a child falls behind).
 *
 * <p>Delivery across crashes: the child acknowledges each dispatch and script when it starts running it
 * ({@code Started}). When its connection ends, every call it had not acknowledged (queued in the child, in the
 * socket, or sent after it died but before the master noticed) had no effect and goes back into the queue, in
 * its original order, for the replacement child; only calls that had started fail, with an error saying they may
 * have run (they are not replayed, so nothing runs twice). A call is redelivered at most
 * {@value #MAX_DELIVERIES} times.
 */
public final class ProcessHandle implements WorkerLike {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessHandle.class);

  static {
    // The master reads the values of its children's replies as template values straight off the wire.
    io.templateworker.mesophyll.protocol.MessageCodec.readReplyValuesWith(Wire.TAGGED_VALUES);
  }

  /** Deliveries of one call before it fails: each crash before it starts costs one. */
  static final int MAX_DELIVERIES = 4;

  private final int id;
  private final int workers;
  private final ProcessPoolConfig config;
  private final ChildLauncher launcher;
  private final String token;
  private final String mesophyllAddr;
  /** The Mesophyll server's Unix domain socket, which the children connect to; null: they use TCP. */
  private volatile Path mesophyllSocket;
  private final Object lock = new Object();
  /** Calls waiting for a child, oldest first (redelivered calls go back to their original place). */
  private final PriorityQueue<Outgoing> outbox = new PriorityQueue<>(Comparator.comparingLong((Outgoing o) -> o.seq));
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong redelivered = new AtomicLong();
  private final AtomicLong promotions = new AtomicLong();
  private WorkerConnection connection; // guarded by lock
  private volatile Process process;
  private volatile Process standby;
  /** Whether the current standby child's session has connected. */
  private volatile boolean standbyConnected;
  private volatile boolean killed;
  private volatile String gaveUp;
  private volatile boolean connectedSinceSpawn;
  private final AtomicInteger spawns = new AtomicInteger();
  private volatile long lastExitNanos;
  /** {@link System#nanoTime()} when the supervisor last saw a child exit, and when a child last connected; 0 before. */
  private volatile long exitSeenAt;
  private volatile long connectedAt;
  private volatile long lastRecoveryNanos = -1;
  /** The running child's own metrics (VMs, lanes, plugin calls), as it last reported them. */
  final ChildMetrics childMetrics = new ChildMetrics();
  /** The running child's collector pauses as it last reported them, the longest since last taken, and the reports. */
  private final Object childGcLock = new Object();
  private GcPauses.Snapshot childGc = new GcPauses.Snapshot(0, 0, 0, 0);
  private long childGcLongestMs;
  private volatile long childAllocatedBytes = -1;
  private final AtomicLong statsReports = new AtomicLong();
  private Thread supervisor;
  private final ErrorReporter reporter;
  /** Promotes this worker's connected standby session ({@code MesophyllServer.promoteStandby}); false if none. */
  private final java.util.function.IntPredicate promoteStandby;

  ProcessHandle(int id, int workers, ProcessPoolConfig config, ChildLauncher launcher, String token, String mesophyllAddr) {
    this(id, workers, config, launcher, token, mesophyllAddr, worker -> false);
  }

  ProcessHandle(int id, int workers, ProcessPoolConfig config, ChildLauncher launcher, String token, String mesophyllAddr,
      java.util.function.IntPredicate promoteStandby) {
    this(id, workers, config, launcher, token, mesophyllAddr, promoteStandby, ErrorReporter.LOG);
  }

  /** @param reporter told the results of each event a child answered ({@link ErrorReporter#dispatched}) */
  ProcessHandle(int id, int workers, ProcessPoolConfig config, ChildLauncher launcher, String token, String mesophyllAddr,
      java.util.function.IntPredicate promoteStandby, ErrorReporter reporter) {
    this.reporter = reporter;
    this.promoteStandby = promoteStandby;
    this.id = id;
    this.workers = workers;
    this.config = config;
    this.launcher = launcher;
    this.token = token;
    this.mesophyllAddr = mesophyllAddr;
  }

  /** Children started from now on connect to the master's Unix domain socket {@code socket} (null: over TCP). */
  void connectOver(Path socket) {
    this.mesophyllSocket = socket;
  }

  void start() {
    supervisor = Thread.ofVirtual().name("worker-" + id + "-supervisor").start(this::supervise);
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public int len() {
    return 0;
  }

  /** True while the child has a live Mesophyll session. */
  public boolean isConnected() {
    synchronized (lock) {
      return connection != null;
    }
  }

  /** How many times a child was started for this worker. */
  public int spawns() {
    return spawns.get();
  }

  /** Calls waiting for the child to come back. */
  public int queued() {
    synchronized (lock) {
      return outbox.size();
    }
  }

  /** Calls sent to the connected child and not yet answered (0 while none is connected). */
  public int inFlight() {
    synchronized (lock) {
      return connection == null ? 0 : connection.inFlight();
    }
  }

  /** The running child's process id, or -1. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** True when the waiting standby child has connected its standby session (it is warm and can take over). */
  public boolean standbyReady() {
    return standbyConnected && standbyPid() > 0;
  }

  void standbyConnected() {
    standbyConnected = true;
  }

  /** The waiting standby child's process id, or -1. */
  public long standbyPid() {
    Process s = standby;
    return s == null || !s.isAlive() ? -1 : s.pid();
  }

  /** Takeovers by a standby child whose already-connected session was promoted (no new connection). */
  public long standbyPromotions() {
    return promotions.get();
  }

  /** Takes a stats snapshot the child sent (about once a second). */
  void childStats(Map<String, Long> values) {
    childMetrics.update(values);
    GcPauses.Snapshot gc = GcPauses.Snapshot.of(values);
    synchronized (childGcLock) {
      childGc = gc;
      childGcLongestMs = Math.max(childGcLongestMs, gc.longestMs());
    }
    childAllocatedBytes = GcPauses.allocatedOf(values);
    statsReports.incrementAndGet();
  }

  /**
   * The child's collector pauses as of its last stats report (count and total since it started), with the longest
   * reported since the previous call, which this resets.
   */
  public GcPauses.Snapshot takeChildGcPauses() {
    synchronized (childGcLock) {
      GcPauses.Snapshot out = new GcPauses.Snapshot(childGc.count(), childGc.totalMs(), childGcLongestMs,
          childGc.concurrentCycles());
      childGcLongestMs = 0;
      return out;
    }
  }

  /**
   * Heap bytes the running child had allocated (since it started) as of its last stats report; -1 before one. A
   * replacement child starts again from zero.
   */
  public long childAllocatedBytes() {
    return childAllocatedBytes;
  }

  /** Stats reports received from this worker's children so far. */
  public long statsReports() {
    return statsReports.get();
  }

  /** Calls sent again to a replacement child because the one they were sent to died before starting them. */
  public long redelivered() {
    return redelivered.get();
  }

  /** {@link System#nanoTime()} when the supervisor last saw its child exit (0 before any exit). */
  public long exitSeenAt() {
    return exitSeenAt;
  }

  /** {@link System#nanoTime()} when a child last connected (0 before any). */
  public long connectedAt() {
    return connectedAt;
  }

  /** Nanoseconds from the last child exit to its replacement's connection; -1 before any recovery. */
  public long lastRecoveryNanos() {
    return lastRecoveryNanos;
  }

  @Override
  public CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    deliver(new Dispatch(tenant, event, reply));
    return reply;
  }

  @Override
  public void dispatchEventNoWait(TenantId tenant, CreateEvent event) {
    deliver(new Dispatch(tenant, event, null));
  }

  @Override
  public CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    deliver(new Script(tenant, name, code, event, reply));
    return reply;
  }

  @Override
  public CompletableFuture<Void> dropTenant(TenantId tenant) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    deliver(new Drop(tenant, reply));
    return reply.thenApply(v -> null);
  }

  @Override
  public CompletableFuture<Void> reloadTemplates(TenantId tenant, String name) {
    CompletableFuture<KhronosValue> reply = new CompletableFuture<>();
    deliver(new Reload(tenant, name, reply));
    return reply.thenApply(v -> null);
  }

  @Override
  public void kill() {
    killed = true;
    Thread s = supervisor;
    if (s != null) {
      s.interrupt();
    }
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
    Process spare = standby;
    if (spare != null) {
      spare.destroyForcibly();
    }
    failQueued("worker " + id + " has been stopped");
  }

  private void deliver(Outgoing out) {
    String down = gaveUp;
    if (killed || down != null) {
      out.refuse(killed ? "worker " + id + " has been stopped" : down);
      return;
    }
    synchronized (lock) {
      if (connection != null && outbox.isEmpty()) {
        if (out.capped() && connection.inFlight() >= config.maxInFlight()) {
          out.refuse("worker " + id + " is busy: its child process already has " + config.maxInFlight()
              + " calls in flight; this one was refused (the worker is behind the event rate; retry later)");
          return;
        }
        if (send(connection, out)) {
          return;
        }
      }
      if (outbox.size() >= config.maxQueued()) {
        out.refuse("worker " + id + " is restarting and already holds " + config.maxQueued()
            + " queued calls; this one was refused (retry once the worker is back)");
        return;
      }
      queue(out);
    }
  }

  /** Puts back a call the dead child never started; it goes out again, in its place, once a child connects. */
  private void redeliver(Outgoing out) {
    String down = gaveUp;
    if (killed || down != null) {
      out.fail(killed ? "worker " + id + " has been stopped" : down);
      return;
    }
    if (out.deliveries >= MAX_DELIVERIES) {
      out.fail("not run: the worker's child process died " + out.deliveries + " times before starting it");
      return;
    }
    redelivered.incrementAndGet();
    synchronized (lock) {
      queue(out); // not counted against the queue limit: it was accepted already
      if (connection != null) {
        flush(connection);
      }
    }
  }

  /** Caller holds the lock. */
  private void queue(Outgoing out) {
    outbox.add(out);
    WorkerMetrics.QUEUED_EVENTS.add("process", 1);
  }

  /** Sends the queued calls in order while the connection takes them; returns how many left. Caller holds the lock. */
  private int flush(WorkerConnection conn) {
    int flushed = 0;
    while (!outbox.isEmpty()) {
      if (!send(conn, outbox.peek())) {
        break;
      }
      outbox.poll();
      WorkerMetrics.QUEUED_EVENTS.add("process", -1);
      flushed++;
    }
    return flushed;
  }

  /** Sends one call on the connection; false when the connection is already unusable. Caller holds the lock. */
  private boolean send(WorkerConnection conn, Outgoing out) {
    long reqId = conn.newRequestId();
    try {
      // Counted before the request: a reply may come (and complete this call) before request returns.
      out.deliveries++;
      java.nio.ByteBuffer encoded = out.encoded(reqId);
      if (encoded != null) {
        conn.request(reqId, encoded, out);
      } else {
        conn.request(reqId, out.message(reqId), out);
      }
      return true;
    } catch (MesophyllException e) {
      out.deliveries--; // never reached the child
      connection = null;
      return false;
    }
  }

  void connected(WorkerConnection conn) {
    synchronized (lock) {
      connection = conn;
      connectedSinceSpawn = true;
      connectedAt = System.nanoTime();
      if (lastExitNanos != 0) {
        lastRecoveryNanos = System.nanoTime() - lastExitNanos;
        lastExitNanos = 0;
      }
      int flushed = flush(conn);
      if (flushed > 0) {
        LOG.info("worker={}: delivered {} calls queued while it was down", id, flushed);
      }
    }
  }

  void disconnected(WorkerConnection conn, String reason) {
    synchronized (lock) {
      if (connection == conn) {
        connection = null;
      }
    }
    childMetrics.childGone();
    if (reason.contains("heartbeat")) {
      Process p = process;
      if (p != null) {
        LOG.warn("worker={}: child pid {} is unresponsive ({}); killing it so it is replaced", id, p.pid(), reason);
        p.destroyForcibly();
      }
    }
  }

  private void supervise() {
    int failures = 0;
    while (!killed) {
      connectedSinceSpawn = false;
      Process p;
      try {
        p = activateStandby();
        if (p == null) {
          p = launcher.start(id, workers, token, mesophyllAddr, mesophyllSocket, false);
        }
      } catch (IOException | RuntimeException e) {
        failures++;
        if (worthLogging(failures)) {
          LOG.error("worker={}: could not start its child process ({}), failure {} of {}{}", id, e.toString(), failures,
              config.maxFailures(), failures > 1 ? " (logged at failures 1, 2, 4, 8, ...)" : "");
        }
        if (!backOff(failures)) {
          return;
        }
        continue;
      }
      process = p;
      if (spawns.incrementAndGet() > 1) {
        WorkerMetrics.PROCESS_RESTARTS.inc("process");
      }
      LOG.info("worker={}: child started, pid {}", id, p.pid());
      prepareStandbyOnceServing(p);
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Process s = standby;
        if (s != null) {
          s.destroyForcibly();
        }
        return;
      }
      lastExitNanos = System.nanoTime();
      exitSeenAt = lastExitNanos;
      if (killed) {
        return;
      }
      failures = connectedSinceSpawn ? 0 : failures + 1;
      if (worthLogging(failures)) {
        LOG.warn("worker={}: child pid {} exited with code {}{}", id, p.pid(), code,
            failures == 0 ? "; respawning now" : " before connecting, failure " + failures + " of " + config.maxFailures());
      }
      if (failures > 0 && !backOff(failures)) {
        return;
      }
    }
  }

  /**
   * A failure that repeats at every back-off (java removed, disk full) is logged when it starts and then at doubling
   * counts: visible, without a line per retry. A crash after a healthy run (0 consecutive failures) is always logged.
   */
  private static boolean worthLogging(int consecutiveFailures) {
    return consecutiveFailures <= 1 || Integer.bitCount(consecutiveFailures) == 1;
  }

  /**
   * Hands the worker to the waiting standby child, if a live one exists (null otherwise): its standby session is
   * promoted when it has connected one (no new connection: calls flow at once), else it is told to connect.
   */
  private Process activateStandby() {
    Process s = standby;
    standby = null;
    if (s == null || !s.isAlive()) {
      return null;
    }
    process = s; // before the promotion: its connection is reported (connected) at once
    if (promoteStandby.test(id)) {
      promotions.incrementAndGet();
      return s;
    }
    try {
      s.getOutputStream().write((ChildLauncher.GO + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return s;
    } catch (IOException e) {
      LOG.warn("worker={}: standby child pid {} could not be woken ({}); starting a fresh one", id, s.pid(), e.toString());
      s.destroyForcibly();
      return null;
    }
  }

  /**
   * Starts the next standby child once {@code active} has connected and served for {@link #STANDBY_SETTLE}: a JVM
   * starting and warming up takes a core, which the replacement that just took over needs more (on 2 cores the
   * first answered event after a {@code kill -9} took seconds while the next standby warmed up beside it).
   */
  private void prepareStandbyOnceServing(Process active) {
    if (!config.standby() || killed) {
      return;
    }
    Thread.ofVirtual().name("worker-" + id + "-standby").start(() -> {
      try {
        while (!connectedSinceSpawn && active.isAlive() && !killed) {
          Thread.sleep(20);
        }
        Thread.sleep(STANDBY_SETTLE.toMillis());
        // While this child serves, keep a standby: one that died (e.g. its session missed heartbeats on a starved
        // machine) is replaced, with a growing pause so a standby that cannot start does not spin.
        int deaths = 0;
        boolean started = false;
        while (process == active && active.isAlive() && !killed) {
          Process spare = standby;
          if (spare == null || !spare.isAlive()) {
            if (started) {
              deaths++;
              LOG.warn("worker={}: {}; starting another in {} s", id, spare == null ? "no standby child could be started"
                  : "standby child pid " + spare.pid() + " exited with code " + spare.exitValue(), 5 * Math.min(deaths, 6));
              Thread.sleep(5_000L * Math.min(deaths, 6));
              if (process != active || !active.isAlive() || killed || standby != spare) {
                break;
              }
            }
            started = true;
            prepareStandby();
          }
          Thread.sleep(1_000);
        }
      } catch (InterruptedException e) {
        // Stopping.
      }
    });
  }

  /** How long a child serves before its standby starts. */
  static final java.time.Duration STANDBY_SETTLE = java.time.Duration.ofSeconds(2);

  /** Starts the next standby child while this one runs, so a crash is covered by an already warm JVM. */
  private void prepareStandby() {
    if (!config.standby() || killed) {
      return;
    }
    try {
      standbyConnected = false;
      Process spare = launcher.start(id, workers, token, mesophyllAddr, mesophyllSocket, true);
      standby = spare;
      if (killed) { // kill() ran while we were starting it
        spare.destroyForcibly();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("worker={}: could not start a standby child ({}); a crash will need a cold start", id, e.toString());
    }
  }

  /** Sleeps before the next attempt; returns false (and gives up) once failures reach the limit. */
  private boolean backOff(int failures) {
    if (failures >= config.maxFailures()) {
      gaveUp = "worker " + id + " gave up after " + failures + " consecutive failed child starts; check the child's"
          + " output above and restart the service";
      LOG.error(gaveUp);
      failQueued(gaveUp);
      return false;
    }
    long millis = config.respawnBackoff().toMillis() * Math.min(failures, config.backoffCap());
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
      return !killed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void failQueued(String reason) {
    synchronized (lock) {
      Outgoing out;
      while ((out = outbox.poll()) != null) {
        WorkerMetrics.QUEUED_EVENTS.add("process", -1);
        out.refuse(reason);
      }
    }
  }

  /** One call to the child: builds its message and completes its caller from the reply. */
  private abstract class Outgoing implements Correlator.Waiter<Message.DispatchResponse> {
    final TenantId tenant;
    final CompletableFuture<KhronosValue> reply;
    /** Order of arrival: the queue keeps it across redeliveries. */
    final long seq = sequence.incrementAndGet();
    /** Times sent to a child; only touched under the lock or by the one completion of the last send. */
    int deliveries;

    Outgoing(TenantId tenant, CompletableFuture<KhronosValue> reply) {
      this.tenant = tenant;
      this.reply = reply;
    }

    abstract Message message(long reqId);

    /** The message's bytes if this call writes them itself (null: {@link #message} is encoded). */
    java.nio.ByteBuffer encoded(long reqId) {
      return null;
    }

    /** Names the call in errors (built only when one is reported). */
    @Override
    public abstract String what();

    /**
     * Whether the in-flight cap refuses this call. Reloads and drops are not refused: a refused reload would leave the
     * child running a template its owner already replaced, and both come at the rate of template saves, not events.
     */
    boolean capped() {
      return redeliverable();
    }

    /** Only dispatches and scripts are acknowledged when they start; the others are never redelivered. */
    boolean redeliverable() {
      return false;
    }

    @Override
    public void accept(Message.DispatchResponse response, Throwable error) {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MesophyllException m && m.notStarted()) {
          if (redeliverable()) {
            redeliver(this);
          } else { // never acknowledged, so "not started" says nothing about it
            outcome(WorkerMetrics.RESULT_ERROR);
            fail("the connection to its child process ended before it answered; it may or may not have run");
          }
          return;
        }
        outcome(WorkerMetrics.RESULT_ERROR);
        fail(cause.getMessage());
      } else if (response.ok()) {
        KhronosValue value = Wire.value(response.value());
        outcome(value instanceof KhronosValue.Null ? WorkerMetrics.RESULT_FILTERED : WorkerMetrics.RESULT_OK);
        answered(value);
        if (reply != null) {
          reply.complete(value);
        }
      } else {
        outcome(WorkerMetrics.RESULT_ERROR);
        fail(response.error());
      }
    }

    /** The child answered; called before the caller is completed. */
    void answered(KhronosValue value) {}

    /** Fails a call that never reached the child. */
    void refuse(String why) {
      outcome(WorkerMetrics.RESULT_REFUSED);
      fail(why);
    }

    /** Counts the call's outcome where it is one the worker metrics count (events; not scripts or reloads). */
    void outcome(String result) {}

    void fail(String why) {
      String message = what() + " for tenant " + tenant + " on worker " + id + ": " + why;
      if (reply != null) {
        reply.completeExceptionally(new WorkerException(message));
      } else {
        LOG.warn("{}", message);
      }
    }
  }

  private final class Dispatch extends Outgoing implements MessagePackWritable {
    final CreateEvent event;

    Dispatch(TenantId tenant, CreateEvent event, CompletableFuture<KhronosValue> reply) {
      super(tenant, reply);
      this.event = event;
    }

    @Override
    java.nio.ByteBuffer encoded(long reqId) {
      return Wire.encodeDispatch(tenant, event, reqId, this);
    }

    @Override
    public boolean writeMessagePack(MsgPackWriter out) {
      return Wire.writeEventData(out, event);
    }

    @Override
    Message message(long reqId) {
      return new Message.DispatchEvent(Wire.tenant(tenant), Wire.event(event), reqId);
    }

    @Override
    public String what() {
      return "event " + event.name();
    }

    @Override
    boolean redeliverable() {
      return true;
    }

    @Override
    void outcome(String result) {
      WorkerMetrics.EVENTS_DISPATCHED.inc(result);
    }

    /** The event's results, for the master's reporter (the child sends none for events the master sent it). */
    @Override
    void answered(KhronosValue value) {
      boolean ran = !(value instanceof KhronosValue.Null) && !(value instanceof KhronosValue.ListValue list && list.items().isEmpty());
      if (ran) { // as in-process: a filtered event, or one no template listens to, is not reported
        reporter.dispatched(tenant, event, value);
      }
    }
  }

  private final class Script extends Outgoing {
    final String name;
    final String code;
    final CreateEvent event;

    Script(TenantId tenant, String name, String code, CreateEvent event, CompletableFuture<KhronosValue> reply) {
      super(tenant, reply);
      this.name = name;
      this.code = code;
      this.event = event;
    }

    @Override
    Message message(long reqId) {
      return new Message.RunScript(Wire.tenant(tenant), name, code, Wire.event(event), reqId);
    }

    @Override
    public String what() {
      return "script " + name;
    }

    @Override
    boolean redeliverable() {
      return true;
    }
  }

  private final class Reload extends Outgoing {
    final String name;

    Reload(TenantId tenant, String name, CompletableFuture<KhronosValue> reply) {
      super(tenant, reply);
      this.name = name;
    }

    @Override
    Message message(long reqId) {
      return new Message.ReloadTemplates(Wire.tenant(tenant), name, reqId);
    }

    @Override
    public String what() {
      return "template reload";
    }
  }

  private final class Drop extends Outgoing {
    Drop(TenantId tenant, CompletableFuture<KhronosValue> reply) {
      super(tenant, reply);
    }

    @Override
    Message message(long reqId) {
      return new Message.DropWorker(Wire.tenant(tenant), reqId);
    }

    @Override
    public String what() {
      return "drop";
    }
  }
}
