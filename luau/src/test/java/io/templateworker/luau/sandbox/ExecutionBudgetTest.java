package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LimitExceeded;
import org.junit.jupiter.api.Test;

/** The time slice and interrupt logic against a fake clock: no sleeping, no timing assertions. */
class ExecutionBudgetTest {
  private long now = 1_000_000;
  private final ExecutionBudget budget = new ExecutionBudget(() -> now, 1_000);

  private void tickAll() {
    for (int i = 0; i < ExecutionBudget.CHECK_INTERVAL; i++) {
      budget.tick();
    }
  }

  @Test
  void ticks_pass_before_the_deadline_and_fail_after_it() {
    budget.enter();
    now += 999;
    assertThatCode(this::tickAll).doesNotThrowAnyException();
    now += 1;
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class)
        .hasMessageContaining("Script execution time limit exceeded");
  }

  @Test
  void a_passed_deadline_fires_again_at_the_very_next_tick() {
    budget.enter();
    now += 5_000;
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
    assertThatThrownBy(budget::tick).isInstanceOf(LimitExceeded.class); // pcall caught it: no reprieve
  }

  @Test
  void a_new_outermost_entry_starts_a_fresh_slice() {
    budget.enter();
    now += 5_000;
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
    budget.exit();
    budget.enter();
    assertThatCode(this::tickAll).doesNotThrowAnyException();
  }

  @Test
  void nested_entries_share_the_outer_slice() {
    budget.enter();
    now += 600;
    budget.enter(); // host -> Luau -> host -> Luau
    now += 600;
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
  }

  @Test
  void time_waiting_on_the_host_is_not_counted() {
    budget.enter();
    now += 500;
    budget.pauseForHost();
    now += 1_000_000; // a slow database read
    budget.resumeAfterHost();
    assertThat(budget.remainingNanos()).isEqualTo(500);
    assertThatCode(this::tickAll).doesNotThrowAnyException();
    now += 500;
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
  }

  @Test
  void the_host_wait_listener_hears_the_outermost_wait_once_each_way() {
    java.util.List<String> heard = new java.util.ArrayList<>();
    budget.setHostWaitListener(new ExecutionBudget.HostWaitListener() {
      @Override
      public void waitBegins() {
        heard.add("begins");
      }

      @Override
      public void waitEnded() {
        heard.add("ended");
      }
    });
    budget.enter();
    budget.pauseForHost();
    budget.pauseForHost(); // nested: the host called back into Luau, which waits again
    budget.resumeAfterHost();
    assertThat(heard).containsExactly("begins");
    budget.resumeAfterHost();
    budget.exit();
    assertThat(heard).containsExactly("begins", "ended");
  }

  @Test
  void waiting_for_the_jit_compiler_is_not_counted_up_to_a_cap_per_entry() {
    budget.enter();
    now += 500;
    long started = budget.compileWaitStarts();
    now += 90_000_000; // the shared compiler was busy: a 90 ms wait
    budget.creditCompileWait(started);
    assertThat(budget.remainingNanos()).isEqualTo(500);
    // a script compiling function after function (loadstring in a loop) gets at most the cap back
    long waited = 90_000_000;
    while (waited < ExecutionBudget.MAX_COMPILE_CREDIT_NANOS + 10_000_000) {
      started = budget.compileWaitStarts();
      now += 10_000_000;
      waited += 10_000_000;
      budget.creditCompileWait(started);
    }
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
    budget.exit();
    budget.enter(); // the next entry has its own allowance
    started = budget.compileWaitStarts();
    now += 90_000_000;
    budget.creditCompileWait(started);
    assertThat(budget.remainingNanos()).isEqualTo(1_000);
  }

  @Test
  void no_deadline_outside_an_entry_or_with_a_zero_slice() {
    now += 10_000;
    assertThatCode(this::tickAll).doesNotThrowAnyException();
    budget.setSlice(0);
    budget.enter();
    now += Long.MAX_VALUE / 4;
    assertThatCode(this::tickAll).doesNotThrowAnyException();
  }

  @Test
  void interrupt_stops_at_the_next_check_and_is_cleared_by_the_next_entry() {
    budget.setSlice(0);
    budget.enter();
    budget.interrupt();
    assertThatThrownBy(this::tickAll).isInstanceOf(LimitExceeded.class);
    assertThatThrownBy(budget::poll).isInstanceOf(LimitExceeded.class);
    budget.exit();
    budget.enter();
    assertThatCode(this::tickAll).doesNotThrowAnyException();
  }

  @Test
  void an_interrupt_is_seen_at_the_next_tick_even_without_a_deadline() {
    ExecutionBudget unlimited = new ExecutionBudget(() -> now, 0);
    unlimited.enter();
    unlimited.tick(); // the countdown is far from zero: only the nudged heartbeat epoch makes it look now
    unlimited.interrupt();
    assertThatThrownBy(unlimited::tick).isInstanceOf(LimitExceeded.class);
    unlimited.exit();
  }

  @Test
  void a_script_that_runs_for_long_holds_the_fast_heartbeat_until_it_waits_on_the_host_or_ends() {
    ExecutionBudget longer = new ExecutionBudget(() -> now, 50_000_000);
    longer.enter();
    now += Heartbeat.LONG_RUN_NANOS - 1;
    longer.poll();
    assertThat(longer.holdsFastBeat()).as("a script that ends within microseconds never asks for it").isFalse();
    now += 1;
    longer.poll();
    assertThat(longer.holdsFastBeat()).isTrue();
    longer.pauseForHost();
    assertThat(longer.holdsFastBeat()).as("waiting on the host is not running").isFalse();
    now += Heartbeat.LONG_RUN_NANOS;
    longer.resumeAfterHost();
    longer.poll();
    assertThat(longer.holdsFastBeat()).as("the run is counted again from the host's answer").isFalse();
    now += Heartbeat.LONG_RUN_NANOS;
    longer.poll();
    assertThat(longer.holdsFastBeat()).isTrue();
    longer.exit();
    assertThat(longer.holdsFastBeat()).isFalse();
  }
}
