package io.templateworker.bench.devui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.bench.Bench;
import io.templateworker.bench.LaunchedService;
import io.templateworker.bench.Results;
import io.templateworker.mockdiscord.DemoGuild;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
      results.report("devui.warm_start_to_pong.median", LaunchedService.median(toPong), "ms");
      results.report("devui.warm_start_to_pong.max", Arrays.stream(toPong).max().orElse(0), "ms");
      results.report("devui.ping_to_pong_after_healthy.median", LaunchedService.median(roundTrip), "ms");
      results.environment("devui.after");
    } finally {
      LaunchedService.deleteTree(dataDir);
    }
  }

  /** Returns {launch-to-pong ms, ping-to-pong ms}. */
  private long[] startPingStop(Path launcher, Path dataDir) throws Exception {
    try (LaunchedService service = LaunchedService.launch(launcher, dataDir, 180)) {
      String channel = service.base() + "/dev/guilds/" + GUILD + "/mock/channels/" + GENERAL + "/messages";
      // Post as soon as the API takes it (the page could not do it any sooner). The API is up before the gateway
      // session is READY, and a message created before that reaches no template (as on Discord): like a user who
      // gets no answer, post again when none came within REPOST_NANOS; ping-to-pong counts from the answered post.
      List<String> pings = new ArrayList<>(List.of(post(service, channel)));
      List<Long> postedAt = new ArrayList<>(List.of(System.nanoTime()));
      int answeredIndex;
      while ((answeredIndex = answered(channel, pings)) < 0) {
        service.check("Pong");
        if (System.nanoTime() - postedAt.getLast() > REPOST_NANOS) {
          pings.add(post(service, channel));
          postedAt.add(System.nanoTime());
        }
        Thread.sleep(POLL_MS);
      }
      long posted = postedAt.get(answeredIndex);
      long pong = System.nanoTime();
      service.stop();
      return new long[] {TimeUnit.NANOSECONDS.toMillis(pong - service.startNanos()), TimeUnit.NANOSECONDS.toMillis(pong - posted)};
    }
  }

  /** Posts !ping as a member once the API takes it; returns the message id. */
  private String post(LaunchedService service, String channel) throws Exception {
    while (true) {
      service.check("Pong");
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


}
