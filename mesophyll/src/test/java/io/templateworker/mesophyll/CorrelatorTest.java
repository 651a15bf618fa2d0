package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.mesophyll.protocol.Correlator;
import io.templateworker.mesophyll.protocol.MesophyllException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorrelatorTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void a_lost_connection_fails_unstarted_requests_as_resendable_in_request_order() {
    Correlator<String> requests = new Correlator<>(timer, "worker 1");
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long id = requests.nextRequestId();
      waiting.add(requests.register(id, 60_000, "event " + id));
    }
    requests.started(3);
    requests.started(7);
    requests.complete(7, "done");
    List<Long> failedInOrder = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      long id = i + 1;
      waiting.get(i).whenComplete((v, e) -> {
        if (e instanceof MesophyllException m && m.notStarted()) {
          failedInOrder.add(id);
        }
      });
    }

    requests.failAllTrackingStarts("socket closed");

    assertThat(waiting.get(6)).isCompletedWithValue("done");
    assertThat(waiting.get(2)).isCompletedExceptionally();
    assertThat(waiting.get(2).exceptionNow()).isInstanceOf(MesophyllException.class)
        .hasMessageContaining("failed after it started").hasMessageContaining("may have run in part");
    assertThat(((MesophyllException) waiting.get(2).exceptionNow()).notStarted()).isFalse();
    List<Long> expected = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      if (id != 3 && id != 7) {
        expected.add(id);
      }
    }
    assertThat(failedInOrder).isEqualTo(expected);
    assertThat(requests.waiting()).isZero();
  }

  @Test
  void a_request_without_a_reply_times_out_and_an_answered_one_does_not() throws Exception {
    Correlator<String> requests = new Correlator<>(timer, "worker 2");
    CompletableFuture<String> answered = requests.register(1, 100, "event 1");
    CompletableFuture<String> silent = requests.register(2, 100, "event 2");
    requests.complete(1, "done");

    assertThatThrownBy(() -> silent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MesophyllException.class)
        .hasMessage("event 2 to worker 2 got no reply within 100 ms; the worker may be overloaded or hung");
    assertThat(answered).isCompletedWithValue("done");
    assertThat(requests.waiting()).isZero();
  }

  /** Records what a waiter was told. */
  private static class Recorder implements Correlator.Waiter<String> {
    final long id;
    final List<String> told = new ArrayList<>();

    Recorder(long id) {
      this.id = id;
    }

    @Override
    public String what() {
      return "call " + id;
    }

    @Override
    public void accept(String reply, Throwable error) {
      told.add(error == null ? "reply " + reply : error.getMessage());
    }
  }

  @Test
  void callback_waiters_are_told_once_whatever_order_replies_come_in_and_the_rest_fail_in_request_order() {
    Correlator<String> requests = new Correlator<>(timer, "worker 3");
    int count = 20_000; // grows the table many times
    List<Recorder> waiters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Recorder w = new Recorder(requests.nextRequestId());
      waiters.add(w);
      requests.register(w.id, 60_000, w);
    }
    java.util.Random random = new java.util.Random(42);
    List<Recorder> shuffled = new ArrayList<>(waiters);
    java.util.Collections.shuffle(shuffled, random);
    List<Recorder> answered = shuffled.subList(0, count - 100);
    for (Recorder w : answered) {
      assertThat(requests.complete(w.id, "r" + w.id)).isTrue();
    }
    assertThat(requests.complete(answered.get(0).id, "again")).isFalse();
    assertThat(requests.waiting()).isEqualTo(100);
    List<Long> failedOrder = new ArrayList<>();
    for (Recorder w : waiters) {
      if (!answered.contains(w)) {
        requests.register(w.id, 60_000, new Recorder(w.id) { // same id again: replaces the waiter
          @Override
          public void accept(String reply, Throwable error) {
            failedOrder.add(id);
            w.accept(reply, error);
          }
        });
      }
    }
    assertThat(requests.waiting()).isEqualTo(100);

    requests.failAllTrackingStarts("socket closed");

    for (Recorder w : waiters) {
      assertThat(w.told).hasSize(1);
      assertThat(w.told.get(0)).isEqualTo(answered.contains(w) ? "reply r" + w.id
          : "call " + w.id + " to worker 3 was not started: socket closed");
    }
    assertThat(failedOrder).isSorted().hasSize(100);
    assertThat(requests.waiting()).isZero();
  }

  @Test
  void a_forgotten_waiter_is_never_told_and_forget_says_whether_it_still_waited() {
    Correlator<String> requests = new Correlator<>(timer, "worker 4");
    Recorder kept = new Recorder(1);
    Recorder dropped = new Recorder(2);
    requests.register(1, 60_000, kept);
    requests.register(2, 60_000, dropped);

    assertThat(requests.forget(2)).isTrue();
    assertThat(requests.forget(2)).isFalse();
    requests.failAll("closed");

    assertThat(dropped.told).isEmpty();
    assertThat(kept.told).containsExactly("call 1 to worker 4 failed: closed; the request may or may not have run");
  }
}
