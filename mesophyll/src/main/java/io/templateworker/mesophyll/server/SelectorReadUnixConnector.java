package io.templateworker.mesophyll.server;

import io.templateworker.mesophyll.transport.WebSocketReadsOnSelector;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@link SelectorReadConnector}'s twin on a Unix domain socket: the children on this host connect here, which saves a
 * TCP loopback write and read per frame. Frames are read and handled on the selector thread the same way.
 */
final class SelectorReadUnixConnector extends UnixDomainServerConnector {

  SelectorReadUnixConnector(Server server, HttpConfiguration http) {
    super(server, new HttpConnectionFactory(http));
  }

  @Override
  protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
    return new UnixDomainSelectorManager(executor, scheduler, selectors) {
      @Override
      protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        EndPoint endPoint = new WebSocketReadsOnSelector((SocketChannel) channel, selector, key, scheduler);
        endPoint.setIdleTimeout(SelectorReadUnixConnector.this.getIdleTimeout());
        return endPoint;
      }
    };
  }
}
