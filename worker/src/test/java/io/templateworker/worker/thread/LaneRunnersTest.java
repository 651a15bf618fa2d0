package io.templateworker.worker.thread;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.TenantId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneRunnersTest {
  final ScheduledExecutorService timer = WorkerThread.newTimer();
  /** One slot: whatever runs beside a job got the slot from it. */
  final LaneRunners runners = new LaneRunners(1, Thread.ofVirtual().factory(), timer);
  final TenantLane waiter = new TenantLane(TenantId.guild(1), runners);
  final TenantLane other = new TenantLane(TenantId.guild(2), runners);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  static TenantLane.Job job(Consumer<TenantLane> body) {
    return new TenantLane.Job() {
      @Override
      public void run(TenantLane lane) {
        body.accept(lane);
      }

      @Override
      public void cancel(String reason) {}
    };
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void a_job_that_announces_its_wait_gives_its_slot_to_a_waiting_lane_without_the_stuck_check() {
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch otherRan = new CountDownLatch(1);
    CountDownLatch waiterDone = new CountDownLatch(1);
    waiter.offer(job(lane -> {
      lane.runner.waitBegins();
      waiting.countDown();
      await(otherRan);
      lane.runner.waitEnded();
      waiterDone.countDown();
    }), 10);
    await(waiting);

    other.offer(job(lane -> otherRan.countDown()), 10);

    await(otherRan);
    await(waiterDone);
    assertThat(runners.stuckHandoffs()).isZero();
  }

  @Test
  void a_job_that_blocks_without_saying_so_loses_its_slot_to_a_waiting_lane_through_the_stuck_check() {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch otherRan = new CountDownLatch(1);
    waiter.offer(job(lane -> {
      blocking.countDown();
      await(otherRan); // holds the only slot: no waitBegins()
    }), 10);
    await(blocking);

    other.offer(job(lane -> otherRan.countDown()), 10);

    await(otherRan);
    assertThat(runners.stuckHandoffs()).isEqualTo(1);
  }

  @Test
  void a_job_whose_wait_ends_with_no_free_slot_finishes_and_its_lane_still_runs_its_next_jobs_in_order() {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch otherHoldsTheSlot = new CountDownLatch(1);
    CountDownLatch firstDone = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    waiter.offer(job(lane -> {
      lane.runner.waitBegins();
      waiting.countDown();
      await(otherHoldsTheSlot);
      lane.runner.waitEnded(); // the other lane's runner holds the only slot
      ran.add("first");
      firstDone.countDown();
    }), 10);
    waiter.offer(job(lane -> {
      ran.add("second");
      secondDone.countDown();
    }), 10);
    await(waiting);

    other.offer(job(lane -> {
      otherHoldsTheSlot.countDown();
      await(firstDone);
    }), 10);

    await(secondDone);
    assertThat(ran).containsExactly("first", "second");
  }
}
