package io.templateworker.luau.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The host-facing API: userdata types, calls both ways, errors as exceptions, yields to the host. */
class EmbeddingApiTest {
  static final class Counter {
    double n;
    String label = "c";
  }

  private static UserdataType<Counter> counterType() {
    return UserdataType.builder("Counter", Counter.class)
        .method("inc", (L, self, a) -> {
          self.n += a.length > 0 ? (Double) a[0] : 1;
          return LuauFunction.NONE;
        })
        .field("value", c -> c.n)
        .field("label", c -> LuauString.of(c.label), (c, v) -> c.label = String.valueOf(v))
        .metamethod("__add", (L, a) -> {
          Counter x = new Counter();
          x.n = ((Counter) ((io.templateworker.luau.value.LuauUserdata) a[0]).payload()).n + (Double) a[1];
          return new Object[] {x.n};
        })
        .metamethod("__len", (L, a) -> new Object[] {7.0})
        .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Counter!")})
        .build();
  }

  @Test
  void userdata_has_methods_fields_metamethods_and_a_type_name() {
    UserdataType<Counter> type = counterType();
    try (LuauState state = LuauState.create()) {
      Counter c = new Counter();
      state.defineGlobal("counter", type.wrap(c));
      Object[] r = state.run("""
          counter:inc() counter:inc(2)
          counter.label = "renamed"
          return counter.value, typeof(counter), type(counter), counter + 10, #counter, tostring(counter),
                 counter.label
          """, "ud", state.newEnvironment());
      assertThat(r).containsExactly(3.0, LuauString.of("Counter"), LuauString.of("userdata"), 13.0, 7.0,
          LuauString.of("Counter!"), LuauString.of("renamed"));
      assertThat(c.n).isEqualTo(3.0);
    }
  }

  @Test
  void userdata_rejects_unknown_members_read_only_fields_and_metatable_changes() {
    UserdataType<Counter> type = counterType();
    try (LuauState state = LuauState.create()) {
      state.defineGlobal("counter", type.wrap(new Counter()));
      LuauTable env = state.newEnvironment();
      assertThatThrownBy(() -> state.run("return counter.nope", "u", env))
          .hasMessageContaining("'nope' is not a valid member of Counter");
      assertThatThrownBy(() -> state.run("counter.value = 5", "u", env))
          .hasMessageContaining("'value' of Counter is read-only");
      assertThatThrownBy(() -> state.run("getmetatable(counter).__index = {}", "u", env))
          .isInstanceOf(LuauError.class);
      assertThatThrownBy(() -> state.run("counter.inc(42)", "u", env))
          .hasMessageContaining("invalid argument #1 to 'inc' (Counter expected, got number)");
    }
  }

  @Test
  void a_compiled_chunk_is_shared_by_vms_and_environments() {
    Chunk chunk = Luau.compile("n = (n or 0) + 1 return n", "shared");
    try (LuauState s1 = LuauState.create(); LuauState s2 = LuauState.create()) {
      LuauTable e1 = s1.newEnvironment();
      assertThat(s1.call(s1.load(chunk, e1))[0]).isEqualTo(1.0);
      assertThat(s1.call(s1.load(chunk, e1))[0]).isEqualTo(2.0);
      assertThat(s1.call(s1.load(chunk, s1.newEnvironment()))[0]).isEqualTo(1.0);
      assertThat(s2.call(s2.load(chunk, s2.newEnvironment()))[0]).isEqualTo(1.0);
    }
  }

  @Test
  void java_calls_a_luau_handler_with_an_event_table() {
    try (LuauState state = LuauState.create()) {
      LuauTable env = state.newEnvironment();
      state.run("function handler(ev) return ev.name .. ':' .. ev.id, ev.count * 2 end", "h", env);
      Object handler = env.rawget(LuauString.of("handler"));
      LuauTable event = (LuauTable) Luau.toLuau(java.util.Map.of("name", "MESSAGE", "id", "1", "count", 21));
      assertThat(state.call(handler, event)).containsExactly(LuauString.of("MESSAGE:1"), 42.0);
    }
  }

  @Test
  void a_luau_error_reaches_java_with_its_value_and_traceback() {
    try (LuauState state = LuauState.create()) {
      LuauTable env = state.newEnvironment();
      assertThatThrownBy(() -> state.run("""
          local function inner() error({code = 42}) end
          local function outer() inner() end
          outer()
          """, "tb", env))
          .isInstanceOfSatisfying(LuauError.class, e -> {
            assertThat(e.value()).isInstanceOf(LuauTable.class);
            assertThat(((LuauTable) e.value()).rawget(LuauString.of("code"))).isEqualTo(42.0);
            assertThat(e.traceback()).contains("tb:1 function inner").contains("tb:2 function outer");
          });
    }
  }

  @Test
  void host_await_on_the_main_thread_works_inside_pcall_and_nested_calls() {
    try (LuauState state = LuauState.create()) {
      state.defineFunction("fetch", (L, a) -> state.await(L,
          CompletableFuture.supplyAsync(() -> new Object[] {LuauString.of("row:" + a[0])})));
      state.defineFunction("fail", (L, a) -> state.await(L,
          CompletableFuture.failedFuture(new IllegalStateException("database unavailable"))));
      Object[] r = state.run("""
          local function nested(k) return (fetch(k)) end
          local ok, v = pcall(nested, "a")
          local ok2, err = pcall(fail)
          local co = coroutine.wrap(function() return fetch("in-coroutine") end)
          return v, ok2, err, co()
          """, "await", state.newEnvironment());
      assertThat(r[0]).hasToString("row:a");
      assertThat(r[1]).isEqualTo(Boolean.FALSE);
      assertThat(r[2].toString()).contains("database unavailable");
      assertThat(r[3]).hasToString("row:in-coroutine");
    }
  }

  @Test
  void time_spent_waiting_on_the_host_does_not_count_against_the_slice() {
    AtomicLong now = new AtomicLong();
    StateOptions options = StateOptions.defaults().withClock(now::get)
        .withLimits(Limits.defaults().withTimeSlice(Duration.ofSeconds(1)));
    try (LuauState state = LuauState.create(options)) {
      // the read takes 30 s of wall time: the clock moves while the VM thread waits in get()
      state.defineFunction("slowRead", (L, a) -> state.await(L, new CompletableFuture<Object[]>() {
        @Override
        public Object[] get(long timeout, java.util.concurrent.TimeUnit unit) {
          now.addAndGet(Duration.ofSeconds(30).toNanos());
          return new Object[] {1.0};
        }
      }));
      Object[] r = state.run("local s = 0 for i = 1, 3 do s += slowRead() for j = 1, 5000 do end end return s",
          "slow", state.newEnvironment());
      assertThat(r[0]).isEqualTo(3.0); // 90 s of waiting inside a 1 s slice
    }
  }

  @Test
  void the_slice_still_applies_to_computation_between_host_waits() {
    AtomicLong now = new AtomicLong();
    StateOptions options = StateOptions.defaults().withClock(now::get)
        .withLimits(Limits.defaults().withTimeSlice(Duration.ofSeconds(1)));
    try (LuauState state = LuauState.create(options)) {
      state.defineFunction("burn", (L, a) -> {
        now.addAndGet(Duration.ofMillis(600).toNanos()); // CPU work on the VM thread counts
        return LuauFunction.NONE;
      });
      assertThatThrownBy(() -> state.run("burn() burn() for i = 1, 1e6 do end", "burn", state.newEnvironment()))
          .isInstanceOf(LimitExceeded.class);
    }
  }
}
