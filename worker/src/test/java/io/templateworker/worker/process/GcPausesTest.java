package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcPausesTest {

  @Test
  void a_collection_is_counted_and_travels_in_a_childs_stats() {
    GcPauses.Snapshot before = GcPauses.own().take();
    System.gc(); // a stop-the-world collection with the test JVM's collector
    await().atMost(Duration.ofSeconds(10)).until(() -> GcPauses.own().take().count() > before.count());

    Map<String, Long> stats = new HashMap<>();
    GcPauses.own().addTo(stats);
    GcPauses.Snapshot sent = GcPauses.Snapshot.of(stats);
    assertThat(sent.since(before).count()).isPositive();
    assertThat(sent.totalMs()).isGreaterThanOrEqualTo(before.totalMs());
  }

  private static volatile Object sink;

  @Test
  void bytes_allocated_on_a_virtual_thread_travel_in_a_childs_stats() throws InterruptedException {
    Map<String, Long> before = new HashMap<>();
    GcPauses.own().addTo(before);
    Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 64; i++) {
        sink = new byte[1 << 20];
      }
    }).join();
    Map<String, Long> after = new HashMap<>();
    GcPauses.own().addTo(after);
    assertThat(GcPauses.allocatedOf(after) - GcPauses.allocatedOf(before)).isGreaterThanOrEqualTo(64L << 20);
    assertThat(GcPauses.allocatedOf(Map.of())).isEqualTo(-1);
  }
}
