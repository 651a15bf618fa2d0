package io.templateworker.luau.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The task library and the host-driven scheduler, with a fake clock: order and timing are exact. */
class TaskSchedulerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> log = new ArrayList<>();
  /** What probe() saw from the task calling it: a task? held (a root of the heap walk)? its frame's big table live? */
  private final List<Object> seen = new ArrayList<>();
  private final LuauState state;
  private final LuauTable env;

  TaskSchedulerTest() {
    state = LuauState.create(StateOptions.defaults().withClock(now::get));
    state.defineFunction("log", (L, a) -> {
      log.add(a[0].toString());
      return LuauFunction.NONE;
    });
    state.defineFunction("probe", (L, a) -> {
      seen.add(state.scheduler().isTask(L));
      seen.add(java.util.Arrays.asList(state.scheduler().liveTasks()).contains(L));
      seen.add(state.vm().memory().measureNow() > 800_000);
      return LuauFunction.NONE;
    });
    env = state.newEnvironment();
  }

  private LuauThread spawn(String src) {
    return state.spawn(state.load(io.templateworker.luau.embed.Luau.compile(src, "task"), env));
  }

  private void advanceMs(long ms) {
    now.addAndGet(ms * 1_000_000L);
  }

  @Test
  void spawn_runs_now_defer_runs_at_the_next_step() {
    spawn("""
        task.defer(function() log("deferred") end)
        task.spawn(function(x) log("spawned " .. x) end, 1)
        log("main")
        """);
    assertThat(log).containsExactly("spawned 1", "main");
    assertThat(state.scheduler().nextWakeUpNanos()).isEqualTo(now.get());
    assertThat(state.runPending()).isEqualTo(1);
    assertThat(log).containsExactly("spawned 1", "main", "deferred");
    assertThat(state.scheduler().hasPendingWork()).isFalse();
  }

  @Test
  void tasks_are_held_by_the_scheduler_counted_by_the_heap_walk_and_closed_with_the_state() {
    LuauThread waiting = spawn("""
        local big = table.create(100000, 1)
        task.wait(10)
        log("woke " .. #big)
        """);
    assertThat(waiting.status()).isEqualTo(LuauThread.Status.SUSPENDED);
    assertThat(state.vm().coroutinesSnapshot()).as("not in the VM's weak coroutine set").doesNotContain(waiting);
    assertThat(state.scheduler().liveTasks()).contains(waiting);
    assertThat(state.vm().memory().measureNow()).as("its frame's table is live").isGreaterThan(800_000);

    state.close();

    assertThat(waiting.status()).isEqualTo(LuauThread.Status.DEAD);
    assertThat(log).isEmpty();
  }

  @Test
  void a_task_the_host_spawns_is_a_task_while_it_runs_and_held_only_once_it_suspends() {
    LuauThread ended = spawn("""
        local big = table.create(100000, 1)
        probe()
        task.spawn(function() probe() end)
        log("done " .. #big)
        """);
    assertThat(seen).containsExactly(true, true, true, true, true, true);
    assertThat(log).containsExactly("done 100000");
    assertThat(ended.status()).isEqualTo(LuauThread.Status.DEAD);
    assertThat(state.scheduler().isTask(ended)).isFalse();
    assertThat(state.scheduler().liveTasks()).isEmpty();

    LuauThread waiting = spawn("task.wait(1) log('woke')");
    assertThat(state.scheduler().isTask(waiting)).isTrue();
    assertThat(state.scheduler().liveTasks()).containsExactly(waiting);
    advanceMs(1000);
    state.runPending();
    assertThat(log).containsExactly("done 100000", "woke");
    assertThat(state.scheduler().liveTasks()).isEmpty();
  }

  @Test
  void a_suspended_task_resumed_by_the_host_runs_to_its_next_yield_and_ends_as_a_task() {
    LuauThread t = spawn("""
        local got = coroutine.yield()
        log("got " .. got)
        got = coroutine.yield()
        log("then " .. got)
        """);
    assertThat(state.scheduler().isTask(t)).isTrue();
    state.resumeTask(t, new Object[] {LuauString.of("a")});
    assertThat(log).containsExactly("got a");
    assertThat(state.scheduler().isTask(t)).isTrue();
    state.resumeTask(t, new Object[] {LuauString.of("b")});
    assertThat(log).containsExactly("got a", "then b");
    assertThat(t.status()).isEqualTo(LuauThread.Status.DEAD);
    assertThat(state.scheduler().isTask(t)).isFalse(); // ended: no longer owned
    state.resumeTask(t, new Object[] {LuauString.of("c")}); // a dead task is left alone
    assertThat(log).containsExactly("got a", "then b");
  }

  @Test
  void wait_suspends_until_the_clock_passes_and_returns_the_elapsed_time() {
    spawn("local dt = task.wait(0.5) log('woke ' .. dt)");
    assertThat(state.scheduler().nextWakeUpNanos()).isEqualTo(now.get() + 500_000_000L);
    advanceMs(499);
    state.runPending();
    assertThat(log).isEmpty();
    advanceMs(1);
    state.runPending();
    assertThat(log).containsExactly("woke 0.5");
  }

  @Test
  void delay_runs_in_due_order_and_cancel_prevents_it() {
    spawn("""
        task.delay(2, function() log("two") end)
        local t = task.delay(1, function() log("cancelled") end)
        task.delay(1, function(a) log("one " .. a) end, "arg")
        task.cancel(t)
        """);
    advanceMs(3000);
    state.runPending();
    assertThat(log).containsExactly("one arg", "two");
    assertThat(state.scheduler().nextWakeUpNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void a_failing_task_does_not_fail_its_spawner_and_is_reported() {
    spawn("task.spawn(function() error('boom') end) log('spawner continues')");
    assertThat(log).containsExactly("spawner continues");
    assertThat(state.scheduler().errors()).hasSize(1);
    assertThat(state.scheduler().errors().get(0).getMessage()).contains("boom");
  }

  @Test
  void a_task_waiting_on_the_host_lets_other_tasks_run_and_resumes_with_the_result() {
    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    // builtins are sealed once the environment exists, so the host function goes into the environment
    env.rawset(LuauString.of("query"), LuauFunction.host("query", (L, a) -> state.await(L, reply)));
    spawn("local ok, v = pcall(function() return query() end) log('got ' .. v)");
    spawn("log('other task ran')");
    assertThat(log).containsExactly("other task ran");
    assertThat(state.scheduler().hasPendingWork()).isTrue();
    assertThat(state.scheduler().nextWakeUpNanos()).isEqualTo(Long.MAX_VALUE); // nothing due: sleep until woken
    reply.complete(new Object[] {LuauString.of("row")}); // completes "on another thread"
    assertThat(state.scheduler().nextWakeUpNanos()).isEqualTo(now.get());
    state.runPending();
    assertThat(log).containsExactly("other task ran", "got row");
    assertThat(state.scheduler().hasPendingWork()).isFalse();
  }

  @Test
  void a_failed_host_operation_is_a_catchable_error_in_the_task() {
    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    env.rawset(LuauString.of("query"), LuauFunction.host("query", (L, a) -> state.await(L, reply)));
    spawn("local ok, err = pcall(query) log(tostring(ok) .. ' ' .. err)");
    reply.completeExceptionally(new IllegalStateException("timeout after 5 s"));
    state.runPending();
    assertThat(log).containsExactly("false timeout after 5 s");
  }

  @Test
  void wait_outside_a_coroutine_is_a_clear_error() {
    Object[] r = state.run("return pcall(task.wait, 1)", "main", env);
    assertThat(r[0]).isEqualTo(Boolean.FALSE);
    assertThat(r[1].toString()).contains("outside a coroutine");
  }

  @Test
  void a_defer_loop_is_bounded_per_step() {
    spawn("local function again() task.defer(again) end again()");
    assertThat(state.runPending()).isEqualTo(TaskScheduler.MAX_RESUMES_PER_RUN);
    assertThat(state.scheduler().hasPendingWork()).isTrue();
  }
}
