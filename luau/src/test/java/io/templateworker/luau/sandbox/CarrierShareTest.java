package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LimitExceeded;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * VMs past their quantum take turns on the share's permits. A 1 ns quantum makes every check a turn, so the
 * tests follow the hand-over step by step; waits are for conditions only.
 */
class CarrierShareTest {
  private final CarrierShare share = new CarrierShare(1, 1);

  private ExecutionBudget budget() {
    ExecutionBudget b = new ExecutionBudget(Clock.SYSTEM, 0);
    b.setCarrierShare(share);
    return b;
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  /** Enters and runs one check on a virtual thread; the future completes when the check returns. */
  private static CompletableFuture<Void> enterAndCheck(ExecutionBudget b) {
    return CompletableFuture.runAsync(() -> {
      b.enter();
      b.poll();
    }, task -> Thread.ofVirtual().start(task));
  }

  private static CompletableFuture<Void> check(ExecutionBudget b) {
    return CompletableFuture.runAsync(b::poll, task -> Thread.ofVirtual().start(task));
  }

  @Test
  void a_vm_past_its_quantum_waits_for_the_permit_and_the_holder_passes_it_on() throws Exception {
    ExecutionBudget a = budget();
    ExecutionBudget b = budget();
    enterAndCheck(a).get(30, TimeUnit.SECONDS);
    assertThat(share.available()).isZero(); // a holds the only permit

    CompletableFuture<Void> bRuns = enterAndCheck(b);
    until(() -> share.waiting() == 1);
    assertThat(bRuns).isNotDone(); // b waits (its virtual thread parked, its carrier free)

    CompletableFuture<Void> aRuns = check(a); // a's next quantum: someone waits, so a hands over and queues
    bRuns.get(30, TimeUnit.SECONDS);
    until(() -> share.waiting() == 1);
    assertThat(aRuns).isNotDone();

    b.exit(); // b returns to the host: the permit goes back to a
    aRuns.get(30, TimeUnit.SECONDS);
    a.exit();
    assertThat(share.available()).isEqualTo(1);
  }

  @Test
  void a_holder_nobody_waits_for_keeps_running_and_waiting_on_the_host_frees_the_permit() throws Exception {
    ExecutionBudget a = budget();
    enterAndCheck(a).get(30, TimeUnit.SECONDS);
    check(a).get(30, TimeUnit.SECONDS);
    assertThat(share.available()).isZero();

    a.pauseForHost();
    assertThat(share.available()).isEqualTo(1);
    a.resumeAfterHost();
    a.exit();
    assertThat(share.available()).isEqualTo(1);
  }

  @Test
  void a_vm_asked_to_stop_while_waiting_stops_with_the_time_limit_error() throws Exception {
    ExecutionBudget a = budget();
    ExecutionBudget b = budget();
    enterAndCheck(a).get(30, TimeUnit.SECONDS);
    CompletableFuture<Void> bRuns = enterAndCheck(b);
    until(() -> share.waiting() == 1);

    b.interrupt();

    assertThatThrownBy(() -> bRuns.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(LimitExceeded.class);
    b.exit();
    a.exit();
    assertThat(share.available()).isEqualTo(1);
  }
}
