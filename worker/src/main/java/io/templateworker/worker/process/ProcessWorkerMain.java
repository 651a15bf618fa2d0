package io.templateworker.worker.process;

import io.templateworker.mesophyll.client.MesophyllClient;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.thread.WorkerThread;
import io.templateworker.worker.vm.IsolateFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;

/**
 * The body of a process-pool child ({@code --worker-type processpoolworker}): one {@link WorkerThread} whose
 * stores are proxies to the master, driven by the master's Mesophyll requests. The child exits when its stdin
 * reaches end-of-file, which happens when the master dies however it dies, so children never outlive it.
 */
public final class ProcessWorkerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkerMain.class);

  /**
   * What a child runs beside its worker, e.g. the gateway client for its own shards (gateway events never cross
   * Mesophyll).
   */
  public interface Extension {
    /** Nothing beside the worker. */
    Extension NONE = new Extension() {};

    /** The bot user templates see as {@code ctx.current_user}, read at each event. */
    default Supplier<KhronosValue> currentUser() {
      return () -> KhronosValue.Null.INSTANCE;
    }

    /** Called once, when the worker serves (after a standby child was told to go): start feeding it. */
    default void serving(WorkerLike worker) {}

    /**
     * As {@link #serving(WorkerLike)}, with the last gateway report the master kept for this worker id (sent by the
     * child this one replaces, or null): the sessions to resume. Asking the master costs a round trip, so it happens
     * only when called.
     */
    default void serving(WorkerLike worker, Supplier<com.fasterxml.jackson.databind.JsonNode> lastGatewayReport) {
      serving(worker);
    }

    /**
     * What this child's gateway looks like now ({@link Message.GatewayReport}'s {@code shards}), or null for no
     * gateway. Polled about ten times a second; sent when {@code sessionsOf} of it changed, and once a second anyway.
     */
    default com.fasterxml.jackson.databind.JsonNode gatewayReport() {
      return null;
    }
  }

  private final int workerId;
  /** A standby child's takeover: "activate" (its standby session was promoted) or "go" (told on stdin). */
  private final java.util.concurrent.CompletableFuture<String> takeover = new java.util.concurrent.CompletableFuture<>();
  private final MesophyllClient client;
  private final WorkerThread worker;
  private final RemoteLog log;
  private final Extension extension;

  private ProcessWorkerMain(int workerId, int workers, String token, String addr, IsolateFactory isolates, WorkerConfig config,
      Extension extension) {
    this.extension = extension;
    this.workerId = workerId;
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(ChildLauncher.ADDR_ENV + " must be host:port, got '" + addr + "'");
    }
    String socket = System.getenv(ChildLauncher.SOCKET_ENV);
    this.client = new MesophyllClient(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)),
        socket == null ? null : Path.of(socket), workerId, token, Duration.ofMillis(250), Duration.ofSeconds(30),
        new MesophyllClient.Handler() {
          @Override
          public void onMessage(Message message) {
            ProcessWorkerMain.this.onMessage(message);
          }

          @Override
          public void connectionLost(String reason) {
            if (!takeover.isDone() && ProcessWorkerMain.this.client.isStandby()) {
              // The master closed our standby session (replaced, or shutting down): a newer standby, or none, is its
              // choice; this JVM is not needed any more.
              LOG.info("worker={}: standby session ended ({}); exiting", ProcessWorkerMain.this.workerId, reason);
              Runtime.getRuntime().halt(0);
            }
          }
        });
    this.log = new RemoteLog(client);
    this.worker = new WorkerThread(workerId, workers, config, new RemoteStores(client).services(), isolates,
        log, extension.currentUser(), WorkerThread.newTimer());
  }

  /**
   * Runs a child: reads {@code --worker-id} and {@code --process-workers} from {@code args} and the token and
   * master address from the environment, then serves until the master goes away. Does not return.
   */
  public static void run(String[] args, IsolateFactory isolates, WorkerConfig config) {
    run(intArg(args, "--worker-id"), intArg(args, "--process-workers"), isolates, config);
  }

  /** As {@link #run(String[], IsolateFactory, WorkerConfig)} with the worker id and count already parsed. */
  public static void run(int id, int workers, IsolateFactory isolates, WorkerConfig config) {
    run(id, workers, isolates, config, Extension.NONE);
  }

  /** As {@link #run(int, int, IsolateFactory, WorkerConfig)}, with {@code extension} beside the worker. */
  public static void run(int id, int workers, IsolateFactory isolates, WorkerConfig config, Extension extension) {
    String token = System.getenv(ChildLauncher.TOKEN_ENV);
    String addr = System.getenv(ChildLauncher.ADDR_ENV);
    if (token == null || addr == null) {
      System.err.println("processpoolworker: " + ChildLauncher.TOKEN_ENV + " and " + ChildLauncher.ADDR_ENV
          + " must be set; this mode is started by the process pool, not by hand");
      Runtime.getRuntime().halt(2);
    }
    MessageCodec.readEventDataWith(Wire.EVENT_DATA);
    ProcessWorkerMain main = new ProcessWorkerMain(id, workers, token, addr, isolates, config, extension);
    java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.US_ASCII));
    if ("1".equals(System.getenv(ChildLauncher.STANDBY_ENV))) {
      StandbyWarmUp.run(isolates, config);
      main.standBy(stdin);
    } else {
      watchMaster(stdin);
    }
    main.serve();
  }

  /**
   * A standby child, warm: connects as the worker's standby and waits until the master promotes that session
   * ({@link Message.Activate}: the takeover needs no new connection) or writes {@value ChildLauncher#GO} on stdin
   * (it had no standby session to promote: this child then connects as usual). Exits when the master goes away.
   */
  private void standBy(java.io.BufferedReader stdin) {
    Thread.ofPlatform().daemon().name("master-watch").start(() -> {
      awaitGo(stdin); // returns on "go"; exits on end-of-file
      takeover.complete(ChildLauncher.GO);
      watchMasterHere(stdin);
    });
    try {
      client.connectStandby();
    } catch (MesophyllException e) {
      LOG.warn("worker={}: could not connect as a standby ({}); waiting to be told to go", workerId, e.getMessage());
    }
    if (ChildLauncher.GO.equals(takeover.join()) && client.isStandby()) {
      client.leaveStandby();
    }
  }

  private void serve() {
    try {
      client.connect(); // returns at once when a promoted standby session is live
    } catch (MesophyllException e) {
      // Exiting lets the master count a failed start and back off, instead of a child spinning on its own.
      LOG.error("worker={}: {}", workerId, e.getMessage());
      Runtime.getRuntime().halt(3);
    }
    LOG.info("worker={}: connected to the master", workerId);
    worker.start();
    Thread.ofVirtual().name("worker-" + workerId + "-stats").start(this::sendStats);
    Thread.ofVirtual().name("worker-" + workerId + "-gateway-report").start(this::sendGatewayReports);
    try {
      extension.serving(worker, this::lastGatewayReport);
    } catch (RuntimeException e) {
      LOG.error("worker={}: starting what runs beside the worker failed: {}", workerId, e.toString(), e);
    }
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends this child's own metrics to the master once a second (only the master's /metrics is scraped). */
  private void sendStats() {
    GcPauses.own(); // listening from the start, so the first report's longest pause is true
    while (true) {
      try {
        Thread.sleep(STATS_INTERVAL_MS);
        java.util.Map<String, Long> stats = io.templateworker.runtime.metrics.WorkerMetrics.childSnapshot();
        GcPauses.own().addTo(stats);
        client.send(new io.templateworker.mesophyll.protocol.Message.WorkerStats(stats));
      } catch (InterruptedException e) {
        return;
      } catch (MesophyllException e) {
        LOG.debug("worker={}: metrics not sent: {}", workerId, e.getMessage());
      }
    }
  }

  static final long STATS_INTERVAL_MS = 1000;
  static final long GATEWAY_REPORT_POLL_MS = 100;

  /** The master's copy of this worker id's last gateway report, or null (none, or the master could not be asked). */
  private com.fasterxml.jackson.databind.JsonNode lastGatewayReport() {
    try {
      com.fasterxml.jackson.databind.JsonNode r = client.db(io.templateworker.mesophyll.protocol.DbOps.GATEWAY_REPORT, null,
          Wire.NODES.nullNode());
      return r == null || r.isNull() ? null : r;
    } catch (RuntimeException e) {
      LOG.warn("worker={}: the master's last gateway report could not be read ({}); identifying afresh", workerId, e.getMessage());
      return null;
    }
  }

  /**
   * Reports the gateway to the master: as soon as a session moved on (seen within {@value #GATEWAY_REPORT_POLL_MS} ms,
   * so a replacement resumes close to where this child stopped), and once a second for the figures.
   */
  private void sendGatewayReports() {
    com.fasterxml.jackson.databind.JsonNode lastSessions = null;
    long lastSent = 0;
    while (true) {
      try {
        Thread.sleep(GATEWAY_REPORT_POLL_MS);
        com.fasterxml.jackson.databind.JsonNode report = extension.gatewayReport();
        if (report == null) {
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode sessions = sessionsOf(report);
        long now = System.nanoTime();
        if (!sessions.equals(lastSessions) || now - lastSent >= STATS_INTERVAL_MS * 1_000_000L) {
          client.send(new Message.GatewayReport(report));
          lastSessions = sessions;
          lastSent = now;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.debug("worker={}: gateway report not sent: {}", workerId, e.getMessage());
      }
    }
  }

  /** The part of a report that must reach the master at once: each shard's session id and sequence number. */
  static com.fasterxml.jackson.databind.JsonNode sessionsOf(com.fasterxml.jackson.databind.JsonNode report) {
    com.fasterxml.jackson.databind.node.ArrayNode out = Wire.NODES.arrayNode();
    for (com.fasterxml.jackson.databind.JsonNode shard : report.path("shards")) {
      out.addObject().put("id", shard.path("id").asInt()).put("session_id", shard.path("session_id").asText(""))
          .put("seq", shard.path("seq").asLong());
    }
    return out;
  }

  /** The standby warm-up failed: the child still takes over, only colder. */
  static void warmUpFailed(Throwable e) {
    LOG.warn("standby warm-up failed ({}); continuing cold", e.toString());
  }

  /** Blocks a standby child until the master says go; exits if the master goes away first. */
  private static void awaitGo(java.io.BufferedReader stdin) {
    try {
      String line;
      while ((line = stdin.readLine()) != null) {
        if (ChildLauncher.GO.equals(line.trim())) {
          return;
        }
      }
    } catch (IOException ignored) {
      // Same as end-of-file.
    }
    Runtime.getRuntime().halt(0);
  }

  /** Exits as soon as the master's end of our stdin closes (the master exited or was killed). */
  private static void watchMaster(java.io.Reader stdin) {
    Thread.ofPlatform().daemon().name("master-watch").start(() -> watchMasterHere(stdin));
  }

  private static void watchMasterHere(java.io.Reader stdin) {
    try {
      while (stdin.read() >= 0) {
        // Nothing more is expected from the master; any input is ignored.
      }
    } catch (IOException ignored) {
      // Same as end-of-file.
    }
    LOG.warn("master is gone (stdin closed); exiting");
    Runtime.getRuntime().halt(0);
  }

  private static int intArg(String[] args, String name) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IllegalArgumentException("processpoolworker needs " + name + " <number>");
  }

  private void onMessage(Message message) {
    long session = client.session(); // the session this request arrived on: replies and acks go only there
    switch (message) {
      case Message.DispatchEvent e -> {
        TenantId tenant = Wire.tenant(e.tenant());
        if (e.reqId() == null) {
          worker.dispatchEventNoWait(tenant, Wire.event(e.event()));
        } else {
          Reply<KhronosValue> reply = new Reply<>(e.reqId(), session);
          // The master reports the results it gets in the reply: they are not sent to it a second time.
          worker.dispatchEvent(tenant, Wire.event(e.event()), reply, false, reply);
        }
      }
      case Message.RunScript r -> {
        Reply<KhronosValue> reply = new Reply<>(r.reqId(), session);
        worker.runScript(Wire.tenant(r.tenant()), r.name(), r.code(), Wire.event(r.event()), reply).whenComplete(reply);
      }
      case Message.Activate a -> {
        LOG.info("worker={}: standby promoted; serving", workerId);
        takeover.complete("activate");
      }
      case Message.DropWorker d -> worker.dropTenant(Wire.tenant(d.tenant())).whenComplete(new Reply<>(d.reqId(), session));
      case Message.ReloadTemplates r -> worker.reloadTemplates(Wire.tenant(r.tenant()), r.name())
          .whenComplete(new Reply<>(r.reqId(), session));
      default -> LOG.warn("worker={}: ignoring unexpected {} from the master", workerId, message.getClass().getSimpleName());
    }
  }

  /**
   * Acknowledges the start of one request (as its start check) and sends its outcome back to the master, both only
   * on the session it arrived on: once that session has ended the master redelivers what was not acknowledged, so
   * this child must not run it.
   */
  private final class Reply<T> implements BiConsumer<T, Throwable>, java.util.function.BooleanSupplier {
    private final long reqId;
    private final long session;

    Reply(long reqId, long session) {
      this.reqId = reqId;
      this.session = session;
    }

    @Override
    public boolean getAsBoolean() {
      return client.sendStartedIfSession(session, reqId);
    }

    @Override
    public void accept(T value, Throwable error) {
      boolean sent;
      if (error != null) {
        Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        sent = client.sendIfSession(session, Message.DispatchResponse.err(reqId, reasonOf(cause)));
      } else {
        KhronosValue result = value instanceof KhronosValue v ? v : KhronosValue.Null.INSTANCE;
        // Its bytes written straight from the value when it can (the message and the tree around the value are not made).
        java.nio.ByteBuffer encoded = Wire.encodeReply(reqId, result);
        sent = encoded != null ? client.sendReplyIfSession(session, reqId, encoded)
            : client.sendIfSession(session, Message.DispatchResponse.ok(reqId, Wire.encodable(result)));
      }
      if (!sent) {
        LOG.debug("worker={}: reply to request {} not sent: its Mesophyll session has ended", workerId, reqId);
      }
    }

    /** The failure as the caller will read it; an exception without a message is logged here, not sent as "null". */
    private String reasonOf(Throwable cause) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
      LOG.warn("worker={}: request {} failed without a message", workerId, reqId, cause);
      return "worker " + workerId + " failed on this request without saying why (an internal error: its log has the details)";
    }
  }
}
