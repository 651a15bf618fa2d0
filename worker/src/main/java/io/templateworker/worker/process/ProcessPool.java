package io.templateworker.worker.process;

import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.server.MesophyllServer;
import io.templateworker.mesophyll.server.WorkerConnection;
import io.templateworker.mesophyll.server.WorkerTokens;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.Gauge;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerPool;
import io.templateworker.worker.vm.ErrorReporter;
import java.time.Duration;
import java.nio.file.Path;
import java.net.SocketAddress;

/**
 * N child worker processes behind one Mesophyll server on loopback; tenant {@code t} goes to child
 * {@code (t >> 22) % N}. The master keeps the database: children reach it through {@link MasterDbService}.
 */
public final class ProcessPool implements WorkerPool, MesophyllServer.Listener {
  private final ProcessPoolConfig config;
  private final ChildLauncher launcher;
  private final WorkerTokens tokens;
  private final MesophyllServer server;
  private final ProcessHandle[] handles;
  private final ErrorReporter log;
  private final Thread shutdownHook = new Thread(this::kill, "process-pool-shutdown");
  /** The latest gateway report per worker id; outlives the child that sent it, for the one replacing it. */
  private final java.util.concurrent.atomic.AtomicReferenceArray<com.fasterxml.jackson.databind.JsonNode> gatewayReports;
  private volatile Gauge.Tracking queueGauge;
  private volatile Gauge.Tracking childQueueGauge;
  private volatile Gauge.Tracking childVmGauge;

  public ProcessPool(ProcessPoolConfig config, TenantServices services, ChildLauncher launcher) {
    this(config, services, launcher, ErrorReporter.LOG);
  }

  /** @param log where the children's tenant logs (prints, template errors) go */
  public ProcessPool(ProcessPoolConfig config, TenantServices services, ChildLauncher launcher, ErrorReporter log) {
    this.log = log;
    this.config = config;
    this.launcher = launcher;
    this.tokens = WorkerTokens.generate(config.workers());
    this.gatewayReports = new java.util.concurrent.atomic.AtomicReferenceArray<>(config.workers());
    MasterDbService db = new MasterDbService(services, config.workers());
    this.server = new MesophyllServer(config.mesophyll(), tokens, this, (workerId, request) ->
        io.templateworker.mesophyll.protocol.DbOps.GATEWAY_REPORT.equals(request.op())
            ? orNullNode(gatewayReports.get(workerId)) : db.handle(workerId, request));
    this.handles = new ProcessHandle[config.workers()];
  }

  /** Starts the Mesophyll server and spawns every child; returns at once (see {@link #awaitConnected}). */
  public ProcessPool start() {
    return start("127.0.0.1", 0);
  }

  /**
   * Like {@link #start()} with the Mesophyll server on {@code host:port} ({@code addrs.mesophyll_server}; port 0 = any
   * free port). The children connect to it on loopback when {@code host} is a wildcard address.
   */
  public ProcessPool start(String host, int port) {
    int bound = server.start(host, port);
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String addr = (wildcard ? "127.0.0.1" : host) + ":" + bound;
    // The children run on this host: a Unix domain socket costs less per frame than TCP loopback (null: none here).
    Path socket = server.startUnixSocket();
    for (int i = 0; i < handles.length; i++) {
      handles[i] = new ProcessHandle(i, handles.length, config, launcher, tokens.tokenFor(i), addr, server::promoteStandby, log);
      handles[i].connectOver(socket);
    }
    for (ProcessHandle h : handles) {
      h.start();
    }
    // queue="process" is moved by ProcessHandle itself (+1 queued, -1 sent or failed).
    // The children's VMs and tenant lanes, as they report them (WorkerStats).
    childQueueGauge = WorkerMetrics.QUEUED_EVENTS.track("tenant", () -> {
      long waiting = 0;
      for (ProcessHandle h : handles) {
        waiting += h.childMetrics.queued();
      }
      return waiting;
    });
    childVmGauge = WorkerMetrics.LIVE_VMS.track(() -> {
      long vms = 0;
      for (ProcessHandle h : handles) {
        vms += h.childMetrics.vms();
      }
      return vms;
    });
    // Children watch their stdin too, but a normal JVM exit should take them down at once.
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    return this;
  }

