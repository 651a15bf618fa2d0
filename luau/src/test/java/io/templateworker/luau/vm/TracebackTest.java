package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import org.junit.jupiter.api.Test;

/** Tracebacks list running builtins as "[C] function name" lines, where Luau's do. */
class TracebackTest {

  private static final String FUNCTIONS = """
      local function inner() error("boom") end
      local function outer() inner() end
      """;

  private static Object[] run(String source) {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults())) {
      LuauFunction f = vm.load(Luau.compile(FUNCTIONS + source, "tb"), Luau.standardGlobals(vm));
      return f.call(vm.mainThread(), LuauFunction.NONE);
    }
  }

  @Test
  void an_xpcall_handler_sees_the_raising_builtin_and_xpcall_itself() {
    Object[] r = run("return select(2, xpcall(outer, debug.traceback))");
    assertThat(r[0].toString()).isEqualTo("""
        tb:1: boom
        [C] function error
        tb:1 function inner
        tb:2 function outer
        [C] function xpcall
        tb:3
        """);
  }

  @Test
  void debug_traceback_leaves_itself_out_but_shows_builtins_further_down() {
    Object[] r = run("""
        local seen
        table.sort({2, 1}, function(a, b) seen = debug.traceback("here") return a < b end)
        return seen""");
    assertThat(r[0].toString()).isEqualTo("""
        here
        tb:4
        [C] function sort
        tb:4
        """);
  }

  @Test
  void a_suspended_coroutine_shows_the_yield_it_waits_in() {
    Object[] r = run("""
        local co = coroutine.create(function() coroutine.yield() end)
        coroutine.resume(co)
        return debug.traceback(co)""");
    assertThat(r[0].toString()).isEqualTo("[C] function yield\ntb:3\n");
  }

  @Test
  void an_uncaught_error_carries_the_builtin_in_its_traceback() {
    try {
      run("outer()");
    } catch (LuauError e) {
      assertThat(e.traceback()).isEqualTo("""
          [C] function error
          tb:1 function inner
          tb:2 function outer
          tb:3
          """);
      return;
    }
    throw new AssertionError("outer() should have raised");
  }

  @Test
  void a_builtin_that_returned_leaves_no_line_behind() {
    Object[] r = run("""
        local function f() local _ = math.abs(-1) return debug.traceback() end
        return f()""");
    assertThat(r[0].toString()).isEqualTo("tb:3 function f\ntb:4\n");
  }
}
