package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The beat thread: it stops once no script has started for the linger, and a start or a long run wakes it. */
class HeartbeatTest {

  @Test
  void a_start_after_the_thread_parked_wakes_it_and_a_long_run_keeps_it_beating() throws Exception {
    assumeTrue(waitUntilStill(), "something in this JVM kept starting scripts: the thread never parked");

    int before = Heartbeat.epoch();
    Heartbeat.acquire();
    assertThat(beatsWithin(before, 1_000)).as("a start wakes the parked thread").isTrue();

    // Beyond the linger the beat goes on only for a long run.
    Heartbeat.longRunBegins();
    try {
      Thread.sleep(3 * Heartbeat.LINGER_NANOS / 1_000_000);
      int during = Heartbeat.epoch();
      assertThat(beatsWithin(during, 1_000)).as("a long run holds the beat past the linger").isTrue();
    } finally {
      Heartbeat.longRunEnds();
    }
    assertThat(waitUntilStill()).as("with no start and no long run the thread parks again").isTrue();
  }

  /** Waits (up to 5 s) until the epoch has stood still for five linger periods; true if it did. */
  private static boolean waitUntilStill() throws InterruptedException {
    long still = 5 * Heartbeat.LINGER_NANOS / 1_000_000;
    long end = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < end) {
      int e = Heartbeat.epoch();
      Thread.sleep(still);
      if (Heartbeat.epoch() == e) {
        return true;
      }
    }
    return false;
  }

  private static boolean beatsWithin(int epoch, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (Heartbeat.epoch() != epoch) {
        return true;
      }
      Thread.sleep(1);
    }
    return false;
  }
}
