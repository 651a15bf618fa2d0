package io.templateworker.mesophyll.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.mesophyll.protocol.Correlator;
import io.templateworker.mesophyll.protocol.FrameWriter;
import io.templateworker.mesophyll.protocol.MalformedFrameException;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.mesophyll.protocol.ProtocolVersion;
import io.templateworker.mesophyll.protocol.WireTenant;
import io.templateworker.mesophyll.server.MesophyllServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;

/**
 * A process worker's connection to the master. Incoming requests go to the {@link Handler}, which
 * replies through {@link #send}. After a drop the client reconnects every {@code reconnectDelay}
 * until {@link #close}; {@link Handler#connectionLost} tells the worker when it has no master.
 *
 * <p>The master's frames are read, decoded and handed to the {@link Handler} on the WebSocket client's selector thread
 * ({@link SelectorReadClient}): the handler must never block there (it holds up every frame after it); handing work to
 * another thread and completing futures is fine.
 */
public final class MesophyllClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MesophyllClient.class);

  /** Receives the master's messages (Hello and DbResponse are handled by the client itself). */
  public interface Handler {
    /** Called on the client's selector thread, in frame order: must not block. */
    void onMessage(Message message);

    /** The session ended; called once per session. */
    default void connectionLost(String reason) {}
  }

  private final URI uri;
  private final Path unixSocket;
  private final int workerId;
  private final String token;
  private final Duration reconnectDelay;
  private final Duration dbTimeout;
  private final Handler handler;
  private final ScheduledExecutorService timer;
  private final Correlator<Message.DbResponse> dbRequests;
  private final Object connectLock = new Object();
  private final java.util.concurrent.atomic.AtomicLong sessions = new java.util.concurrent.atomic.AtomicLong();
  private volatile Session session;
  private volatile boolean closed;
  /** Connected as a standby ({@link #connectStandby}) and not activated yet: a lost session is not retried. */
  private volatile boolean standby;

  public MesophyllClient(String host, int port, int workerId, String token, Duration reconnectDelay,
      Duration dbTimeout, Handler handler) {
    this(host, port, null, workerId, token, reconnectDelay, dbTimeout, handler);
  }

  /**
   * As above, connecting to the master's Unix domain socket {@code unixSocket} (on this host; null: over TCP to
   * {@code host:port}), which costs less per frame than TCP loopback. {@code host:port} still names the master.
   */
  public MesophyllClient(String host, int port, Path unixSocket, int workerId, String token,
      Duration reconnectDelay, Duration dbTimeout, Handler handler) {
    this.uri = URI.create("ws://" + host + ":" + port + "/ws?id=" + workerId);
    this.unixSocket = unixSocket;
    if (unixSocket != null) {
      SelectorReadClient.overUnixSocket(uri.getRawAuthority(), unixSocket);
    }
    this.workerId = workerId;
    this.token = token;
    this.reconnectDelay = reconnectDelay;
    this.dbTimeout = dbTimeout;
    this.handler = handler;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mesophyll-client-" + workerId);
      t.setDaemon(true);
      return t;
    });
    this.dbRequests = new Correlator<>(timer, "master");
  }

  /**
   * Connects once and waits for the master's Hello. Throws a {@link MesophyllException} when the
   * master refuses (bad token → 401, unknown id → 404) or is unreachable; use {@link #start} to keep
   * retrying in the background instead.
   */
  public void connect() {
    // One attempt at a time, and none while connected: two racing sessions would leave the client sending
    // on one the master has already replaced.
    synchronized (connectLock) {
      if (isConnected()) {
        return;
      }
      connectOnce();
    }
  }

  /**
   * Connects as the worker's standby ({@code standby=1}): the master keeps the session apart and sends nothing
   * but Hello until it promotes it with {@link Message.Activate} (which the handler receives; from then on this is
   * an ordinary session). A standby session that ends is not retried: the handler's
   * {@link Handler#connectionLost} decides. Throws like {@link #connect()}.
   */
  public void connectStandby() {
    synchronized (connectLock) {
      if (isConnected()) {
        return;
      }
      standby = true;
      try {
        connectOnce(URI.create(uri + "&standby=1"));
      } catch (MesophyllException e) {
        standby = false;
        throw e;
      }
    }
  }

  /** True while connected as a standby that has not been activated. */
  public boolean isStandby() {
    return standby;
  }

  /**
   * Leaves standby without being activated (the master started this child another way): closes the standby
   * session, without retrying it; call {@link #connect()} next.
   */
  public void leaveStandby() {
    synchronized (connectLock) {
      Session s = session;
      if (standby && s != null) {
        s.close(CloseStatus.NORMAL, "leaving standby");
        s.end("left standby");
      }
      standby = false;
    }
  }

  private void connectOnce() {
    connectOnce(uri);
  }

  private void connectOnce(URI target) {
    MessageCodec.warmUp();
    Session s = new Session();
    CompletableFuture<CoreSession> connecting = null;
    try {
      CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(SelectorReadClient.get(), target, s);
      request.headers(headers -> headers.put(MesophyllServer.TOKEN_HEADER, token));
      request.setConfiguration(Session.CONFIGURATION);
      connecting = SelectorReadClient.get().connect(request);
      s.coreSession = connecting.get(20, TimeUnit.SECONDS);
      session = s;
      s.hello.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | IOException e) {
      throw new MesophyllException("worker " + workerId + " could not connect to Mesophyll at " + where() + ": "
          + (e instanceof ExecutionException ? e.getCause() : e));
    } catch (TimeoutException e) {
      if (connecting != null) {
        connecting.cancel(true); // no late session after the caller was told it failed
      }
      throw new MesophyllException("worker " + workerId + " got no Hello from Mesophyll at " + where() + " within 20 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MesophyllException("interrupted while connecting to Mesophyll");
    }
  }

  private String where() {
    return unixSocket == null ? uri.toString() : uri + " over " + unixSocket;
  }

  /** Connects in the background, retrying every reconnect delay until it succeeds or the client closes. */
  public void start() {
    timer.execute(this::connectOrRetry);
  }

  private void connectOrRetry() {
    if (closed) {
      return;
    }
    try {
      connect();
    } catch (MesophyllException e) {
      LOG.warn("{}; retrying in {} ms", e.getMessage(), reconnectDelay.toMillis());
      timer.schedule(this::connectOrRetry, reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public boolean isConnected() {
    Session s = session;
    return s != null && !s.ended && s.hello.isDone();
  }

  /**
   * Queues one message for the master and returns at once; frames leave in call order. Fails with a
   * {@link MesophyllException} when not connected (a frame queued on a session that then ends is dropped
   * with it, like anything in flight on a dead socket).
   */
  public void send(Message message) {
    Session s = session;
    if (s == null || s.ended) {
      throw new MesophyllException("worker " + workerId + " has no Mesophyll connection to the master");
    }
    s.send(message);
  }

  /**
   * The number of the current session (each connection gets a new one), or 0 before the first. A handler reads
   * it while handling a request and later answers with {@link #sendIfSession}, so nothing the master may already
   * have given up on (and redelivered elsewhere) is acknowledged on a newer session.
   */
  public long session() {
    Session s = session;
    return s == null ? 0 : s.number;
  }

  /** Queues {@code message} if session {@code number} is still the live one; false (nothing sent) otherwise. */
  public boolean sendIfSession(long number, Message message) {
    Session s = live(number);
    if (s == null) {
      return false;
    }
    try {
      s.send(message);
      return true;
    } catch (MesophyllException e) {
      return false; // the session ended meanwhile
    }
  }

  /** As {@link #sendIfSession} of {@code new Message.Started(reqId)}, without the message (one per request). */
  public boolean sendStartedIfSession(long number, long reqId) {
    Session s = live(number);
    if (s == null) {
      return false;
    }
    try {
      s.sendStarted(reqId);
      return true;
    } catch (MesophyllException e) {
      return false; // the session ended meanwhile
    }
  }

  /**
   * As {@link #sendIfSession} of a DispatchResponse to request {@code reqId}, given as its bytes ({@link
   * MessageCodec#encodeDispatchResponseOk}), without the message (one per request).
   */
  public boolean sendReplyIfSession(long number, long reqId, ByteBuffer encoded) {
    Session s = live(number);
    if (s == null) {
      return false;
    }
    try {
      s.sendReply(reqId, encoded);
      return true;
    } catch (MesophyllException e) {
      return false; // the session ended meanwhile
    }
  }

  /** The current session if it is session {@code number} and has not ended, else null. */
  private Session live(long number) {
    Session s = session;
    return s == null || s.ended || s.number != number ? null : s;
  }

  /** Sends raw bytes as one binary frame (tests use it to send malformed data). */
  public void sendRawForTest(byte[] frame) {
    session.writer.sendRaw(ByteBuffer.wrap(frame));
  }

  /** Runs a database operation on the master and waits for its reply value. */
  public JsonNode db(String op, WireTenant tenant, JsonNode args) {
    long reqId = dbRequests.nextRequestId();
    CompletableFuture<Message.DbResponse> reply = dbRequests.register(reqId, dbTimeout.toMillis(), "db " + op);
    try {
      send(new Message.DbRequest(reqId, op, tenant, args));
    } catch (MesophyllException e) {
      dbRequests.fail(reqId, e);
    }
    Message.DbResponse response;
    try {
      response = reply.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof MesophyllException m ? m : new MesophyllException(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MesophyllException("interrupted while waiting for db " + op);
    }
    if (!response.ok()) {
      throw new MesophyllException(response.error());
    }
    return response.value();
  }

  /** Stops heartbeats for the current session without closing it (tests simulate a hung worker). */
  public void pauseHeartbeatsForTest() {
    Session s = session;
    if (s != null && s.heartbeat != null) {
      s.heartbeat.cancel(false);
    }
  }

  @Override
  public void close() {
    closed = true;
    Session s = session;
    if (s != null && s.coreSession != null) {
      s.close(CloseStatus.NORMAL, "worker shutting down");
      s.end("closed by worker");
    }
    timer.shutdownNow();
  }

  /**
   * One WebSocket session: reassembles fragmented frames, tracks heartbeats, and sends through a {@link FrameWriter}
   * (one write at a time on the wire; the writer batches what queues meanwhile). Jetty calls it on the client's
   * selector thread for each frame, and sends the next frame only when asked ({@link CoreSession#demand}).
   */
  private final class Session implements FrameHandler {
    /** Frames up to the protocol's limit; no idle timeout (liveness is the heartbeats' job, as on the master). */
    static final Configuration.ConfigurationCustomizer CONFIGURATION = new Configuration.ConfigurationCustomizer();

    static {
      CONFIGURATION.setMaxFrameSize(MessageCodec.MAX_FRAME_BYTES);
      CONFIGURATION.setMaxBinaryMessageSize(MessageCodec.MAX_FRAME_BYTES);
      CONFIGURATION.setIdleTimeout(Duration.ZERO);
    }

    final long number = sessions.incrementAndGet();
    /** Created when the socket opens; nothing is sent before. */
    volatile FrameWriter writer;
    final CompletableFuture<Void> hello = new CompletableFuture<>();
    volatile CoreSession coreSession;
    volatile ScheduledFuture<?> heartbeat;
    volatile boolean ended;
    private final java.util.concurrent.atomic.AtomicBoolean ending = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * The start of a message that arrived in several frames, {@code partialLength} bytes of {@code partial} (frames are
     * handled one at a time). Jetty splits a frame that spans its read buffer, which a batch of events often does, so
     * the array is kept (up to {@link #KEPT_PARTIAL_BYTES}) rather than allocated per message.
     */
    private byte[] partial = new byte[0];
    private int partialLength;
    /** True while the frames of a text message are arriving (not part of the protocol: they are ignored). */
    private boolean inText;
    /** Requests of the master's received on this session and not answered yet (the one being answered included). */
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onOpen(CoreSession opened, Callback callback) {
      coreSession = opened;
      // Inline only while this child has no other request of the master's unanswered (see unanswered).
      writer = new FrameWriter("mesophyll-writer-" + workerId, this::write, () -> unanswered.get() <= 1,
          error -> end("send failed: " + error));
      // Before any frame is delivered: the first request may arrive before the connect future returns.
      session = this;
      callback.succeeded();
      opened.demand();
    }

    /** Starts writing one binary frame; its completion runs wherever the write ends, and only signals the writer. */
    private CompletableFuture<?> write(ByteBuffer frame) {
      Callback.Completable done = new Callback.Completable(Invocable.InvocationType.NON_BLOCKING);
      coreSession.sendFrame(new Frame(OpCode.BINARY, frame), done, false);
      return done;
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
      try {
        switch (frame.getOpCode()) {
          case OpCode.BINARY -> onBinary(frame.getPayload(), frame.isFin());
          case OpCode.CONTINUATION -> {
            if (!inText) {
              onBinary(frame.getPayload(), frame.isFin());
            } else if (frame.isFin()) {
              inText = false;
            }
          }
          case OpCode.TEXT -> inText = !frame.isFin(); // not part of the protocol; upstream ignores text frames too
          default -> { } // ping, pong and close: Jetty's session answers them
        }
        callback.succeeded();
      } catch (RuntimeException e) {
        callback.failed(e);
        return;
      }
      coreSession.demand();
    }

    private static final int KEPT_PARTIAL_BYTES = 64 * 1024;

    private void onBinary(ByteBuffer data, boolean last) {
      try {
        if (last && partialLength == 0) {
          MessageCodec.decodeAll(data, this::dispatch);
        } else {
          int n = data.remaining();
          if (partialLength + n > partial.length) {
            partial = java.util.Arrays.copyOf(partial, Math.max(partialLength + n, 2 * partial.length));
          }
          data.get(partial, partialLength, n);
          partialLength += n;
          if (last) {
            // Nothing decoded keeps a reference to the frame's bytes (MessageCodec.decodeAll), so they can be reused.
            int length = partialLength;
            partialLength = 0;
            byte[] whole = partial;
            if (whole.length > KEPT_PARTIAL_BYTES) {
              partial = new byte[0];
            }
            MessageCodec.decodeAll(ByteBuffer.wrap(whole, 0, length), this::dispatch);
          }
        }
      } catch (MalformedFrameException e) {
        LOG.error("worker {}: master sent a malformed frame, reconnecting: {}", workerId, e.getMessage());
        close(CloseStatus.BAD_PAYLOAD, "malformed frame");
        end("malformed frame from master");
      }
    }

    /** Starts the closing handshake (the session ends when the master answers it, or the socket goes). */
    void close(int status, String reason) {
      CoreSession open = coreSession;
      if (open != null) {
        open.close(status, reason, Callback.NOOP);
      }
    }

    void send(Message message) {
      checkOpen();
      try {
        writer.send(message);
      } finally {
        if (message instanceof Message.DispatchResponse) {
          unanswered.decrementAndGet();
        }
      }
    }

    void sendStarted(long reqId) {
      checkOpen();
      writer.sendStarted(reqId);
    }

    /** A DispatchResponse's bytes: as {@link #send} of the message. */
    void sendReply(long reqId, ByteBuffer encoded) {
      checkOpen();
      try {
        writer.sendReply(reqId, encoded);
      } finally {
        unanswered.decrementAndGet();
      }
    }

    private void checkOpen() {
      if (ended) {
        throw new MesophyllException("worker " + workerId + " has no Mesophyll connection to the master");
      }
    }

    private void dispatch(Message message) {
      switch (message) {
        case Message.Hello h -> {
          if (h.version() != ProtocolVersion.CURRENT) {
            LOG.error("worker {}: master speaks protocol {} but this worker speaks {}; the child binary is stale",
                workerId, h.version(), ProtocolVersion.CURRENT);
          }
          long interval = Math.max(1, h.heartbeatIntervalMs());
          heartbeat = timer.scheduleAtFixedRate(this::beat, 0, interval, TimeUnit.MILLISECONDS);
          hello.complete(null);
        }
        case Message.DbResponse r -> dbRequests.complete(r.reqId(), r);
        case Message.Activate a -> {
          standby = false; // this session is the worker's live one now: keep it (and retry it) as such
          handler.onMessage(a);
        }
        default -> {
          if (expectsReply(message)) {
            unanswered.incrementAndGet();
          }
          handler.onMessage(message);
        }
      }
    }

    private static boolean expectsReply(Message message) {
      return switch (message) {
        case Message.DispatchEvent e -> e.reqId() != null;
        case Message.RunScript r -> true;
        case Message.DropWorker d -> true;
        case Message.ReloadTemplates r -> true;
        default -> false;
      };
    }

    private void beat() {
      if (ended) {
        return;
      }
      try {
        send(new Message.Heartbeat());
      } catch (MesophyllException e) {
        LOG.debug("worker {}: heartbeat not sent: {}", workerId, e.getMessage());
      }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
      end(MesophyllException.socketFailure(cause));
      callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus status, Callback callback) {
      end("closed by master (" + status.getCode() + " " + status.getReason() + ")");
      callback.succeeded();
    }

    void end(String reason) {
      if (!ending.compareAndSet(false, true)) {
        return; // onClose and onError may both report the same end
      }
      ended = true;
      FrameWriter w = writer;
      if (w != null) {
        w.close();
      }
      ScheduledFuture<?> hb = heartbeat;
      if (hb != null) {
        hb.cancel(false);
      }
      hello.completeExceptionally(new MesophyllException(reason));
      dbRequests.failAll(reason);
      if (session == this) {
        boolean wasStandby = standby;
        handler.connectionLost(reason);
        if (!closed && !wasStandby) {
          LOG.warn("worker {}: Mesophyll session ended ({}); reconnecting in {} ms", workerId, reason, reconnectDelay.toMillis());
          timer.schedule(MesophyllClient.this::connectOrRetry, reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }
}
