package io.templateworker.luau.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import org.junit.jupiter.api.Test;

/**
 * A Java exception escaping a builtin or host function (a bug) reaches scripts and users as a Luau error that
 * says what failed, never as Java text, and is counted.
 */
class InternalFailureTest {

  /** A host library whose functions fail the way a defective builtin would. */
  private static LuauTable globalsWithBrokenFunctions(LuauVM vm) {
    LuauTable g = Luau.standardGlobals(vm);
    g.rawset(LuauString.of("outOfRange"), LuauFunction.host("outOfRange", (L, a) -> {
      int[] none = new int[0];
      return new Object[] {(double) none[((Double) a[0]).intValue()]};
    }));
    g.rawset(LuauString.of("nullDeref"), LuauFunction.host("nullDeref", (L, a) -> {
      throw new NullPointerException("Cannot invoke \"Object.toString()\" because \"x\" is null");
    }));
    g.rawset(LuauString.of("hostLibrary"), LuauFunction.host("hostLibrary", (L, a) -> {
      throw new HostLibraryException("the key-value store is unavailable");
    }));
    return g;
  }

  static final class HostLibraryException extends RuntimeException {
    HostLibraryException(String message) {
      super(message);
    }
  }

  private static Object[] run(String source) {
    try (LuauVM vm = LuauVM.create(VmOptions.defaults())) {
      return Luau.run(vm, globalsWithBrokenFunctions(vm), source, "bug");
    }
  }

  @Test
  void pcall_catches_a_failing_builtin_called_directly_and_the_message_names_it() {
    long before = InternalFailure.count();
    Object[] r = run("return pcall(outOfRange, 3)");
    assertThat(r[0]).isEqualTo(Boolean.FALSE);
    assertThat(r[1]).hasToString("internal error in 'outOfRange': index out of range");
    assertThat(InternalFailure.count()).isGreaterThan(before);
  }

  @Test
  void inside_a_luau_function_the_error_carries_the_position_and_no_java_text() {
    Object[] r = run("""
        local ok, err = pcall(function()
          local x = 1
          nullDeref(x)
        end)
        return err""");
    assertThat(r[0]).hasToString("bug:3: internal error in 'nullDeref': missing value");
    assertThat(r[0].toString()).doesNotContain("java", "Exception", "Cannot invoke");
  }

  @Test
  void a_host_library_exception_keeps_its_message() {
    Object[] r = run("local ok, err = pcall(hostLibrary) return err");
    assertThat(r[0]).hasToString("internal error in 'hostLibrary': the key-value store is unavailable");
  }

  @Test
  void uncaught_it_reaches_the_embedder_as_a_luau_error_with_the_java_cause() {
    InternalFailure e = catchThrowableOfType(InternalFailure.class, () -> run("local t = {}\noutOfRange(1)"));
    assertThat(e.getMessage()).isEqualTo("bug:2: internal error in 'outOfRange': index out of range");
    assertThat(e.getCause()).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThat(e.traceback()).contains("bug:2");
  }

  @Test
  void in_a_coroutine_and_through_xpcall_too() {
    Object[] r = run("""
        local co = coroutine.create(function() outOfRange(0) end)
        local ok1, e1 = coroutine.resume(co)
        local ok2, e2 = xpcall(nullDeref, function(m) return "handled: " .. m end)
        return e1, e2""");
    assertThat(r[0]).hasToString("bug:1: internal error in 'outOfRange': index out of range");
    assertThat(r[1]).hasToString("handled: internal error in 'nullDeref': missing value");
  }

  @Test
  void a_host_function_called_from_java_fails_the_same_way() {
    try (LuauState state = LuauState.create()) {
      state.defineFunction("broken", (L, a) -> {
        throw new IllegalStateException("unreachable state");
      });
      state.newEnvironment();
      Object fn = state.builtins().rawget(LuauString.of("broken"));
      InternalFailure e = catchThrowableOfType(InternalFailure.class, () -> state.call(fn));
      assertThat(e.getMessage()).isEqualTo("internal error in 'broken': invalid state");
    }
  }
}
