package io.templateworker.luau.cli;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.require.DiskModuleSource;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/luau FILE... [-- ARGS]}, {@code bin/luau -e CODE}, {@code bin/luau --compile-only FILE...}.
 * Errors go to stderr as "FILE:LINE: message" plus a stack trace, with exit status 1.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] argv) throws InterruptedException {
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false);
    // Scripts run on a virtual thread: coroutines are virtual threads too, and a hand-off between two virtual
    // threads on one carrier costs ~2 us where a platform thread waking a virtual one costs ~20 us.
    int[] status = new int[1];
    Thread runner = Thread.ofVirtual().name("luau-main").start(() -> status[0] = run(argv, out, System.err));
    runner.join();
    out.flush();
    if (Boolean.getBoolean("luau.jit.stats")) { // bin/bench luau --vs reads this line
      System.err.println("luau.jit: compiled " + io.templateworker.luau.jit.Jit.compiledCount() + ", skipped "
          + io.templateworker.luau.jit.Jit.skippedCount() + ", failed " + io.templateworker.luau.jit.Jit.failedCount()
          + String.format(java.util.Locale.ROOT, " (%.1f ms compiling)", io.templateworker.luau.jit.Jit.compileNanos() / 1e6));
    }
    System.exit(status[0]);
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    List<String> files = new ArrayList<>();
    List<String> code = new ArrayList<>();
    List<String> scriptArgs = new ArrayList<>();
    boolean compileOnly = false;
    boolean sandbox = false;
    long memoryLimit = -1;
    long timeLimitMs = -1;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--")) {
        for (int j = i + 1; j < argv.length; j++) {
          scriptArgs.add(argv[j]);
        }
        break;
      } else if (a.equals("--compile-only")) {
        compileOnly = true;
      } else if (a.equals("--sandbox")) {
        sandbox = true;
      } else if (a.equals("--memory-limit") || a.equals("--time-limit")) {
        long v = i + 1 < argv.length && argv[i + 1].matches("\\d{1,18}") ? Long.parseLong(argv[++i]) : -1;
        if (v < 0) {
          err.println("error: " + a + " needs a non-negative whole number (" + (a.equals("--time-limit")
              ? "milliseconds" : "bytes") + "; 0 = unlimited)");
          return 2;
        }
        if (a.equals("--time-limit")) {
          timeLimitMs = v;
        } else {
          memoryLimit = v;
        }
      } else if (a.equals("-e")) {
        if (i + 1 >= argv.length) {
          err.println("error: -e needs a string of code");
          return 2;
        }
        code.add(argv[++i]);
      } else if (a.equals("-h") || a.equals("--help")) {
        out.println("usage: luau [--compile-only] [--sandbox] [--memory-limit BYTES] [--time-limit MS] [-e CODE] FILE... [-- ARGS]");
        return 0;
      } else if (a.startsWith("-") && !a.equals("-")) {
        err.println("error: unknown option " + a + " (see --help)");
        return 2;
      } else {
        files.add(a);
      }
    }
    if (compileOnly) {
      return compileOnly(files, err);
    }
    if (files.isEmpty() && code.isEmpty()) {
      err.println("usage: luau [--compile-only] [--sandbox] [--memory-limit BYTES] [--time-limit MS] [-e CODE] FILE... [-- ARGS]");
      return 2;
    }
    // limits: --sandbox means upstream's defaults (20 MiB, 10 s); the flags override; otherwise unlimited
    Limits limits = new Limits(memoryLimit >= 0 ? memoryLimit : sandbox ? Limits.DEFAULT_MEMORY : 0,
        java.time.Duration.ofMillis(timeLimitMs >= 0 ? timeLimitMs : sandbox ? Limits.DEFAULT_TIME.toMillis() : 0),
        sandbox ? Limits.DEFAULT_DEPTH : 20000);
    StateOptions options = StateOptions.defaults().withStdout(out).withSandbox(sandbox).withLimits(limits)
        .withModules(new DiskModuleSource());
    int status = 0;
    try (LuauState vm = LuauState.create(options)) {
      for (String c : code) {
        status |= runSource(vm, c.getBytes(java.nio.charset.StandardCharsets.UTF_8), "(command line)", null,
            scriptArgs, out, err);
      }
      for (String f : files) {
        byte[] src;
        try {
          src = Files.readAllBytes(Path.of(f));
        } catch (IOException e) {
          err.println("error: cannot read " + f + ": " + e.getMessage());
          status = 1;
          continue;
        }
        status |= runSource(vm, src, f, f, scriptArgs, out, err);
      }
    }
    return status;
  }

  private static int compileOnly(List<String> files, PrintStream err) {
    int status = 0;
    for (String f : files) {
      try {
        Luau.compile(Files.readAllBytes(Path.of(f)), f);
      } catch (IOException e) {
        err.println("error: cannot read " + f + ": " + e.getMessage());
        status = 1;
      } catch (CompileError e) {
        err.println(e.getMessage());
        status = 1;
      }
    }
    return status;
  }

  private static int runSource(LuauState state, byte[] src, String chunkName, String script,
      List<String> scriptArgs, PrintStream out, PrintStream err) {
    LuauVM vm = state.vm();
    LuauTable globals = state.options().sandbox() ? state.newEnvironment() : state.newStandaloneGlobals();
    LuauTable arg = new LuauTable();
    if (script != null) {
      arg.rawset(0.0, LuauString.of(script));
    }
    Object[] argValues = new Object[scriptArgs.size()];
    for (int i = 0; i < scriptArgs.size(); i++) {
      argValues[i] = LuauString.of(scriptArgs.get(i));
      arg.rawset(i + 1, argValues[i]);
    }
    globals.rawset(LuauString.of("arg"), arg);
    Chunk chunk;
    try {
      chunk = Luau.compile(src, chunkName);
    } catch (CompileError e) {
      out.flush();
      err.println(e.firstMessage());
      err.println("stacktrace:"); // as the reference CLI, whose trace is empty for a chunk that did not load
      return 1;
    }
    LuauFunction main = vm.load(chunk, globals);
    try {
      state.call(main, argValues);
      state.scheduler().runUntilIdle(); // tasks the script deferred or delayed
      int failed = 0;
      for (LuauError e : state.scheduler().errors()) {
        out.flush();
        err.println(e.getMessage());
        failed = 1;
      }
      state.scheduler().errors().clear();
      return failed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (LuauError e) {
      out.flush();
      Object v = e.value();
      String msg = v instanceof LuauString || v instanceof Double ? Ops.tostring(vm.mainThread(), v).toString()
          : e.getMessage();
      err.println(msg);
      err.println("stacktrace:");
      err.print(e.traceback() == null ? "" : e.traceback());
      return 1;
    } catch (StackOverflowError so) {
      out.flush();
      err.println(chunkName + ": stack overflow");
      return 1;
    } catch (RuntimeException bug) {
      // a defect in the engine or a library, not in the script: say what failed instead of dumping a Java trace
      out.flush();
      err.println(chunkName + ": " + io.templateworker.luau.errors.InternalFailure.of(bug, null).getMessage());
      return 1;
    }
  }
}
