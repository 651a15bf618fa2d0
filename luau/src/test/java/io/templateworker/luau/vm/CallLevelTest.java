package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.value.LuauFunction;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Luau's 20000 call levels ({@link LuauThread#MAX_CALLS}) hold the thread's base level, the main chunk, every
 * running builtin that called a function (pcall, xpcall, table.sort) and the Luau frames, tail calls included:
 * the counts below are what the reference CLI 0.735 prints for the same script.
 */
class CallLevelTest {

  private static Object[] run(String source) throws InterruptedException {
    AtomicReference<Object[]> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Chunk chunk = Luau.compile(source, "levels");
    // a deep Java stack, as bin/luau's -Xss64m: the limit under test is Luau's, not the JVM's
    Thread t = Thread.ofPlatform().stackSize(1L << 30).start(() -> {
      try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMaxCallDepth(LuauThread.MAX_CALLS))) {
        result.set(vm.load(chunk, Luau.standardGlobals(vm)).call(vm.mainThread(), LuauFunction.NONE));
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.join();
    assertThat(failure.get()).isNull();
    return result.get();
  }

  @Test
  void builtins_are_call_levels_as_in_luau() throws InterruptedException {
    // the pcall-in-pcall case comes last: after an overflow caught that deep the reference keeps its enlarged
    // call stack (Luau's restore_stack_limit) and would allow 2500 levels more to what runs after it
    Object[] r = run("""
        local n = 0
        local function r() n += 1 r() end
        pcall(r) local direct = n
        n = 0 pcall(pcall, r) local twice = n
        n = 0 xpcall(r, function(e) return e end) local handled = n
        n = 0 local function t(k) n += 1 if k > 0 then return t(k - 1) end end pcall(t, 30000) local tail = n
        n = 0 pcall(table.sort, {3, 2, 1}, function() r() end) local sorted = n
        n = 0 local function p() n += 1 pcall(p) end p()
        return direct, twice, handled, tail, sorted, n
        """);
    assertThat(r).containsExactly(19997.0, 19996.0, 19997.0, 19997.0, 19995.0, 9999.0);
  }
}
