package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.templateworker.mesophyll.client.MesophyllClient;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.mesophyll.protocol.WireEvent;
import io.templateworker.mesophyll.protocol.WireTenant;
import io.templateworker.mesophyll.server.MesophyllServer;
import io.templateworker.mesophyll.server.MesophyllServerConfig;
import io.templateworker.mesophyll.server.WorkerConnection;
import io.templateworker.mesophyll.server.WorkerTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server and clients in one JVM over loopback, with real WebSockets. */
class MesophyllConnectionTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  private final List<String> disconnects = new CopyOnWriteArrayList<>();
  private WorkerTokens tokens;
  private MesophyllServer server;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private int startServer(Duration heartbeat, Duration requestTimeout) {
    return startServer(heartbeat, 2, requestTimeout);
  }

  private int startServer(Duration heartbeat, int missed, Duration requestTimeout) {
    tokens = WorkerTokens.generate(3);
    server = new MesophyllServer(new MesophyllServerConfig(heartbeat, missed, requestTimeout), tokens,
        new MesophyllServer.Listener() {
          @Override
          public void connected(WorkerConnection connection) {}

          @Override
          public void disconnected(WorkerConnection connection, String reason) {
            disconnects.add(connection.workerId() + ": " + reason);
          }
        },
        (workerId, request) -> {
          if (request.op().equals("fail")) {
            throw new IllegalStateException("no such table");
          }
          return JSON.objectNode().put("worker", workerId).put("op", request.op());
        });
    closeables.add(server);
    return server.start();
  }

  /** A client that answers DispatchEvent with the event name, unless told to stay silent. */
  private MesophyllClient echoClient(int port, int id, String token, boolean answer) {
    return echoClient(port, null, id, token, answer);
  }

  /** As above, connecting on the server's Unix domain socket {@code unixSocket} unless it is null. */
  private MesophyllClient echoClient(int port, java.nio.file.Path unixSocket, int id, String token, boolean answer) {
    MesophyllClient[] self = new MesophyllClient[1];
    self[0] = new MesophyllClient("127.0.0.1", port, unixSocket, id, token, Duration.ofMillis(100), Duration.ofSeconds(5),
        message -> {
          if (answer && message instanceof Message.DispatchEvent e && e.reqId() != null) {
            self[0].send(Message.DispatchResponse.ok(e.reqId(), JSON.textNode(id + ":" + e.event().name())));
          }
        });
    closeables.add(self[0]);
    return self[0];
  }

  private static java.util.concurrent.CompletableFuture<Message.DispatchResponse> req(WorkerConnection conn, String what, String name) {
    long id = conn.newRequestId();
    var reply = new java.util.concurrent.CompletableFuture<Message.DispatchResponse>();
    conn.request(id, event(name, id), new io.templateworker.mesophyll.protocol.Correlator.Waiter<>() {
      @Override
      public String what() {
        return what;
      }

      @Override
      public void accept(Message.DispatchResponse response, Throwable error) {
        if (error != null) {
          reply.completeExceptionally(error);
        } else {
          reply.complete(response);
        }
      }
    });
    return reply;
  }

  private static Message.DispatchEvent event(String name, long reqId) {
    return new Message.DispatchEvent(WireTenant.guild(1), new WireEvent(name, null, JSON.objectNode()), reqId);
  }

  @Test
  void request_and_reply_round_trip_per_worker() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    echoClient(port, 0, tokens.tokenFor(0), true).connect();
    echoClient(port, 2, tokens.tokenFor(2), true).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null && server.connection(2) != null);

    var r0 = req(server.connection(0), "dispatch", "Ping").get(5, TimeUnit.SECONDS);
    var r2 = req(server.connection(2), "dispatch", "Pong").get(5, TimeUnit.SECONDS);

    assertThat(r0.ok()).isTrue();
    assertThat(r0.value().asText()).isEqualTo("0:Ping");
    assertThat(r2.value().asText()).isEqualTo("2:Pong");
    assertThat(server.connection(1)).isNull();
  }

  @Test
  void messages_that_arrive_in_several_frames_are_read_whole_one_after_another() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    echoClient(port, 0, tokens.tokenFor(0), true).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null);

    // Larger than the client's read buffer, so Jetty hands each over in parts; then one over the part buffer's kept
    // size, a shorter one read into a longer buffer than it needs, and one that arrives whole.
    for (int length : new int[] {40_000, 30_000, 200_000, 50_000, 10}) {
      String name = "E".repeat(length - 1) + (char) ('a' + length % 26);
      var reply = req(server.connection(0), "dispatch", name).get(5, TimeUnit.SECONDS);
      assertThat(reply.value().asText()).isEqualTo("0:" + name);
    }
  }

  @Test
  void a_standby_session_is_kept_apart_until_promoted_then_takes_over_the_worker() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    MesophyllClient active = echoClient(port, 1, tokens.tokenFor(1), true);
    active.connect();
    List<Message> seenByStandby = new CopyOnWriteArrayList<>();
    MesophyllClient[] self = new MesophyllClient[1];
    self[0] = new MesophyllClient("127.0.0.1", port, 1, tokens.tokenFor(1), Duration.ofMillis(100), Duration.ofSeconds(5),
        message -> {
          seenByStandby.add(message);
          if (message instanceof Message.DispatchEvent e && e.reqId() != null) {
            self[0].send(Message.DispatchResponse.ok(e.reqId(), JSON.textNode("standby:" + e.event().name())));
          }
        });
    closeables.add(self[0]);
    MesophyllClient standby = self[0];
    standby.connectStandby();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.standby(1) != null && server.connection(1) != null);

    // The live session is untouched: requests still go to the serving worker, nothing reaches the standby.
    WorkerConnection live = server.connection(1);
    assertThat(live.isStandby()).isFalse();
    assertThat(req(live, "dispatch", "Ping").get(5, TimeUnit.SECONDS).value().asText()).isEqualTo("1:Ping");
    assertThat(standby.isStandby()).isTrue();
    assertThat(seenByStandby).isEmpty();

    active.close(); // the serving worker dies
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(1) == null);
    assertThat(server.standby(1)).isNotNull(); // a standby's session is not the worker's: it stays apart
    assertThat(server.promoteStandby(1)).isTrue();

    // The standby's session is the worker's now: no new connection, requests flow at once.
    assertThat(server.standby(1)).isNull();
    WorkerConnection promoted = server.connection(1);
    assertThat(promoted).isNotNull().isNotSameAs(live);
    assertThat(req(promoted, "dispatch", "Pong").get(5, TimeUnit.SECONDS).value().asText()).isEqualTo("standby:Pong");
    assertThat(seenByStandby.getFirst()).isInstanceOf(Message.Activate.class);
    assertThat(standby.isStandby()).isFalse();
    assertThat(server.promoteStandby(1)).isFalse(); // no standby left to promote
  }

  @Test
  void worker_db_requests_are_answered_by_the_master() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    MesophyllClient client = echoClient(port, 1, tokens.tokenFor(1), true);
    client.connect();

    var reply = client.db("kv", WireTenant.guild(5), JSON.objectNode());
    assertThat(reply.get("worker").asInt()).isEqualTo(1);
    assertThat(reply.get("op").asText()).isEqualTo("kv");
    assertThatThrownBy(() -> client.db("fail", WireTenant.guild(5), JSON.objectNode()))
        .isInstanceOf(MesophyllException.class)
        .hasMessageContaining("fail failed: no such table");
  }

  @Test
  void bad_token_gets_401_and_unknown_id_gets_404() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(handshakeStatus(port, "0", tokens.tokenFor(1))).isEqualTo(401);
    assertThat(handshakeStatus(port, "0", tokens.tokenFor(0).substring(1) + "x")).isEqualTo(401);
    assertThat(handshakeStatus(port, "0", null)).isEqualTo(401);
    assertThat(handshakeStatus(port, "3", tokens.tokenFor(0))).isEqualTo(404);
    assertThat(handshakeStatus(port, "abc", tokens.tokenFor(0))).isEqualTo(404);
    assertThatThrownBy(() -> echoClient(port, 0, "wrong", true).connect())
        .isInstanceOf(MesophyllException.class)
        .hasMessageContaining("worker 0 could not connect");
    assertThat(server.connection(0)).isNull();
  }

  private static int handshakeStatus(int port, String id, String token) throws Exception {
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (token != null) {
      builder.header(MesophyllServer.TOKEN_HEADER, token);
    }
    try {
      builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?id=" + id), new WebSocket.Listener() {})
          .get(5, TimeUnit.SECONDS).abort();
      return 101;
    } catch (ExecutionException e) {
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void malformed_frame_closes_only_that_connection() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    MesophyllClient bad = echoClient(port, 0, tokens.tokenFor(0), true);
    bad.connect();
    echoClient(port, 1, tokens.tokenFor(1), true).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null && server.connection(1) != null);
    WorkerConnection badConn = server.connection(0);

    bad.sendRawForTest(new byte[] {(byte) 0xc1, 1, 2});

    await().atMost(30, TimeUnit.SECONDS).until(() -> !badConn.isOpen());
    await().atMost(30, TimeUnit.SECONDS)
        .until(() -> disconnects.stream().anyMatch(d -> d.startsWith("0: malformed Mesophyll frame")));
    var reply = req(server.connection(1), "dispatch", "StillFine").get(5, TimeUnit.SECONDS);
    assertThat(reply.value().asText()).isEqualTo("1:StillFine");
    // The client reconnects by itself and the worker is usable again.
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null && server.connection(0) != badConn);
    assertThat(req(server.connection(0), "dispatch", "Back").get(5, TimeUnit.SECONDS).value().asText())
        .isEqualTo("0:Back");
  }

  @Test
  void a_worker_that_stops_heartbeating_is_disconnected_and_its_requests_fail() throws Exception {
    // 10 beats may be missed: a loaded machine must not reap the connection before the test pauses the beats
    int port = startServer(Duration.ofMillis(200), 10, Duration.ofSeconds(30));
    MesophyllClient hung = echoClient(port, 0, tokens.tokenFor(0), false);
    hung.connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null);
    WorkerConnection conn = server.connection(0);
    var waiting = req(conn, "dispatch", "NeverAnswered");

    hung.pauseHeartbeatsForTest();

    await().atMost(30, TimeUnit.SECONDS).until(() -> !conn.isOpen());
    // the close is visible before the server's disconnect callback has run: wait for the callback too
    await().atMost(30, TimeUnit.SECONDS).until(() -> disconnects.contains("0: missed heartbeats"));
    assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MesophyllException.class)
        .hasMessageContaining("connection closed (missed heartbeats)");
  }

  @Test
  void heartbeating_worker_stays_connected_past_the_deadline() throws Exception {
    // 10 missed beats of 100 ms: a 1 s deadline, so a loaded machine's stall of a few hundred ms is not a missed deadline
    int port = startServer(Duration.ofMillis(100), 10, Duration.ofSeconds(5));
    echoClient(port, 0, tokens.tokenFor(0), true).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null);
    WorkerConnection conn = server.connection(0);
    // 30 intervals is 3 deadlines: a client that beats must survive them all.
    await().pollDelay(3000, TimeUnit.MILLISECONDS).atMost(6, TimeUnit.SECONDS).until(() -> true);
    assertThat(conn.isOpen()).isTrue();
    assertThat(server.connection(0)).isSameAs(conn);
  }

  @Test
  void unanswered_request_times_out_with_a_clear_error() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofMillis(200));
    echoClient(port, 0, tokens.tokenFor(0), false).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null);
    var reply = req(server.connection(0), "dispatch MESSAGE_CREATE", "Slow");
    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MesophyllException.class)
        .hasMessageContaining("dispatch MESSAGE_CREATE to worker 0 got no reply within 200 ms");
    assertThat(server.connection(0).inFlight()).isZero();
    assertThat(server.connection(0).isOpen()).isTrue();
  }

  @Test
  void client_reconnects_after_the_master_drops_it() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    MesophyllClient client = echoClient(port, 1, tokens.tokenFor(1), true);
    client.connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(1) != null);
    WorkerConnection first = server.connection(1);

    server.disconnect(1, "test drop");

    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(1) != null && server.connection(1) != first);
    await().atMost(30, TimeUnit.SECONDS).until(client::isConnected);
    var reply = req(server.connection(1), "dispatch", "Again").get(5, TimeUnit.SECONDS);
    assertThat(reply.value().asText()).isEqualTo("1:Again");
  }

  @Test
  void a_worker_on_the_unix_socket_is_served_there() throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    java.nio.file.Path socket = server.startUnixSocket();
    assertThat(socket).isNotNull();
    assertThat(java.nio.file.Files.getPosixFilePermissions(socket.getParent()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    MesophyllClient client = echoClient(port, socket, 1, tokens.tokenFor(1), true);
    client.connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(1) != null);
    assertThat(server.connection(1).remoteAddress()).isInstanceOf(java.net.UnixDomainSocketAddress.class);
    assertThat(req(server.connection(1), "dispatch", "Ping").get(5, TimeUnit.SECONDS).value().asText())
        .isEqualTo("1:Ping");
    assertThat(client.db("kv.get", WireTenant.guild(1), JSON.objectNode()).get("op").asText()).isEqualTo("kv.get");

    client.close();
    server.close();
    assertThat(socket.getParent()).doesNotExist();
  }

  @Test
  void socket_directories_of_processes_no_longer_running_are_removed_and_a_running_ones_kept(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    java.nio.file.Path stale = java.nio.file.Files.createDirectory(tmp.resolve("tw-mesophyll-" + ended.pid() + "-1"));
    java.nio.file.Files.createFile(stale.resolve("mesophyll.sock"));
    java.nio.file.Path running = java.nio.file.Files.createDirectory(
        tmp.resolve("tw-mesophyll-" + ProcessHandle.current().pid() + "-2"));
    java.nio.file.Path unrelated = java.nio.file.Files.createDirectory(tmp.resolve("tw-mesophyll-notapid"));
    startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));

    java.nio.file.Path socket = server.startUnixSocket(tmp);

    assertThat(stale).doesNotExist();
    assertThat(running).exists();
    assertThat(unrelated).exists();
    assertThat(socket.getParent().getFileName().toString()).startsWith("tw-mesophyll-" + ProcessHandle.current().pid() + "-");
  }

  @Test
  void without_a_unix_socket_workers_connect_over_tcp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    int port = startServer(Duration.ofSeconds(1), Duration.ofSeconds(5));
    // A socket's path may not exceed ~107 bytes: this directory's is too long, so the server stays on TCP alone.
    java.nio.file.Path deep = java.nio.file.Files.createDirectories(tmp.resolve("d".repeat(120)));
    assertThat(server.startUnixSocket(deep)).isNull();
    assertThat(server.unixSocket()).isNull();
    try (var leftovers = java.nio.file.Files.list(deep)) {
      assertThat(leftovers).isEmpty(); // the private directory it made is gone again
    }

    echoClient(port, 0, tokens.tokenFor(0), true).connect();
    await().atMost(30, TimeUnit.SECONDS).until(() -> server.connection(0) != null);
    assertThat(server.connection(0).remoteAddress()).isInstanceOf(java.net.InetSocketAddress.class);
    assertThat(req(server.connection(0), "dispatch", "Ping").get(5, TimeUnit.SECONDS).value().asText()).isEqualTo("0:Ping");
  }
}
