package io.templateworker.luau.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.vm.Proto;
import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compact mode (bodies too large for HotSpot to inline into) calls into the runtime for calls and arithmetic and
 * runs big loops in methods of their own: a program must do exactly what it does interpreted, also when it
 * returns, breaks or fails inside an outlined loop, and when the loop reads numeric locals of the code around it.
 */
class CompactModeTest {
  private static final String PROGRAM = """
      local function work(n, stopAt, bad)
        local scale = 7
        if n > 5 then scale = 9 end
        local out = {}
        for i = 1, n do
          local v = i * scale + (bad or 0)
          if v % 3 == 0 then v = v + 1 elseif v % 3 == 1 then v = v - 1 else v = v * 2 end
          out[#out + 1] = math.floor(v / 2) + string.len(tostring(v))
          for j = 1, 2 do
            if i == stopAt then return 'stopped at ' .. i .. ',' .. j end
          end
        end
        local last = {}
        for k = 1, #out + 1 do
          local w = (out[k] or 0) + scale
          last[1] = k
          if w > 50 then break end
          if k > #out then break end
          out[k] = math.max(w, k) * 1
        end
        return table.concat(out, ' ') .. ' / ' .. last[1]
      end
      print(work(10, -1))
      print(work(10, 4))
      print(pcall(work, 10, -1, {}))
      return work(3, -1)
      """;

  @Test
  void outlined_loops_return_break_and_fail_as_interpreted() {
    String interpreted = JitHarness.runInterpreted(PROGRAM, "compact");
    assertThat(interpreted).contains("stopped at 4,1").contains("attempt to perform arithmetic");
    assertThat(JitHarness.runCompiledCompact(PROGRAM, "compact")).isEqualTo(interpreted);
  }

  @Test
  void big_loops_of_a_compact_body_become_methods_of_their_own() {
    Proto work = JitHarness.protos(Luau.compile(PROGRAM, "compact").main()).stream()
        .filter(p -> "work".equals(p.name)).findFirst().orElseThrow();
    List<String> methods = ClassFile.of().parse(CodeGen.generate(work, true).bytes()).methods().stream()
        .map(MethodModel::methodName).map(Object::toString).toList();
    assertThat(methods).contains("exec", "part0", "part1");
    assertThat(ClassFile.of().parse(CodeGen.generate(work, false).bytes()).methods().stream()
        .map(m -> m.methodName().toString())).doesNotContain("part0");
  }
}
