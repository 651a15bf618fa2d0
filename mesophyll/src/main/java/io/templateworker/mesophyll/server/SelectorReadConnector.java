package io.templateworker.mesophyll.server;

import io.templateworker.mesophyll.transport.WebSocketReadsOnSelector;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Mesophyll server's connector: a WebSocket's incoming frames are read and handled on the selector thread that
 * saw them arrive ({@link WebSocketReadsOnSelector}), instead of the selector handing each read to a pool thread. The
 * Mesophyll handlers only decode and complete futures (database requests go to their own executor), so one thread is
 * enough. The HTTP upgrade request itself still runs on a pool thread as usual.
 *
 * <p>What runs on a frame's path must therefore never block: it would hold up every connection of the selector.
 */
final class SelectorReadConnector extends ServerConnector {

  SelectorReadConnector(Server server, HttpConfiguration http) {
    super(server, new HttpConnectionFactory(http));
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
    SocketChannelEndPoint endPoint = new WebSocketReadsOnSelector(channel, selector, key, getScheduler());
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }
}
