package io.templateworker.devui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.RawJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.ErrorReporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LiveHubTest {
  static final TenantId GUILD = TenantId.guild(1064135068928454766L);
  static final TenantId OTHER = TenantId.guild(1064135068928454767L);

  final List<String> delegated = new CopyOnWriteArrayList<>();
  final LiveHub hub = new LiveHub(new ErrorReporter() {
    @Override
    public void report(TenantId tenant, String template, String event, String error) {
      delegated.add("error " + error);
    }

    @Override
    public void print(TenantId tenant, String template, String text) {
      delegated.add("print " + text);
    }
  });

  @Test
  void a_watcher_gets_its_guilds_events_prints_and_errors_as_json_and_the_log_book_still_gets_its_lines() throws Exception {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable _ = hub.watch(GUILD, text -> seen.add(read(text)))) {
      hub.dispatched(GUILD, CreateEvent.ofJson("MESSAGE", null, RawJson.of("{\"content\":\"!ping\",\"author\":{\"username\":\"alice\"}}")),
          new KhronosValue.ListValue(List.of(KhronosValue.textMap("type", new KhronosValue.Text("ok"), "id",
              new KhronosValue.Text("ping"), "value", new KhronosValue.Text("pong")))));
      hub.print(GUILD, "ping", "hello");
      hub.report(GUILD, "ping", "MESSAGE", "boom", "stack traceback:\n  init.luau:3");
      hub.print(OTHER, "x", "not for this panel");
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
      assertThat(seen.get(0).path("kind").asText()).isEqualTo("event");
      assertThat(seen.get(0).path("event").asText()).isEqualTo("MESSAGE");
      assertThat(seen.get(0).path("message").asText()).isEqualTo("alice: !ping");
      assertThat(seen.get(0).path("results").get(0).path("id").asText()).isEqualTo("ping");
      assertThat(seen.get(0).path("results").get(0).path("value").asText()).isEqualTo("pong");
      assertThat(seen.get(1).path("kind").asText()).isEqualTo("print");
      assertThat(seen.get(1).path("message").asText()).isEqualTo("hello");
      assertThat(seen.get(2).path("kind").asText()).isEqualTo("error");
      assertThat(seen.get(2).path("traceback").asText()).contains("init.luau:3");
    }
    assertThat(hub.watching(GUILD)).isZero();
    assertThat(delegated).containsExactly("print hello", "error boom\nstack traceback:\n  init.luau:3", "print not for this panel");
  }

  @Test
  void a_panel_that_cannot_keep_up_is_told_how_many_entries_it_lost() throws Exception {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (AutoCloseable _ = hub.watch(GUILD, text -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.add(read(text));
    })) {
      for (int i = 0; i < LiveHub.QUEUE + 50; i++) {
        hub.print(GUILD, "t", "line " + i);
      }
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(e -> e.path("message").asText().contains("dropped")));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(e -> e.path("message").asText().equals("line " + (LiveHub.QUEUE + 49))));
    }
  }

  private static JsonNode read(String text) {
    try {
      return LiveHub.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