  /** Waits until every child has connected; false on timeout. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle h : handles) {
      while (!h.isConnected()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(10);
      }
    }
    return true;
  }

  public ProcessHandle handle(int id) {
    return handles[id];
  }

  @Override
  public ProcessHandle workerFor(TenantId tenant) {
    return handles[tenant.workerOf(handles.length)];
  }

  public int mesophyllPort() {
    return server.port();
  }

  /** The Unix domain socket the children connect to, or null when they use TCP. */
  public Path mesophyllSocket() {
    return server.unixSocket();
  }

  /** The far end of a worker's live Mesophyll connection (its child's socket), or null while it has none. */
  SocketAddress childAddress(int workerId) {
    WorkerConnection c = server.connection(workerId);
    return c == null ? null : c.remoteAddress();
  }

  /** The token of a worker id (for tests that impersonate a child). */
  String tokenFor(int workerId) {
    return tokens.tokenFor(workerId);
  }

  @Override
  public void connected(WorkerConnection connection) {
    handles[connection.workerId()].connected(connection);
  }

  @Override
  public void standbyConnected(WorkerConnection connection) {
    handles[connection.workerId()].standbyConnected();
  }

  @Override
  public void disconnected(WorkerConnection connection, String reason) {
    handles[connection.workerId()].disconnected(connection, reason);
  }

  @Override
  public void log(WorkerConnection connection, Message.TenantLog entry) {
    TenantId tenant;
    try {
      tenant = Wire.tenant(entry.tenant());
    } catch (RuntimeException e) {
      return; // not a tenant id: nothing to file it under
    }
    if (tenant.workerOf(handles.length) != connection.workerId()) {
      return; // a worker may only write the logs of its own tenants
    }
    if ("print".equals(entry.kind())) {
      log.print(tenant, entry.template(), entry.message());
    } else {
      log.report(tenant, entry.template(), entry.event(), entry.message(), entry.traceback());
    }
  }

  @Override
  public void dispatched(WorkerConnection connection, Message.TenantDispatched dispatched) {
    TenantId tenant;
    CreateEvent event;
    KhronosValue results;
    try {
      tenant = Wire.tenant(dispatched.tenant());
      event = Wire.event(dispatched.event());
      results = Wire.value(dispatched.results());
    } catch (RuntimeException e) {
      return; // malformed: nothing to show
    }
    if (tenant.workerOf(handles.length) != connection.workerId()) {
      return; // a worker reports only its own tenants
    }
    log.dispatched(tenant, event, results);
  }

  @Override
  public void stats(WorkerConnection connection, Message.WorkerStats stats) {
    handles[connection.workerId()].childStats(stats.values());
  }

  @Override
  public void gateway(WorkerConnection connection, Message.GatewayReport report) {
    gatewayReports.set(connection.workerId(), report.shards());
  }

  /**
   * The gateway shards each child reported last ({@link Message.GatewayReport}), by worker id; null for a worker that
   * reported none (no gateway, or not connected yet). A crashed child's report stays until its replacement reports.
   */
  public java.util.List<com.fasterxml.jackson.databind.JsonNode> gatewayReports() {
    java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
    for (int i = 0; i < gatewayReports.length(); i++) {
      out.add(gatewayReports.get(i));
    }
    return out;
  }

  private static com.fasterxml.jackson.databind.JsonNode orNullNode(com.fasterxml.jackson.databind.JsonNode n) {
    return n == null ? Wire.NODES.nullNode() : n;
  }

  @Override
  public int len() {
    return handles.length;
  }

  @Override
  public void kill() {
    for (ProcessHandle h : handles) {
      if (h != null) {
        h.kill();
      }
    }
    server.close();
    for (Gauge.Tracking gauge : new Gauge.Tracking[] {queueGauge, childQueueGauge, childVmGauge}) {
      if (gauge != null) {
        gauge.close();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook running.
    }
  }
}
