package io.templateworker.mesophyll.client;

import io.templateworker.mesophyll.transport.WebSocketReadsOnSelector;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The WebSocket client every {@link MesophyllClient} of this JVM connects with (a worker process has one): Jetty's core
 * client, whose sockets read and hand on each incoming frame on the selector thread ({@link WebSocketReadsOnSelector}),
 * so a request from the master reaches the worker's lanes after one thread wake-up instead of three (java.net.http's
 * selector, then its worker executor, then the lane). Started on first use; its threads are daemons and live as long
 * as the JVM.
 */
final class SelectorReadClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15); // a loaded machine or a cold JVM takes seconds
  private static WebSocketCoreClient shared;

  private SelectorReadClient() {}

  static synchronized WebSocketCoreClient get() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  private static WebSocketCoreClient start() {
    // Few threads: the selector reads on its own; the pool runs the HTTP upgrade and whatever Jetty dispatches.
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("mesophyll-client");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    ClientConnector connector = new ClientConnector() {
      @Override
      protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        EndPoint endPoint = new WebSocketReadsOnSelector((SocketChannel) channel, selector, key, getScheduler());
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
      }
    };
    connector.setExecutor(threads);
    connector.setScheduler(new ScheduledExecutorScheduler("mesophyll-client-scheduler", true));
    connector.setSelectors(1);
    connector.setConnectTimeout(CONNECT_TIMEOUT);
    HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
    http.setExecutor(threads);
    http.setScheduler(connector.getScheduler());
    WebSocketCoreClient client = new WebSocketCoreClient(http, null);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the Mesophyll WebSocket client: " + e, e);
    }
    return client;
  }
}
