package io.templateworker.mesophyll.server;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * The Mesophyll server's connector: a WebSocket's incoming frames are read and handled on the selector thread that
 * saw them arrive, instead of the selector handing each read to a pool thread. Jetty treats a WebSocket read as
 * possibly blocking, so every frame from a child cost two thread wake-ups (the selector, then a pool thread); the
 * Mesophyll handlers only decode and complete futures (database requests go to their own executor), so one is enough.
 * The HTTP upgrade request itself still runs on a pool thread as usual.
 *
 * <p>What runs on a frame's path must therefore never block: it would hold up every connection of the selector.
 */
final class SelectorReadConnector extends ServerConnector {

  SelectorReadConnector(Server server, HttpConfiguration http) {
    super(server, new HttpConnectionFactory(http));
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
    SocketChannelEndPoint endPoint = new WebSocketReadsOnSelector(channel, selector, key, this);
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }

  /** An endpoint that declares its WebSocket connection's reads non-blocking (HTTP reads keep Jetty's default). */
  private static final class WebSocketReadsOnSelector extends SocketChannelEndPoint {
    /** The connection's read callback last seen, and it declared non-blocking (a connection reuses its callback). */
    private Callback lastRead;
    private Callback lastReadNonBlocking;

    WebSocketReadsOnSelector(SocketChannel channel, ManagedSelector selector, SelectionKey key, ServerConnector connector) {
      super(channel, selector, key, connector.getScheduler());
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
}
