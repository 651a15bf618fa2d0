package io.templateworker.bench.luau;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.jit.Jit;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every {@code luau/bench/*.luau} (or the files/names given as arguments) at least 10 times and 2 s in
 * one JVM and
 * reports the best wall time per script as {@code luau.<name>: N ms}. Each run gets a fresh VM and globals so
 * runs do not share state; compilation happens once per script, outside the timing.
 *
 * <p>{@code --vs PATH [--runs N]}: compares {@code bin/luau} with another Luau CLI instead ({@link VersusReference}).
 */
public final class LuauBench implements Bench {
  /** Each script runs at least this often and this long: the main chunk runs once per VM, so the JVM needs
   *  a few dozen runs before it has compiled it fully (not just its loops). */
  private static final int MIN_RUNS = 10;
  private static final long MIN_NANOS = 2_000_000_000L;

  @Override
  public void run(String[] args, Results results) throws Exception {
    Path root = Path.of(System.getProperty("tw.root", "."));
    Path dir = root.resolve("luau").resolve("bench");
    List<Path> scripts = new ArrayList<>();
    Path versus = null;
    int runs = VersusReference.DEFAULT_RUNS;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--vs") && i + 1 < args.length) {
        versus = Path.of(args[++i]);
      } else if (a.equals("--runs") && i + 1 < args.length) {
        runs = Integer.parseInt(args[++i]);
      } else {
        scripts.add(a.endsWith(".luau") ? Path.of(a) : dir.resolve(a + ".luau"));
      }
    }
    if (scripts.isEmpty()) {
      try (var files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".luau")).sorted().forEach(scripts::add);
      }
    }
    if (versus != null) {
      new VersusReference(root.resolve("bin").resolve("luau"), versus, runs).run(scripts, results);
      return;
    }
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    VmOptions options = VmOptions.defaults().withStdout(sink).withMaxCallDepth(20000);
    for (Path script : scripts) {
      String name = script.getFileName().toString().replace(".luau", "");
      Chunk chunk = Luau.compile(Files.readAllBytes(script), name);
      long best = Long.MAX_VALUE;
      long started = System.nanoTime();
      for (int i = 0; i < MIN_RUNS || System.nanoTime() - started < MIN_NANOS; i++) {
        try (LuauVM vm = LuauVM.create(options)) {
          LuauTable globals = Luau.standardGlobals(vm);
          LuauFunction main = vm.load(chunk, globals);
          long t0 = System.nanoTime();
          main.call(vm.mainThread(), LuauFunction.NONE);
          best = Math.min(best, System.nanoTime() - t0);
        }
      }
      results.report("luau." + name, best / 1e6, "ms");
    }
    // TW_BENCH_JAVA_OPTS=-Dluau.jit=off bin/bench luau gives the interpreter's figures for comparison
    results.report("luau.jit." + Jit.mode().name().toLowerCase(java.util.Locale.ROOT) + ".compiled",
        Jit.compiledCount(), "functions");
    results.report("luau.jit.skipped", Jit.skippedCount(), "functions");
    results.report("luau.jit.failed", Jit.failedCount(), "functions");
  }
}
