package io.templateworker.mesophyll.transport;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * A socket endpoint that declares its WebSocket connection's reads non-blocking, so that Jetty reads, parses and hands
 * on each incoming frame on the selector thread that saw it arrive. Jetty treats a WebSocket read as possibly blocking
 * and otherwise hands every read to a pool thread: two thread wake-ups per frame instead of one. HTTP reads (the
 * upgrade) keep Jetty's default.
 *
 * <p>Whatever runs for an incoming frame must therefore never block: it would hold up every connection of the
 * selector. The master's server ({@code SelectorReadConnector}) and the worker's client both use it.
 */
public final class WebSocketReadsOnSelector extends SocketChannelEndPoint {
  /** The connection's read callback last seen, and it declared non-blocking (a connection reuses its callback). */
  private Callback lastRead;
  private Callback lastReadNonBlocking;

  public WebSocketReadsOnSelector(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
    super(channel, selector, key, scheduler);
  }

  @Override
  public void fillInterested(Callback callback) {
    super.fillInterested(onSelector(callback));
  }

  @Override
  public boolean tryFillInterested(Callback callback) {
    return super.tryFillInterested(onSelector(callback));
  }

  private synchronized Callback onSelector(Callback callback) {
    if (!(getConnection() instanceof WebSocketConnection)) {
      return callback;
    }
    if (callback != lastRead) {
      lastRead = callback;
      lastReadNonBlocking = new Callback.Nested(callback) {
        @Override
        public Invocable.InvocationType getInvocationType() {
          return Invocable.InvocationType.NON_BLOCKING;
        }
      };
    }
    return lastReadNonBlocking;
  }
}
