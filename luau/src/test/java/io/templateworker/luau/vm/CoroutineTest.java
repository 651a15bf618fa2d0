package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoroutineTest {

  @Test
  void only_one_side_runs_at_a_time() {
    LuauVM vm = LuauVM.create();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    LuauFunction body = LuauFunction.host("body", (L, a) -> {
      for (int i = 0; i < 100; i++) {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        running.decrementAndGet();
        L.yield(new Object[] {(double) i});
      }
      return LuauFunction.NONE;
    });
    LuauThread co = vm.newThread(body);
    for (int i = 0; i < 100; i++) {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      running.decrementAndGet();
      assertThat(vm.mainThread().resume(co, LuauFunction.NONE)).containsExactly((double) i);
    }
    vm.mainThread().resume(co, LuauFunction.NONE);
    assertThat(co.status()).isEqualTo(LuauThread.Status.DEAD);
    assertThat(maxRunning.get()).isEqualTo(1);
  }

  @Test
  void a_coroutine_runs_on_its_resumers_thread_when_the_jvm_exports_continuations() {
    // The suite's first run passes --add-exports java.base/jdk.internal.vm=ALL-UNNAMED; its jit-eager run does not.
    boolean exported = Object.class.getModule().isExported("jdk.internal.vm", CoroutineTest.class.getModule());
    assertThat(Continuations.AVAILABLE).isEqualTo(exported);
    LuauVM vm = LuauVM.create();
    Thread[] ranOn = new Thread[2];
    LuauThread co = vm.newThread(LuauFunction.host("body", (L, a) -> {
      ranOn[0] = Thread.currentThread();
      L.yield(LuauFunction.NONE);
      ranOn[1] = Thread.currentThread();
      return LuauFunction.NONE;
    }));
    vm.mainThread().resume(co, LuauFunction.NONE);
    vm.mainThread().resume(co, LuauFunction.NONE);
    assertThat(co.status()).isEqualTo(LuauThread.Status.DEAD);
    if (exported) {
      assertThat(ranOn).containsOnly(Thread.currentThread());
    } else {
      assertThat(ranOn[0]).isNotEqualTo(Thread.currentThread()).isSameAs(ranOn[1]);
    }
  }

  @Test
  void a_coroutine_yields_and_resumes_while_a_host_function_under_it_holds_a_lock() throws Exception {
    // JDK 25 freezes a continuation that holds a monitor, so this is no "Pinned" failure in either mode
    LuauVM vm = LuauVM.create();
    LuauTable g = Luau.standardGlobals(vm);
    Object lock = new Object();
    g.rawset(io.templateworker.luau.value.LuauString.of("locked"), LuauFunction.host("locked", (L, a) -> {
      synchronized (lock) {
        return Ops.call(L, (LuauFunction) a[0], LuauFunction.NONE);
      }
    }));
    Object[] r = vm.load(Luau.compile("""
        local co = coroutine.create(function() locked(function() coroutine.yield() end) return "after" end)
        local ok1 = coroutine.resume(co)
        local s1 = coroutine.status(co)
        local ok2, v = coroutine.resume(co)
        return ok1, s1, ok2, v, coroutine.status(co)
        """, "t"), g).call(vm.mainThread(), LuauFunction.NONE);
    assertThat(r[0]).isEqualTo(true);
    assertThat(r[1].toString()).isEqualTo("suspended");
    assertThat(r[2]).isEqualTo(true);
    assertThat(r[3].toString()).isEqualTo("after");
    assertThat(r[4].toString()).isEqualTo("dead");
    Thread other = Thread.ofPlatform().start(() -> {
      synchronized (lock) { // released when the coroutine's host function returned
      }
    });
    other.join(10_000);
    assertThat(other.isAlive()).isFalse();
  }

  @Test
  void host_function_can_block_inside_a_coroutine_and_resume_later() throws Exception {
    // the part-2 "yield to host" shape: a Java function waits (here for another thread) without special support
    LuauVM vm = LuauVM.create();
    LuauTable g = Luau.standardGlobals(vm);
    java.util.concurrent.CompletableFuture<Double> pending = new java.util.concurrent.CompletableFuture<>();
    g.rawset(io.templateworker.luau.value.LuauString.of("fetch"),
        LuauFunction.host("fetch", (L, a) -> new Object[] {pending.join()}));
    LuauFunction f = vm.load(Luau.compile("return coroutine.wrap(function() return fetch() + 1 end)()", "t"), g);
    Thread.ofPlatform().start(() -> pending.complete(41.0));
    assertThat(f.call(vm.mainThread(), LuauFunction.NONE)).containsExactly(42.0);
  }

  @Test
  void closing_the_vm_ends_parked_coroutines() throws Exception {
    LuauVM vm = LuauVM.create();
    LuauTable g = Luau.standardGlobals(vm);
    Object[] r = vm.load(Luau.compile(
        "local cs = {} for i = 1, 50 do local c = coroutine.create(function() coroutine.yield() end)"
            + " coroutine.resume(c) cs[i] = c end return cs[1]", "t"), g).call(vm.mainThread(), LuauFunction.NONE);
    LuauThread first = (LuauThread) r[0];
    assertThat(first.status()).isEqualTo(LuauThread.Status.SUSPENDED);
    vm.close();
    assertThat(first.status()).isEqualTo(LuauThread.Status.DEAD);
    assertThatThrownBy(() -> vm.mainThread().resume(first, LuauFunction.NONE)).isInstanceOf(LuauError.class)
        .hasMessage("cannot resume dead coroutine");
  }

  @Test
  void resume_yield_round_trip_cost_is_reported() {
    LuauVM vm = LuauVM.create();
    LuauTable g = Luau.standardGlobals(vm);
    LuauFunction f = vm.load(Luau.compile(
        "local n = ... local gen = coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)"
            + " local s = 0 for i = 1, n do s += gen() end return s", "t"), g);
    int n = 20000;
    f.call(vm.mainThread(), new Object[] {(double) n}); // warm up
    long t0 = System.nanoTime();
    Object[] r = f.call(vm.mainThread(), new Object[] {(double) n});
    long ns = System.nanoTime() - t0;
    assertThat(r[0]).isEqualTo(n * (n + 1) / 2.0);
    // Printed figures belong to bin/bench; here the round trip only has to complete.
  }
}
