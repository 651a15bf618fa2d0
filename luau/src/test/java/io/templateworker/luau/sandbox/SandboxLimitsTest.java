package io.templateworker.luau.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Limits seen through a whole VM: interrupt from another thread, long-lived VMs, stack depth margins. */
class SandboxLimitsTest {

  @Test
  void interrupt_from_another_thread_stops_an_endless_loop() throws Exception {
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(Limits.unlimited()))) {
      CountDownLatch running = new CountDownLatch(1);
      state.defineFunction("started", (L, a) -> {
        running.countDown();
        return LuauFunction.NONE;
      });
      LuauTable env = state.newEnvironment();
      CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
        try {
          state.run("started() while true do end", "spin", env);
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      state.interrupt();
      Throwable t = outcome.get(30, TimeUnit.SECONDS);
      assertThat(t).isInstanceOf(LimitExceeded.class);
      assertThat(((LimitExceeded) t).kind()).isEqualTo(LimitExceeded.Kind.TIME);
      // the next call starts clean
      assertThat(state.run("return 40 + 2", "after", env)[0]).isEqualTo(42.0);
    }
  }

  @Test
  void interrupt_frees_a_vm_waiting_on_a_host_operation_that_never_completes() throws Exception {
    try (LuauState state = LuauState.create()) {
      CountDownLatch waiting = new CountDownLatch(1);
      state.defineFunction("hang", (L, a) -> {
        waiting.countDown();
        return state.await(L, new CompletableFuture<>());
      });
      LuauTable env = state.newEnvironment();
      CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
        try {
          state.run("hang()", "hang", env);
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      assertThat(waiting.await(30, TimeUnit.SECONDS)).isTrue();
      state.interrupt();
      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(LimitExceeded.class);
    }
  }

  @Test
  void a_long_lived_vm_churning_garbage_does_not_drift_into_memory_errors() {
    Limits limits = new Limits(4L << 20, Duration.ZERO, Limits.DEFAULT_DEPTH);
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits))) {
      LuauTable env = state.newEnvironment();
      // each call allocates ~1 MB of garbage; 40 calls is ten times the cap
      for (int i = 0; i < 40; i++) {
        Object[] r = state.run("local t = {} for i = 1, 10000 do t[i] = {i, tostring(i)} end return #t", "churn",
            env);
        assertThat(r[0]).isEqualTo(10000.0);
      }
      assertThat(state.vm().memory().walks()).isGreaterThan(0);
    }
  }

  @Test
  void memory_error_is_catchable_and_the_vm_stays_usable() {
    Limits limits = new Limits(4L << 20, Duration.ZERO, Limits.DEFAULT_DEPTH);
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(limits))) {
      Object[] r = state.run("""
          local ok, err = pcall(function()
            local t = {}
            for i = 1, 1e9 do t[i] = i end
          end)
          return ok, err, #string.rep("x", 1000)
          """, "catch", state.newEnvironment());
      assertThat(r[0]).isEqualTo(Boolean.FALSE);
      assertThat(r[1]).hasToString("not enough memory");
      assertThat(r[2]).isEqualTo(1000.0);
    }
  }

  @Test
  void recursion_within_the_depth_limit_works_on_main_and_coroutine_threads() {
    try (LuauState state = LuauState.create()) {
      String src = """
          local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
          local co = coroutine.wrap(function() return depth(1900) end)
          return depth(1900), co()
          """;
      Object[] r = state.run(src, "deep", state.newEnvironment());
      assertThat(r).containsExactly(1900.0, 1900.0);
    }
  }

  @Test
  void a_configured_depth_beyond_the_thread_stack_is_clamped_so_the_jvm_never_overflows() {
    Limits deep = Limits.defaults().withMaxCallDepth(10_000_000);
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(deep))) {
      String src = "local n = 0\n"
          + "local function viaGsub(s) n += 1 return (string.gsub(s, '.', viaGsub)) end\n"
          + "local ok, err = pcall(viaGsub, 'x')\n"
          + "return ok, err, n";
      Object[] r = state.run(src, "clamp", state.newEnvironment());
      assertThat(r[0]).isEqualTo(Boolean.FALSE);
      assertThat(r[1].toString()).endsWith("stack overflow");
      assertThat((Double) r[2]).isLessThanOrEqualTo(Limits.stackSafeDepth());
    }
  }

  @Test
  void deep_recursion_fails_with_stack_overflow_not_a_jvm_error() {
    try (LuauState state = LuauState.create()) {
      assertThatThrownBy(() -> state.run("local function f() return 1 + f() end return f()", "deep",
          state.newEnvironment()))
          .isInstanceOfSatisfying(LimitExceeded.class,
              e -> assertThat(e.kind()).isEqualTo(LimitExceeded.Kind.STACK))
          .hasMessageContaining("deep:1: stack overflow");
    }
  }
}
