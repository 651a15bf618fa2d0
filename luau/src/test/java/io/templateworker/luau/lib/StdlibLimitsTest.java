package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Library functions that could exhaust memory or run for long must fail as Luau errors, not JVM failures. */
class StdlibLimitsTest {

  private static final long CAP = 8L * 1024 * 1024;

  private static Object[] run(LuauVM vm, String source) {
    return Luau.run(vm, Luau.standardGlobals(vm), source, "limits");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "return string.rep('x', 100 * 1024 * 1024)",
      "return string.rep('abc', 2^25)",
      "return table.create(50000000)",
      "return buffer.create(500 * 1024 * 1024)",
      "return (string.rep('x', 1000):gsub('x', string.rep('y', 100000)))",
      "local t = table.create(2000, string.rep('z', 10000)) return table.concat(t)",
      "return string.format('%s%s', string.rep('q', 6 * 1024 * 1024), string.rep('q', 6 * 1024 * 1024))",
      "return string.split(string.rep(',', 4 * 1024 * 1024))",
  })
  void oversized_results_fail_with_not_enough_memory(String source) {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMemoryLimit(CAP))) {
      assertThatThrownBy(() -> run(vm, source))
          .isInstanceOf(LimitExceeded.class)
          .extracting(e -> ((LimitExceeded) e).kind())
          .isEqualTo(LimitExceeded.Kind.MEMORY);
    }
  }

  @Test
  void memory_errors_are_catchable_by_pcall() {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMemoryLimit(CAP))) {
      Object[] r = run(vm, "local ok, err = pcall(string.rep, 'x', 100 * 1024 * 1024) return ok, err");
      assertThat(r[0]).isEqualTo(Boolean.FALSE);
      assertThat(r[1].toString()).contains("not enough memory");
    }
  }

  @Test
  void results_under_the_cap_still_work() {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults().withMemoryLimit(CAP))) {
      Object[] r = run(vm, "return #string.rep('ab', 1024 * 1024)");
      assertThat(r[0]).isEqualTo(2097152.0);
    }
  }

  @Test
  void rep_beyond_the_string_size_limit_is_refused_even_without_a_cap() {
    try (LuauVM vm = LuauVM.create()) {
      Object[] r = run(vm, "return pcall(string.rep, 'xy', 2^30)");
      assertThat(r[0]).isEqualTo(Boolean.FALSE);
      assertThat(r[1].toString()).contains("resulting string too large");
    }
  }

  @Test
  void sort_checks_the_interrupt() {
    try (LuauVM vm = LuauVM.create()) {
      LuauTable globals = Luau.standardGlobals(vm);
      LuauFunction sort = (LuauFunction) ((LuauTable) globals.rawget(LuauString.of("table"))).rawget(LuauString.of("sort"));
      LuauTable t = new LuauTable();
      for (int i = 1; i <= 200_000; i++) {
        t.rawset(i, Double.valueOf((i * 7919L) % 100_003));
      }
      vm.interrupt();
      assertThatThrownBy(() -> sort.call(vm.mainThread(), new Object[] {t}))
          .isInstanceOf(LimitExceeded.class)
          .extracting(e -> ((LimitExceeded) e).kind())
          .isEqualTo(LimitExceeded.Kind.TIME);
    }
  }

  @Test
  void pathological_pattern_checks_the_interrupt() {
    try (LuauVM vm = LuauVM.create()) {
      vm.interrupt();
      Object[] args = {LuauString.of("a".repeat(2000)), LuauString.of(".-.-.-.-b")};
      assertThatThrownBy(() -> StringLib.find(vm.mainThread(), args, true))
          .isInstanceOf(LimitExceeded.class)
          .extracting(e -> ((LimitExceeded) e).kind())
          .isEqualTo(LimitExceeded.Kind.TIME);
    }
  }
}
