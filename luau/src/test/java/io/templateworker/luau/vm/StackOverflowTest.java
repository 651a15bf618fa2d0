package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.value.LuauFunction;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The StackOverflowError backstop: with a call-depth cap too high for the Java stack, errors still stay Luau's. */
class StackOverflowTest {

  @Test
  void java_stack_exhaustion_becomes_a_catchable_luau_error() throws Exception {
    AtomicReference<Object[]> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable body = () -> {
      try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMaxCallDepth(1_000_000))) {
        LuauFunction f = vm.load(Luau.compile(
            "local function rec(n) return 1 + rec(n + 1) end\n"
                + "local ok, err = pcall(rec, 1)\n"
                + "local ok2 = pcall(rec, 1)\n"
                + "return ok, err, ok2, 40 + 2", "deep"), Luau.standardGlobals(vm));
        result.set(f.call(vm.mainThread(), LuauFunction.NONE));
      } catch (Throwable t) {
        failure.set(t);
      }
    };
    Thread small = new Thread(null, body, "small-stack", 512 * 1024);
    small.start();
    small.join();
    assertThat(failure.get()).isNull();
    assertThat(result.get()[0]).isEqualTo(Boolean.FALSE);
    assertThat(result.get()[1].toString()).isEqualTo("deep:1: stack overflow");
    assertThat(result.get()[2]).isEqualTo(Boolean.FALSE);
    assertThat(result.get()[3]).isEqualTo(42.0);
  }
}
