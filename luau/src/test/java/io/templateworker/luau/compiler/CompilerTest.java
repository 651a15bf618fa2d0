package io.templateworker.luau.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauVM;
import org.junit.jupiter.api.Test;

class CompilerTest {

  private static String locals(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("local v").append(i).append(" = ").append(i).append('\n');
    }
    return b.toString();
  }

  @Test
  void two_hundred_locals_compile_and_one_more_fails_with_luaus_message() {
    Compiler.compile(locals(200).getBytes(), "ok");
    assertThatThrownBy(() -> Compiler.compile(locals(201).getBytes(), "many"))
        .isInstanceOf(CompileError.class)
        .hasMessageContaining("Out of local registers when trying to allocate v200: exceeded limit 200");
  }

  @Test
  void locals_of_closed_blocks_free_their_registers() {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < 5; k++) {
      b.append("do\n").append(locals(150)).append("end\n");
    }
    Compiler.compile(b.toString().getBytes(), "blocks");
  }

  @Test
  void upvalue_limit_is_two_hundred() {
    // 101 locals in the chunk and 101 in a middle function: the innermost function captures 202
    StringBuilder b = new StringBuilder();
    StringBuilder uses = new StringBuilder();
    b.append("local ");
    for (int i = 0; i < 101; i++) {
      b.append(i == 0 ? "" : ", ").append("a").append(i);
      uses.append(i == 0 ? "" : ", ").append("a").append(i);
    }
    b.append("\nlocal function mid()\n  local ");
    for (int i = 0; i < 101; i++) {
      b.append(i == 0 ? "" : ", ").append("b").append(i);
      uses.append(", b").append(i);
    }
    b.append("\n  return function() return ").append(uses).append(" end\nend\n");
    assertThatThrownBy(() -> Compiler.compile(b.toString().getBytes(), "ups"))
        .isInstanceOf(CompileError.class).hasMessageContaining("Out of upvalue registers")
        .hasMessageContaining("exceeded limit 200");
  }

  @Test
  void syntax_errors_are_listed_with_line_and_column() {
    assertThatThrownBy(() -> Luau.compile("local = 1", "bad.luau"))
        .isInstanceOf(CompileError.class).hasMessageStartingWith("bad.luau:1:");
  }

  @Test
  void a_chunk_is_shared_between_vms_without_leaking_state() {
    Chunk chunk = Luau.compile("counter = (counter or 0) + 1 return counter", "shared");
    try (LuauVM a = LuauVM.create(); LuauVM b = LuauVM.create()) {
      var ga = Luau.standardGlobals(a);
      var gb = Luau.standardGlobals(b);
      assertThat(a.load(chunk, ga).call(a.mainThread(), LuauFunction.NONE)).containsExactly(1.0);
      assertThat(a.load(chunk, ga).call(a.mainThread(), LuauFunction.NONE)).containsExactly(2.0);
      assertThat(b.load(chunk, gb).call(b.mainThread(), LuauFunction.NONE)).containsExactly(1.0);
    }
  }

  @Test
  void only_captured_locals_are_boxed() {
    Chunk chunk = Luau.compile("local a, b = 1, 2 local function f() return a end return f() + b", "cells");
    try (LuauVM vm = LuauVM.create()) {
      assertThat(vm.load(chunk, Luau.standardGlobals(vm)).call(vm.mainThread(), LuauFunction.NONE))
          .containsExactly(3.0);
    }
  }
}
