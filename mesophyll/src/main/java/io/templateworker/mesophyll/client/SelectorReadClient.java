package io.templateworker.mesophyll.client;

import io.templateworker.mesophyll.transport.WebSocketReadsOnSelector;
import java.net.URI;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The WebSocket client every {@link MesophyllClient} of this JVM connects with (a worker process has one): Jetty's core
 * client, whose sockets read and hand on each incoming frame on the selector thread ({@link WebSocketReadsOnSelector}),
 * so a request from the master reaches the worker's lanes after one thread wake-up instead of three (java.net.http's
 * selector, then its worker executor, then the lane). Started on first use; its threads are daemons and live as long
 * as the JVM.
 *
 * <p>A master reachable on a Unix domain socket ({@link #overUnixSocket}) is connected to there instead of over TCP:
 * its upgrade request, and so the WebSocket, gets the socket as its transport.
 */
final class SelectorReadClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15); // a loaded machine or a cold JVM takes seconds
  private static WebSocketCoreClient shared;
  /** host:port of a master → its Unix domain socket (the WebSocket upgrade builds its request from the URI alone). */
  private static final Map<String, Transport> UNIX_SOCKETS = new ConcurrentHashMap<>();

  private SelectorReadClient() {}

  /** From now on, connections to {@code host:port} go to the Unix domain socket {@code socket} on this host. */
  static void overUnixSocket(String hostAndPort, Path socket) {
    UNIX_SOCKETS.put(hostAndPort, new Transport.TCPUnix(socket));
  }

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
    HttpClient http = new UnixRoutingHttpClient(connector);
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

  /** Gives a request to a master on a Unix domain socket ({@link #overUnixSocket}) that socket as its transport. */
  @SuppressWarnings("try") // close() may throw InterruptedException: HttpClient's, not ours
  private static final class UnixRoutingHttpClient extends HttpClient {
    UnixRoutingHttpClient(ClientConnector connector) {
      super(new HttpClientTransportOverHTTP(connector));
    }

    @Override
    public Request newRequest(URI uri) {
      Request request = super.newRequest(uri);
      Transport unix = UNIX_SOCKETS.get(uri.getRawAuthority());
      return unix == null ? request : request.transport(unix);
    }
  }
}
