package io.templateworker.luau.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.VmOptions;
import io.templateworker.luau.vm.node.Exprs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs one source twice, interpreted and compiled, from two independent compilations of the source. */
final class JitHarness {
  private JitHarness() {
  }

  /** {@code root} and every function nested in it (the same walk as {@link Jit#compileAll}). */
  static List<Proto> protos(Proto root) {
    List<Proto> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(Proto p, List<Proto> out) {
    out.add(p);
    Nodes.walk(p.body(), n -> {
      if (n instanceof Exprs.Function f) {
        collect(f.proto, out);
      }
    });
  }

  /** A chunk whose every function stays interpreted for good. */
  static Chunk interpreted(String src, String name) {
    Chunk c = Luau.compile(src, name);
    for (Proto p : protos(c.main())) {
      p.install(null);
    }
    return c;
  }

  /** A chunk whose every function is compiled now; fails the test when one cannot be. */
  static Chunk compiled(String src, String name) {
    Chunk c = Luau.compile(src, name);
    List<String> failures = Jit.compileAll(c.main());
    assertThat(failures).as("compileAll failures for:\n%s", src).isEmpty();
    for (Proto p : protos(c.main())) {
      assertThat(p.isCompiled()).isTrue();
    }
    return c;
  }

  /**
   * Runs the chunk in a fresh VM; the outcome is the printed output plus the returned values, or the error
   * message and traceback when the chunk fails.
   */
  static String outcome(Chunk chunk) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    VmOptions options = VmOptions.defaults().withMaxCallDepth(200)
        .withStdout(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try (LuauVM vm = LuauVM.create(options)) {
      LuauFunction f = vm.load(chunk, Luau.standardGlobals(vm));
      StringBuilder sb = new StringBuilder();
      // a generator mistake must end as an error, not hang the build
      vm.budget().setSlice(5_000_000_000L);
      vm.budget().enter();
      try {
        Object[] r = f.call(vm.mainThread(), LuauFunction.NONE);
        sb.append("ok");
        for (Object v : r) {
          sb.append('|').append(Luau.display(v));
        }
      } catch (LuauError e) {
        sb.append("error|").append(e.getMessage()).append("\ntraceback:\n").append(e.traceback());
      } finally {
        vm.budget().exit();
      }
      return printed.toString(StandardCharsets.UTF_8) + sb;
    }
  }

  static String runInterpreted(String src, String name) {
    Chunk c = interpreted(src, name);
    String r = outcome(c);
    // the reference must really have run in the interpreter
    for (Proto p : protos(c.main())) {
      assertThat(p.isCompiled()).isFalse();
    }
    return r;
  }

  static String runCompiled(String src, String name) {
    return outcome(compiled(src, name));
  }

  /** Every function compiled with compact call sites (the mode of very large bodies), then run. */
  static String runCompiledCompact(String src, String name) {
    Chunk c = Luau.compile(src, name);
    List<String> failures = Jit.compileAll(c.main(), true);
    assertThat(failures).as("compact compileAll failures for:\n%s", src).isEmpty();
    return outcome(c);
  }
}
