package io.templateworker.bench.devui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.mockdiscord.DemoGuild;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a newcomer waits for: from launching {@code bin/template-worker} (local mode, warm machine: the data folder
 * exists and the demo template is seeded) to the demo answering {@code !ping} — posted in the demo guild's
 * {@code #general} through the dev UI's route as soon as the API is up, the reply read back through the dev UI's
 * route as the page does (every 50 ms; a ping unanswered after 1 s, e.g. posted before the gateway session was READY,
 * is posted again, as a user would). Goal: under 5 s. A first start on an empty data folder runs before the measured ones (it
 * creates the database and seeds the template) and is reported too.
 *
 * <p>Args: {@code [--runs N]} measured warm starts (default 3), {@code [--launcher PATH]} (default bin/template-worker).
 */
public final class DevUiBench implements Bench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GUILD = Long.toUnsignedString(DemoGuild.GUILD_ID);
  private static final String GENERAL = Long.toUnsignedString(DemoGuild.GENERAL_CHANNEL_ID);
  private static final String ALICE = Long.toUnsignedString(DemoGuild.ALICE_ID);
  /**
   * How often the channel is read. The relay reads it with the bot's token, whose global limit (50 a second, as on
   * Discord) the template's reply needs too: reading every 10 ms starved the reply into 429s.
   */
  private static final long POLL_MS = 50;
  /** A !ping without an answer after this long is posted again (see startPingStop). */
  private static final long REPOST_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public void run(String[] args, Results results) throws Exception {
    int runs = 3;
    Path launcher = Path.of(System.getProperty("tw.root", "."), "bin", "template-worker");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--launcher" -> launcher = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --runs N or --launcher PATH)");
      }
    }
    results.environment("devui");
    Path dataDir = Files.createTempDirectory("tw-devui-bench");
    try {
      long[] first = startPingStop(launcher, dataDir);
      results.report("devui.first_start_to_pong", first[0], "ms");
      long[] toPong = new long[runs];
      long[] roundTrip = new long[runs];
      for (int i = 0; i < runs; i++) {
        long[] r = startPingStop(launcher, dataDir);
        toPong[i] = r[0];
        roundTrip[i] = r[1];
      }
      results.report("devui.warm_start_to_pong.median", median(toPong), "ms");
      results.report("devui.warm_start_to_pong.max", Arrays.stream(toPong).max().orElse(0), "ms");
      results.report("devui.ping_to_pong_after_healthy.median", median(roundTrip), "ms");
      results.environment("devui.after");
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Returns {launch-to-pong ms, ping-to-pong ms}. */
  private long[] startPingStop(Path launcher, Path dataDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--data-dir", dataDir.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
    pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
    String base = "http://127.0.0.1:" + port;
    String channel = base + "/dev/guilds/" + GUILD + "/mock/channels/" + GENERAL + "/messages";
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(180);
    Process process = pb.start();
    try {
      // Post as soon as the API takes it (the page could not do it any sooner). The API is up before the gateway
      // session is READY, and a message created before that reaches no template (as on Discord): like a user who
      // gets no answer, post again when none came within REPOST_NANOS; ping-to-pong counts from the answered post.
      List<String> pings = new ArrayList<>(List.of(post(process, deadline, log, channel)));
      List<Long> postedAt = new ArrayList<>(List.of(System.nanoTime()));
      int answeredIndex;
      while ((answeredIndex = answered(channel, pings)) < 0) {
        check(process, deadline, log);
        if (System.nanoTime() - postedAt.getLast() > REPOST_NANOS) {
          pings.add(post(process, deadline, log, channel));
          postedAt.add(System.nanoTime());
        }
        Thread.sleep(POLL_MS);
      }
      long posted = postedAt.get(answeredIndex);
      long pong = System.nanoTime();
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("service did not exit 0 within 60 s of SIGTERM:\n" + Files.readString(log));
      }
      return new long[] {TimeUnit.NANOSECONDS.toMillis(pong - start), TimeUnit.NANOSECONDS.toMillis(pong - posted)};
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  /** Posts !ping as a member once the API takes it; returns the message id. */
  private String post(Process process, long deadline, Path log, String channel) throws Exception {
    while (true) {
      check(process, deadline, log);
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(channel))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"author_id\":\"" + ALICE + "\",\"content\":\"!ping\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body()).path("id").asText();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(10);
    }
  }

  /**
   * Which of the pings (by index) a bot message saying Pong answers — the last ping before it — or -1. A 429 from the
   * mock (Discord's limits on reading a channel) counts as no answer yet.
   */
  private int answered(String channel, List<String> pingIds) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(channel)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return -1;
    }
    int lastPing = -1;
    for (JsonNode m : JSON.readTree(r.body())) {
      int index = pingIds.indexOf(m.path("id").asText());
      if (index >= 0) {
        lastPing = index;
      } else if (lastPing >= 0 && m.path("author").path("bot").asBoolean() && m.path("content").asText().contains("Pong")) {
        return lastPing;
      }
    }
    return -1;
  }

  private static void check(Process process, long deadline, Path log) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("no Pong within 180 s of the launch:\n" + Files.readString(log));
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
