package io.templateworker.luau.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Stats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which locals the JIT keeps as unboxed doubles. A wrong "numeric" answer would make compiled code store a
 * non-number in a double (wrong results, or a crash); so every kind of non-numeric write is checked. Each
 * snippet declares one local per line; the test finds its slot through the declaring node's line.
 */
class NumberSlotsTest {

  /** The function {@code f} of {@code "local function f(p, q)\n" + body + "\nend"}; body lines start at 2. */
  private static Proto f(String body) {
    Proto main = Luau.compile("local function f(p, q)\n" + body + "\nend\nreturn f", "ns").main();
    return JitHarness.protos(main).stream().filter(p -> "f".equals(p.name)).findFirst().orElseThrow();
  }

  /** Slots declared on {@code line} (local statement, numeric or generic for), in order. */
  private static List<Integer> declaredOn(Proto p, int line) {
    List<Integer> slots = new ArrayList<>();
    Nodes.walk(p.body(), n -> {
      if (!slots.isEmpty()) {
        return;
      }
      switch (n) {
        case Stats.LocalMulti s when s.line == line -> {
          for (int slot : s.slots) {
            slots.add(slot);
          }
        }
        case Stats.SetLocal s when s.line == line -> slots.add(s.slot);
        case Stats.NewCell s when s.line == line -> slots.add(s.slot);
        case Stats.NumericFor s when s.line == line -> slots.add(s.slot);
        case Stats.GenericFor s when s.line == line -> {
          for (int slot : s.slots) {
            slots.add(slot);
          }
        }
        default -> {
        }
      }
    });
    assertThat(slots).as("a local declared on line %d", line).isNotEmpty();
    return slots;
  }

  /** Whether the first local declared on {@code line} (the body's first line is 2) is numeric. */
  private static boolean numeric(Proto p, int line) {
    return NumberSlots.infer(p)[declaredOn(p, line).get(0)];
  }

  @Test
  void for_variables_and_arithmetic_only_locals_are_numeric() {
    Proto p = f("""
        local s = 0
        for i = 1, 10, 0.5 do
          s = s + i * 2
        end
        local d = -s / 3 % 2 // 1 ^ 2
        local c = 1
        c += d
        c *= -c
        local k = s - 1 + 0x10
        return s, d, c, k""");
    assertThat(numeric(p, 2)).as("s").isTrue();
    assertThat(numeric(p, 3)).as("for i").isTrue();
    assertThat(numeric(p, 6)).as("d").isTrue();
    assertThat(numeric(p, 7)).as("c").isTrue();
    assertThat(numeric(p, 10)).as("k").isTrue();
  }

  @Test
  void locals_that_feed_each_other_arithmetic_stay_numeric() {
    // a greatest fixpoint: x depends on y and y on x, with nothing else written to either
    Proto p = f("""
        local x = 0
        local y = 1
        for i = 1, 3 do x = y + i y = x * 2 end
        local a, b = 1, 2
        a, b = b, a
        return x, y, a, b""");
    assertThat(numeric(p, 2)).as("x").isTrue();
    assertThat(numeric(p, 3)).as("y").isTrue();
    List<Integer> ab = declaredOn(p, 5);
    boolean[] num = NumberSlots.infer(p);
    assertThat(num[ab.get(0)]).as("a").isTrue();
    assertThat(num[ab.get(1)]).as("b").isTrue();
  }

  @Test
  void parameters_are_not_numeric_even_when_only_assigned_numbers() {
    Proto p = f("""
        p = 1
        q = p + 1
        return p, q""");
    boolean[] num = NumberSlots.infer(p);
    assertThat(num[0]).as("p").isFalse();
    assertThat(num[1]).as("q").isFalse();
  }

  @Test
  void captured_locals_are_not_numeric() {
    Proto p = f("""
        local cap = 0
        local get = function() return cap end
        cap = cap + 1
        for j = 1, 3 do
          local g = function() return j end
        end
        return get""");
    assertThat(numeric(p, 2)).as("cap").isFalse();
    assertThat(numeric(p, 5)).as("for j, captured").isFalse();
  }

  @Test
  void a_local_ever_assigned_a_non_number_is_not_numeric() {
    Proto p = f("""
        local r = 0
        r = math.floor(1.5)
        local s = 0
        s = "x"
        local n = 1
        n = nil
        local t = 1
        t ..= "a"
        local u
        local w = 1i
        local m = 0
        m = m + p
        local v = 1
        v = -p
        local x, y = 1
        local c = 1
        c += p
        local o = 0
        o = if p then 1 else 2
        return r, s, n, t, u, w, m, v, x, y, c, o""");
    assertThat(numeric(p, 2)).as("call result").isFalse();
    assertThat(numeric(p, 4)).as("string").isFalse();
    assertThat(numeric(p, 6)).as("nil").isFalse();
    assertThat(numeric(p, 8)).as("..=").isFalse();
    assertThat(numeric(p, 10)).as("declared without value").isFalse();
    assertThat(numeric(p, 11)).as("integer").isFalse();
    assertThat(numeric(p, 12)).as("arithmetic with a parameter (may hit a metamethod)").isFalse();
    assertThat(numeric(p, 14)).as("negated parameter").isFalse();
    boolean[] num = NumberSlots.infer(p);
    List<Integer> xy = declaredOn(p, 16);
    assertThat(num[xy.get(1)]).as("y, given no value").isFalse();
    assertThat(numeric(p, 17)).as("c += parameter").isFalse();
    assertThat(numeric(p, 19)).as("if-expression").isFalse();
  }

  @Test
  void non_numbers_propagate_through_the_fixpoint() {
    // b is only ever a + 1, but a is once a string: neither may be a double
    Proto p = f("""
        local a = 1
        local b = 0
        for i = 1, 2 do b = a + 1 end
        a = "s"
        local c = b * 2
        return a, b, c""");
    assertThat(numeric(p, 2)).as("a").isFalse();
    assertThat(numeric(p, 3)).as("b").isFalse();
    assertThat(numeric(p, 6)).as("c").isFalse();
  }

  @Test
  void generic_for_variables_and_multiple_results_are_not_numeric() {
    // the for loop comes last: slots are reused across scopes, and inference is per slot
    Proto p = f("""
        local a, b = 1, 2
        a, b = p, 1
        local c, d = 1, 2
        c, d = math.modf(2.5)
        for k, v in ipairs({1, 2}) do
          k = k + 1
        end
        return a, b, c, d""");
    boolean[] num = NumberSlots.infer(p);
    List<Integer> kv = declaredOn(p, 6);
    assertThat(num[kv.get(0)]).as("k").isFalse();
    assertThat(num[kv.get(1)]).as("v").isFalse();
    List<Integer> ab = declaredOn(p, 2);
    assertThat(num[ab.get(0)]).as("a = p").isFalse();
    assertThat(num[ab.get(1)]).as("b = 1").isTrue();
    List<Integer> cd = declaredOn(p, 4);
    assertThat(num[cd.get(0)]).as("c from a call").isFalse();
    assertThat(num[cd.get(1)]).as("d from a call").isFalse();
  }
}
