package io.templateworker.mesophyll.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.templateworker.mesophyll.protocol.MalformedFrameException;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesophyll server, run by the master on loopback at a random port (and, with {@link #startUnixSocket}, on a Unix
 * domain socket). A worker connects with
 * {@code GET /ws?id=N} and its token in the {@value #TOKEN_HEADER} header (unknown id → 404, wrong
 * token → 401). The server greets it with {@link Message.Hello} carrying the heartbeat interval and
 * closes any connection that misses heartbeats or sends a malformed frame; other connections are
 * not affected.
 *
 * <p>With {@link #startUnixSocket} the server also accepts on a Unix domain socket, which the children on this host
 * use instead of TCP loopback (cheaper per frame); the protocol and the token check are the same on both.
 *
 * <p>A warm standby child connects with {@code GET /ws?id=N&standby=1}: its session is kept apart (it receives
 * nothing but Hello) until {@link #promoteStandby} makes it the worker's live one when the serving child died, so
 * a takeover needs no new connection.
 */
public final class MesophyllServer implements AutoCloseable {
  public static final String TOKEN_HEADER = "X-Mesophyll-Token";
  private static final Logger LOG = LoggerFactory.getLogger(MesophyllServer.class);
  private static final String CONN_ATTR = "mesophyll.conn";
  private static final String SOCKET_NAME = "mesophyll.sock";
  private static final String SOCKET_DIR_PREFIX = "tw-mesophyll-";
  /** A socket directory's name: the prefix, the pid of the process that made it, a random part. */
  private static final Pattern SOCKET_DIR_NAME = Pattern.compile(Pattern.quote(SOCKET_DIR_PREFIX) + "(\\d{1,18})-\\w+");

  /**
   * Told when a worker's session starts and ends (e.g. to flush its queued events or respawn it). Called on a frame's
   * path, on the server's selector thread ({@link SelectorReadConnector}), except {@link #connected}: must not block.
   */
  public interface Listener {
    void connected(WorkerConnection connection);

    /** {@code connection} is no longer usable; the worker may already have a newer one. */
    void disconnected(WorkerConnection connection, String reason);

    /** A line of a tenant's log sent by the worker (prints and template errors). Must not block. */
    default void log(WorkerConnection connection, Message.TenantLog entry) {}

    /** A worker sent its metrics ({@link Message.WorkerStats}). */
    default void stats(WorkerConnection connection, Message.WorkerStats stats) {}

    /** A standby child of the worker connected (it is warm and can be promoted). */
    default void standbyConnected(WorkerConnection connection) {}

    /** An event ran a tenant's templates in the worker, with their results. Must not block. */
    default void dispatched(WorkerConnection connection, Message.TenantDispatched dispatched) {}

    /** A worker reported its gateway shards ({@link Message.GatewayReport}). */
    default void gateway(WorkerConnection connection, Message.GatewayReport report) {}
  }

  /** Runs a worker's database request and returns the reply value; a thrown exception becomes an error reply. */
  @FunctionalInterface
  public interface DbHandler {
    JsonNode handle(int workerId, Message.DbRequest request) throws Exception;
  }

  private final MesophyllServerConfig config;
  private final WorkerTokens tokens;
  private final Listener listener;
  private final DbHandler dbHandler;
  private final ConcurrentHashMap<Integer, WorkerConnection> connections = new ConcurrentHashMap<>();
  /** Each worker's standby session, if its standby child has connected. */
  private final ConcurrentHashMap<Integer, WorkerConnection> standbys = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService dbExecutor = Executors.newVirtualThreadPerTaskExecutor();
  private Javalin app;
  private Server jetty;
  private HttpConfiguration http;
  private SelectorReadConnector tcp;
  private SelectorReadUnixConnector unix;
  private Path unixSocketDir;

  public MesophyllServer(MesophyllServerConfig config, WorkerTokens tokens, Listener listener, DbHandler dbHandler) {
    this.config = config;
    this.tokens = tokens;
    this.listener = listener;
    this.dbHandler = dbHandler;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mesophyll-server-timer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts listening on 127.0.0.1 at a random free port and returns the port. */
  public int start() {
    return start("127.0.0.1", 0);
  }

  /** Starts listening on {@code host:port} ({@code addrs.mesophyll_server}; port 0 = any free port) and returns the port. */
  public int start(String host, int port) {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      // Frames from the children are read and handled on the selector thread (one wake-up per frame, not two).
      cfg.jetty.addConnector((server, http) -> {
        SelectorReadConnector connector = new SelectorReadConnector(server, http);
        connector.setHost(host);
        connector.setPort(port);
        this.jetty = server;
        this.http = http;
        this.tcp = connector;
        return connector;
      });
      cfg.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxBinaryMessageSize(MessageCodec.MAX_FRAME_BYTES);
        factory.setMaxTextMessageSize(64 * 1024);
        // Liveness is judged by heartbeats; the socket idle timeout is only a backstop.
        factory.setIdleTimeout(Duration.ofMillis(config.deadAfterNanos() / 1_000_000 * 4));
      });
      cfg.routes.wsBeforeUpgrade("/ws", this::authenticate);
      cfg.routes.ws("/ws", this::configureSocket);
    });
    app.start();
    long period = Math.max(10, config.heartbeatInterval().toMillis() / 2);
    timer.scheduleAtFixedRate(this::reapSilentConnections, period, period, TimeUnit.MILLISECONDS);
    return app.port();
  }

  public int port() {
    return app.port();
  }

  /**
   * Also accepts on a Unix domain socket, in a new directory of its own under {@code java.io.tmpdir} (or {@code /tmp}
   * when that path is too long for a socket) created with mode 0700: only this service's user can connect (the token
   * check still applies). A fresh directory per start means a socket file left by a crashed service is never in the
   * way; the directory's name carries this process's pid, and directories whose process is gone (a service killed
   * before it could remove its own) are removed. Returns the socket's path, or null when this OS or file system offers
   * none (then one INFO line; the children connect over TCP). Call after {@link #start}.
   */
  public Path startUnixSocket() {
    Set<Path> parents = new LinkedHashSet<>();
    parents.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    parents.add(Path.of("/tmp"));
    for (Path parent : parents) {
      // the directory's name: the prefix, a pid of up to 10 digits and a random part of at most ~20 characters
      if (socketPathBytes(parent.resolve(SOCKET_DIR_PREFIX + "1234567890-12345678901234567890").resolve(SOCKET_NAME))
          <= UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH && Files.isDirectory(parent)) {
        return startUnixSocket(parent);
      }
    }
    LOG.info("mesophyll: no directory with a path short enough for a Unix domain socket ({}); children connect over TCP",
        parents);
    return null;
  }

  private static int socketPathBytes(Path path) {
    return path.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  /** As {@link #startUnixSocket()}, with the socket's private directory made under {@code parent}. */
  public synchronized Path startUnixSocket(Path parent) {
    if (jetty == null) {
      throw new IllegalStateException("start the server before its Unix domain socket");
    }
    if (unix != null) {
      return unix.getUnixDomainPath();
    }
    removeSocketDirsOfDeadProcesses(parent);
    Path dir = null;
    SelectorReadUnixConnector connector = null;
    try {
      dir = Files.createTempDirectory(parent, SOCKET_DIR_PREFIX + ProcessHandle.current().pid() + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path socket = dir.resolve(SOCKET_NAME);
      if (socketPathBytes(socket) > UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH) {
        throw new IOException("path " + socket + " is longer than a Unix domain socket's "
            + UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH + " bytes");
      }
      connector = new SelectorReadUnixConnector(jetty, http);
      connector.setUnixDomainPath(socket);
      connector.setIdleTimeout(tcp.getIdleTimeout());
      jetty.addConnector(connector);
      connector.start();
      unix = connector;
      unixSocketDir = dir;
      LOG.debug("mesophyll: also listening on {}", socket);
      return socket;
    } catch (Exception e) { // UnsupportedOperationException too: no POSIX modes, no UNIX sockets
      LOG.info("mesophyll: no Unix domain socket ({}); children connect over TCP", e.toString());
      if (connector != null) {
        jetty.removeConnector(connector);
        stopQuietly(connector);
      }
      deleteQuietly(dir);
      return null;
    }
  }

  /**
   * Removes the socket directories under {@code parent} that a process no longer running made ({@code kill -9} of the
   * service leaves its own behind). A directory of a running process stays, whichever service it is; so does one
   * whose pid a new process took (a leftover, never a broken service), and one this user may not remove.
   */
  private static void removeSocketDirsOfDeadProcesses(Path parent) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, SOCKET_DIR_PREFIX + "*")) {
      for (Path dir : dirs) {
        Matcher name = SOCKET_DIR_NAME.matcher(dir.getFileName().toString());
        if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
          deleteQuietly(dir);
        }
      }
    } catch (IOException | RuntimeException e) { // RuntimeException: a pid too long for a long, a racing removal
      LOG.debug("mesophyll: looking for stale socket directories in {}: {}", parent, e.toString());
    }
  }

  /** The Unix domain socket the server accepts on, or null (TCP only). */
  public Path unixSocket() {
    SelectorReadUnixConnector u = unix;
    return u == null ? null : u.getUnixDomainPath();
  }

  private static void stopQuietly(SelectorReadUnixConnector connector) {
    try {
      connector.stop();
    } catch (Exception e) {
      LOG.debug("mesophyll: stopping the Unix domain connector: {}", e.toString());
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(SOCKET_NAME));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.debug("mesophyll: could not remove {}: {}", dir, e.toString());
    }
  }

  /** The worker's live connection, or null while it has none. */
  public WorkerConnection connection(int workerId) {
    return connections.get(workerId);
  }

  /** The worker's connected standby session, or null. */
  public WorkerConnection standby(int workerId) {
    return standbys.get(workerId);
  }

  /**
   * Makes the worker's standby session its live one (the serving child died): tells the standby child
   * ({@link Message.Activate}), ends the previous live session if the server had not noticed its end yet (its
   * waiting requests fail as usual), then reports the standby as connected. Returns false when no open standby
   * session exists (the caller starts the child some other way).
   */
  public boolean promoteStandby(int workerId) {
    WorkerConnection conn = standbys.remove(workerId);
    if (conn == null || !conn.isOpen()) {
      return false;
    }
    conn.standby = false; // from here on its end is a live session's end
    WorkerConnection previous = connections.put(workerId, conn);
    if (previous != null) {
      endConnection(previous, WsCloseStatus.POLICY_VIOLATION, "replaced by its standby", true);
    }
    try {
      conn.send(new Message.Activate());
    } catch (RuntimeException e) {
      endConnection(conn, WsCloseStatus.SERVER_ERROR, "standby could not be activated: " + e.getMessage(), true);
      return false;
    }
    LOG.info("mesophyll: worker={} standby promoted", workerId);
    listener.connected(conn);
    return true;
  }

  /** Closes a worker's session (e.g. before killing the child), failing its waiting requests. */
  public void disconnect(int workerId, String reason) {
    WorkerConnection c = connections.get(workerId);
    if (c != null) {
      endConnection(c, WsCloseStatus.GOING_AWAY, reason, true);
    }
  }

  private void authenticate(Context ctx) {
    int id = parseWorkerId(ctx.queryParam("id"));
    if (!tokens.knows(id)) {
      LOG.warn("mesophyll: rejected connection for unknown worker id '{}' from {}", ctx.queryParam("id"), ctx.ip());
      throw new NotFoundResponse("unknown worker id");
    }
    if (!tokens.matches(id, ctx.header(TOKEN_HEADER))) {
      LOG.warn("mesophyll: rejected connection for worker={}: bad token", id);
      throw new UnauthorizedResponse("bad worker token");
    }
  }

  private static int parseWorkerId(String raw) {
    if (raw == null) {
      return -1;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void configureSocket(WsConfig ws) {
    ws.onConnect(ctx -> {
      int id = Integer.parseInt(ctx.queryParam("id"));
      WorkerConnection conn = new WorkerConnection(id, ctx, timer, config.requestTimeout().toMillis(), config.deadAfterNanos());
      ctx.attribute(CONN_ATTR, conn);
      if ("1".equals(ctx.queryParam("standby"))) {
        conn.standby = true;
        WorkerConnection previous = standbys.put(id, conn);
        if (previous != null) {
          endConnection(previous, WsCloseStatus.POLICY_VIOLATION, "replaced by a newer standby", false);
        }
        conn.send(new Message.Hello(ProtocolVersion.CURRENT, config.heartbeatInterval().toMillis()));
        LOG.info("mesophyll: worker={} standby connected", id);
        listener.standbyConnected(conn);
        return;
      }
      WorkerConnection previous = connections.put(id, conn);
      if (previous != null) {
        endConnection(previous, WsCloseStatus.POLICY_VIOLATION, "replaced by a newer connection", false);
      }
      conn.send(new Message.Hello(ProtocolVersion.CURRENT, config.heartbeatInterval().toMillis()));
      LOG.info("mesophyll: worker={} connected", id);
      listener.connected(conn);
    });
    ws.onBinaryMessage(ctx -> {
      WorkerConnection conn = ctx.attribute(CONN_ATTR);
      if (conn == null || !conn.isOpen()) {
        return;
      }
      try {
        MessageCodec.decodeAll(ctx.data(), new Inbound(conn));
      } catch (MalformedFrameException e) {
        LOG.warn("mesophyll: worker={} sent a malformed frame, closing its connection: {}", conn.workerId(), e.getMessage());
        endConnection(conn, WsCloseStatus.INVALID_FRAME_PAYLOAD_DATA, e.getMessage(), false);
      }
    });
    ws.onMessage(ctx -> {
      WorkerConnection conn = ctx.attribute(CONN_ATTR);
      if (conn != null) {
        LOG.warn("mesophyll: worker={} sent a text frame, closing its connection", conn.workerId());
        endConnection(conn, WsCloseStatus.UNSUPPORTED_DATA, "text frames are not part of the protocol", false);
      }
    });
    ws.onClose(ctx -> {
      WorkerConnection conn = ctx.attribute(CONN_ATTR);
      if (conn != null) {
        endConnection(conn, WsCloseStatus.NORMAL_CLOSURE, "closed by worker (" + ctx.status() + " " + ctx.reason() + ")", false);
      }
    });
    ws.onError(ctx -> {
      WorkerConnection conn = ctx.attribute(CONN_ATTR);
      if (conn != null) {
        Throwable error = ctx.error();
        endConnection(conn, WsCloseStatus.SERVER_ERROR, MesophyllException.socketFailure(error), true);
      }
    });
  }

  /** Hands each message of one frame to {@link #onMessage}. */
  private final class Inbound implements java.util.function.Consumer<Message> {
    private final WorkerConnection conn;

    Inbound(WorkerConnection conn) {
      this.conn = conn;
    }

    @Override
    public void accept(Message message) {
      if (conn.isOpen()) {
        onMessage(conn, message);
      }
    }
  }

  private void onMessage(WorkerConnection conn, Message message) {
    switch (message) {
      case Message.Heartbeat h -> conn.lastHeartbeatNanos = System.nanoTime();
      case Message.DispatchResponse r -> conn.onResponse(r);
      case Message.Started s -> conn.onStarted(s.reqId());
      case Message.DbRequest r -> dbExecutor.execute(new DbTask(conn, r));
      case Message.TenantLog l -> listener.log(conn, l);
      case Message.WorkerStats s -> listener.stats(conn, s);
      case Message.TenantDispatched d -> listener.dispatched(conn, d);
      case Message.GatewayReport g -> listener.gateway(conn, g);
      default -> {
        LOG.warn("mesophyll: worker={} sent {}, which only the master sends; closing its connection",
            conn.workerId(), message.getClass().getSimpleName());
        endConnection(conn, WsCloseStatus.POLICY_VIOLATION,
            "unexpected message " + message.getClass().getSimpleName() + " from a worker", false);
      }
    }
  }

  private final class DbTask implements Runnable {
    private final WorkerConnection conn;
    private final Message.DbRequest request;

    DbTask(WorkerConnection conn, Message.DbRequest request) {
      this.conn = conn;
      this.request = request;
    }

    @Override
    public void run() {
      Message reply;
      try {
        reply = Message.DbResponse.ok(request.reqId(), dbHandler.handle(conn.workerId(), request));
      } catch (Exception e) {
        LOG.warn("mesophyll: worker={} db op {} failed: {}", conn.workerId(), request.op(), e.toString());
        reply = Message.DbResponse.err(request.reqId(), request.op() + " failed: " + e.getMessage());
      }
      if (conn.isOpen()) {
        try {
          conn.send(reply);
        } catch (RuntimeException e) {
          LOG.debug("mesophyll: worker={} left before its db reply", conn.workerId());
        }
      }
    }
  }

  private void reapSilentConnections() {
    long now = System.nanoTime();
    java.util.List<WorkerConnection> all = new java.util.ArrayList<>(connections.values());
    all.addAll(standbys.values());
    for (WorkerConnection conn : all) {
      long silentNanos = now - conn.lastHeartbeatNanos;
      if (silentNanos > config.deadAfterNanos()) {
        LOG.warn("mesophyll: worker={} sent no heartbeat for {} ms (limit {} x {} ms); closing its connection",
            conn.workerId(), silentNanos / 1_000_000, config.missedHeartbeats(), config.heartbeatInterval().toMillis());
        endConnection(conn, WsCloseStatus.POLICY_VIOLATION, "missed heartbeats", true);
      }
    }
  }

  private void endConnection(WorkerConnection conn, WsCloseStatus status, String reason, boolean hard) {
    if (conn.end(status, reason, hard)) {
      if (conn.standby) { // never live: nothing was sent to it, nobody waits on it
        standbys.remove(conn.workerId(), conn);
        LOG.info("mesophyll: worker={} standby disconnected: {}", conn.workerId(), reason);
        return;
      }
      connections.remove(conn.workerId(), conn);
      LOG.info("mesophyll: worker={} disconnected: {}", conn.workerId(), reason);
      listener.disconnected(conn, reason);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (WorkerConnection conn : connections.values()) {
      endConnection(conn, WsCloseStatus.GOING_AWAY, "master shutting down", false);
    }
    for (WorkerConnection conn : standbys.values()) {
      endConnection(conn, WsCloseStatus.GOING_AWAY, "master shutting down", false);
    }
    if (app != null) {
      app.stop();
    }
    synchronized (this) {
      if (unix != null) {
        stopQuietly(unix); // stopped with the server when it was managed; harmless twice
        deleteQuietly(unixSocketDir);
      }
    }
    dbExecutor.shutdownNow();
  }
}
