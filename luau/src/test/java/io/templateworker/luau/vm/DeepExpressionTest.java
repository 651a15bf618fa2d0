package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.jit.Jit;
import io.templateworker.luau.value.LuauFunction;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Expressions nested up to the parser's limit (1000) evaluate on a worker's virtual thread; on a stack far too
 * small for them, evaluation ends in Luau's "stack overflow" error, never a StackOverflowError.
 */
class DeepExpressionTest {

  private static final int DEPTH = 990;

  /** Nested additions (one + (one + (...))): a parenthesis and an operator are two levels for the parser. */
  private static final String NESTED_SUM =
      "local one = 1\nreturn " + "(one + ".repeat(DEPTH / 2) + "0" + ")".repeat(DEPTH / 2);

  private static Object[] runOn(Thread.Builder builder, String source) throws InterruptedException {
    AtomicReference<Object[]> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Chunk chunk = Luau.compile(source, "deep"); // here, so a tiny stack below only runs it
    Thread t = builder.start(() -> {
      try (LuauVM vm = LuauVM.create(VmOptions.defaults())) {
        LuauFunction f = vm.load(chunk, Luau.standardGlobals(vm));
        result.set(f.call(vm.mainThread(), LuauFunction.NONE));
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.join();
    if (failure.get() != null) {
      return new Object[] {failure.get()};
    }
    return result.get();
  }

  @Test
  void an_expression_nested_to_the_limit_evaluates_on_a_virtual_thread() throws InterruptedException {
    assertThat(runOn(Thread.ofVirtual(), NESTED_SUM)).containsExactly((double) (DEPTH / 2));
  }

  @Test
  void a_long_concat_chain_evaluates_on_a_virtual_thread() throws InterruptedException {
    String chain = "local s = 'a'\nreturn s" + " .. s".repeat(DEPTH);
    Object[] r = runOn(Thread.ofVirtual(), chain);
    assertThat(r[0].toString()).isEqualTo("a".repeat(DEPTH + 1));
  }

  @Test
  void a_stack_too_small_for_the_expression_gives_luaus_stack_overflow_error() throws InterruptedException {
    Object[] r = runOn(Thread.ofPlatform().stackSize(64 * 1024), NESTED_SUM);
    if (Jit.mode() == Jit.Mode.EAGER) {
      // compiled, the nested expression is flat bytecode that needs no deep Java stack
      assertThat(r).containsExactly((double) (DEPTH / 2));
      return;
    }
    // Interpreted, whether 495 levels fit depends on how big HotSpot's frames for the evaluator are at this
    // moment (interpreted frames are several times larger than C2-compiled ones; the JVM also rounds the stack
    // size up to its minimum), so after other tests have warmed the evaluator up it may just fit. What must
    // never happen is a StackOverflowError or any other JVM failure: either the value or Luau's error.
    if (r[0] instanceof Double) {
      assertThat(r).containsExactly((double) (DEPTH / 2));
      return;
    }
    assertThat(r[0]).isInstanceOfSatisfying(LimitExceeded.class, e -> {
      assertThat(e.kind()).isEqualTo(LimitExceeded.Kind.STACK);
      assertThat(e.getMessage()).isEqualTo("deep:2: stack overflow");
    });
  }
}
