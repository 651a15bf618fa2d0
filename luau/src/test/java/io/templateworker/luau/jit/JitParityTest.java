package io.templateworker.luau.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.vm.Proto;
import org.junit.jupiter.api.Test;

/**
 * Random programs must produce the same output interpreted and compiled: the JIT's own arithmetic, comparison,
 * loop and unboxed-local paths against the interpreter's, including error messages with their positions.
 */
class JitParityTest {
  /** Override with -Djit.parity.seed / -Djit.parity.programs for a longer hunt; the build uses the defaults. */
  private static final long SEED = Long.getLong("jit.parity.seed", 20261127L);
  private static final int PROGRAMS = Integer.getInteger("jit.parity.programs", 1000);

  @Test
  void random_programs_behave_the_same_compiled_and_interpreted() {
    int failedPrograms = 0;
    int failedCases = 0;
    int withNumericSlots = 0;
    for (int i = 0; i < PROGRAMS; i++) {
      String src = new ProgramGenerator(SEED + i).program();
      String name = "p" + i;
      String expected;
      try {
        expected = JitHarness.runInterpreted(src, name);
      } catch (CompileError e) {
        throw new AssertionError("generated program " + i + " does not compile:\n" + src, e);
      }
      String actual = JitHarness.runCompiled(src, name);
      assertThat(actual).as("program %d (seed %d):\n%s", i, SEED + i, src).isEqualTo(expected);
      if (expected.startsWith("error|") || expected.contains("\nerror|")) {
        failedPrograms++;
      }
      failedCases += count(expected, ":false,");
      if (i % 10 == 0 && hasNumericSlots(src)) {
        withNumericSlots++;
      }
    }
    // the generator must mostly produce programs that run to the end, with some failing cases in them
    assertThat(failedPrograms).isLessThan(PROGRAMS / 20);
    assertThat(failedCases).isGreaterThan(PROGRAMS / 2);
    // and the unboxed-double paths of the JIT must be exercised, not just the boxed ones
    assertThat(withNumericSlots).isGreaterThan(PROGRAMS / 10 / 2);
  }

  /**
   * Very large bodies get compact call sites and arithmetic (calls into the runtime instead of inline paths):
   * the same programs, every function compiled that way.
   */
  @Test
  void random_programs_behave_the_same_with_compact_call_sites() {
    for (int i = 0; i < PROGRAMS / 4; i++) {
      String src = new ProgramGenerator(SEED + i).program();
      String name = "p" + i;
      assertThat(JitHarness.runCompiledCompact(src, name)).as("program %d (seed %d):\n%s", i, SEED + i, src)
          .isEqualTo(JitHarness.runInterpreted(src, name));
    }
  }

  /** Whether a generated case function has a local the JIT keeps as a double. */
  private static boolean hasNumericSlots(String src) {
    for (Proto p : JitHarness.protos(Luau.compile(src, "n").main())) {
      if (p.name != null && p.name.startsWith("case")) {
        for (boolean b : NumberSlots.infer(p)) {
          if (b) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
