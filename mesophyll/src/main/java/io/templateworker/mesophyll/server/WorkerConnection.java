package io.templateworker.mesophyll.server;

import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsContext;
import io.templateworker.mesophyll.protocol.Correlator;
import io.templateworker.mesophyll.protocol.FrameWriter;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.MesophyllException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import java.net.SocketAddress;

/**
 * The master's view of one live worker session. Sends are serialised (the WebSocket allows one at a
 * time); replies complete the matching request; the connection ends at most once.
 */
public final class WorkerConnection {
  private final int workerId;
  private final WsContext ws;
  private final Correlator<Message.DispatchResponse> requests;
  private final long requestTimeoutMillis;
  private final FrameWriter writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  volatile long lastHeartbeatNanos;
  /** A warm child waiting to take over (connected with {@code standby=1}); false once promoted. */
  volatile boolean standby;

  WorkerConnection(int workerId, WsContext ws, ScheduledExecutorService timer, long requestTimeoutMillis, long graceNanos) {
    this.workerId = workerId;
    this.ws = ws;
    this.requests = new Correlator<>(timer, "worker " + workerId);
    this.requestTimeoutMillis = requestTimeoutMillis;
    // A failed write needs nothing here: Jetty reports the socket's error to the server, which ends this connection.
    // Inline only while no other request waits for its reply: the child is then idle, and a frame per message costs
    // nothing that batching would save.
    this.writer = new FrameWriter("mesophyll-writer-worker-" + workerId, this::write, () -> requests.waiting() <= 1,
        error -> {});
    // The first beat may come late: the worker has to read Hello first, possibly in a cold JVM.
    this.lastHeartbeatNanos = System.nanoTime() + graceNanos;
  }

  public int workerId() {
    return workerId;
  }

  /** The worker's end of the socket: a {@link java.net.UnixDomainSocketAddress} when it connected on the Unix socket. */
  public SocketAddress remoteAddress() {
    return ws.session.getRemoteSocketAddress();
  }

  /** True while this is a standby session, not (yet) the worker's live one. */
  public boolean isStandby() {
    return standby;
  }

  public boolean isOpen() {
    return !closed.get();
  }

  /**
   * Queues a message that expects no reply and returns at once; messages leave in call order, several per
   * WebSocket frame when they pile up ({@link FrameWriter}).
   */
  public void send(Message message) {
    send(message, null);
  }

  /** Writes {@code message}, or bytes encoded already when it is null; fails at once on a closed connection. */
  private void send(Message message, ByteBuffer encoded) {
    if (closed.get()) {
      throw new MesophyllException("connection to worker " + workerId + " is closed");
    }
    try {
      if (message != null) {
        writer.send(message);
      } else {
        writer.sendRaw(encoded);
      }
    } catch (MesophyllException e) {
      throw new MesophyllException("connection to worker " + workerId + " is closed");
    }
  }

  /** Starts writing one frame; the future completes when Jetty has taken it. */
  private CompletableFuture<Void> write(ByteBuffer frame) {
    Callback.Completable done = new Callback.Completable();
    ws.session.sendBinary(frame, done);
    return done;
  }

  /** A request id not used before on this connection. */
  public long newRequestId() {
    return requests.nextRequestId();
  }

  /**
   * Sends {@code message}, which carries {@code reqId}, and tells {@code waiter} its reply once; the waiter is told a
   * {@link MesophyllException} after the request timeout or when the connection ends (one the worker had not
   * acknowledged with {@link Message.Started} is {@link MesophyllException#notStarted}). If the message cannot be
   * sent at all, this throws the {@link MesophyllException} at once (nothing reached the worker) and the waiter is
   * never told; unless the connection ended meanwhile and told the waiter already, as it tells every other.
   */
  public void request(long reqId, Message message, Correlator.Waiter<Message.DispatchResponse> waiter) {
    request(reqId, message, null, waiter);
  }

  /** As {@link #request(long, Message, Correlator.Waiter)}, for a request encoded already (a DispatchEvent). */
  public void request(long reqId, ByteBuffer encoded, Correlator.Waiter<Message.DispatchResponse> waiter) {
    request(reqId, null, encoded, waiter);
  }

  private void request(long reqId, Message message, ByteBuffer encoded, Correlator.Waiter<Message.DispatchResponse> waiter) {
    requests.register(reqId, requestTimeoutMillis, waiter);
    try {
      send(message, encoded);
    } catch (MesophyllException e) {
      if (requests.forget(reqId)) {
        throw e;
      }
    }
  }

  /** Number of requests still waiting for a reply. */
  public int inFlight() {
    return requests.waiting();
  }

  void onResponse(Message.DispatchResponse response) {
    requests.complete(response.reqId(), response);
  }

  void onStarted(long reqId) {
    requests.started(reqId);
  }

  /** Ends the session: fails every waiting request and closes the socket. Idempotent. */
  boolean end(WsCloseStatus status, String reason, boolean hard) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    writer.close();
    requests.failAllTrackingStarts("connection closed (" + reason + ")");
    try {
      if (hard) {
        // A peer that stopped heartbeating may never answer a close handshake.
        ws.session.disconnect();
      } else {
        ws.closeSession(status, reason);
      }
    } catch (RuntimeException ignored) {
      // Already gone: nothing left to close.
    }
    return true;
  }
}
