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
}
