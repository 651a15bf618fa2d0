package io.templateworker.luau.cli;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.InternalFailure;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.DiskModuleSource;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/luau FILE... [-- ARGS]}, {@code bin/luau -e CODE}, {@code bin/luau --compile-only FILE...}, and with
 * no file (or {@code -i}) an interactive session ({@link Repl}). Scripts run as under the reference CLI: each in
 * its own thread with its own globals over the frozen builtins, named by its normalised path ("./x.luau").
 * Errors go to stderr as "FILE:LINE: message" plus a stack trace, with exit status 1.
 */
public final class Main {
  private static final String USAGE = "usage: luau [--compile-only] [--sandbox] [--memory-limit BYTES] "
      + "[--time-limit MS] [-i] [-e CODE] FILE... [-- ARGS]\n"
      + "With no FILE and no -e, or with -i after them, an interactive session reads stdin.";

  private Main() {
  }

  public static void main(String[] argv) throws InterruptedException {
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false);
    // Scripts run on a virtual thread: coroutines are virtual threads too, and a hand-off between two virtual
    // threads on one carrier costs ~2 us where a platform thread waking a virtual one costs ~20 us.
    int[] status = new int[1];
    java.io.Console console = System.console();
    boolean terminal = console != null && console.isTerminal();
    Thread runner = Thread.ofVirtual().name("luau-main")
        .start(() -> status[0] = run(argv, out, System.err, System.in, terminal));
    runner.join();
    out.flush();
    if (Boolean.getBoolean("luau.jit.stats")) { // bin/bench luau --vs reads this line
      System.err.println("luau.jit: compiled " + io.templateworker.luau.jit.Jit.compiledCount() + ", skipped "
          + io.templateworker.luau.jit.Jit.skippedCount() + ", failed " + io.templateworker.luau.jit.Jit.failedCount()
          + String.format(java.util.Locale.ROOT, " (%.1f ms compiling)", io.templateworker.luau.jit.Jit.compileNanos() / 1e6));
    }
    System.exit(status[0]);
  }

  /** Runs with no input (tests of file and {@code -e} runs). */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    return run(argv, out, err, InputStream.nullInputStream(), false);
  }

  /** {@code terminal}: stdin and stdout are a terminal (the session then prompts and edits lines). */
  static int run(String[] argv, PrintStream out, PrintStream err, InputStream in, boolean terminal) {
    List<String> files = new ArrayList<>();
    List<String> code = new ArrayList<>();
    List<String> scriptArgs = new ArrayList<>();
    boolean compileOnly = false;
    boolean sandbox = false;
    boolean interactive = false;
    long memoryLimit = -1;
    long timeLimitMs = -1;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--") || a.equals("-a") || a.equals("--program-args")) {
        for (int j = i + 1; j < argv.length; j++) {
          scriptArgs.add(argv[j]);
        }
        break;
      } else if (a.equals("--compile-only")) {
        compileOnly = true;
      } else if (a.equals("--sandbox")) {
        sandbox = true;
      } else if (a.equals("-i") || a.equals("--interactive")) {
        interactive = true;
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
        out.println(USAGE);
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
    // limits: --sandbox means upstream's defaults (20 MiB, 10 s); the flags override; otherwise unlimited
    Limits limits = new Limits(memoryLimit >= 0 ? memoryLimit : sandbox ? Limits.DEFAULT_MEMORY : 0,
        java.time.Duration.ofMillis(timeLimitMs >= 0 ? timeLimitMs : sandbox ? Limits.DEFAULT_TIME.toMillis() : 0),
        sandbox ? Limits.DEFAULT_DEPTH : LuauThread.MAX_CALLS);
    StateOptions options = StateOptions.defaults().withStdout(out).withSandbox(sandbox).withLimits(limits)
        .withModules(new DiskModuleSource());
    int status = 0;
    try (LuauState vm = LuauState.create(options)) {
      LuauTable lastGlobals = null;
      for (String c : code) {
        lastGlobals = globals(vm);
        status |= runSource(vm, lastGlobals, c.getBytes(StandardCharsets.UTF_8), "(command line)", scriptArgs,
            out, err);
      }
      for (String f : files) {
        byte[] src;
        try {
          src = readScript(f);
        } catch (IOException e) {
          err.println("error: cannot read " + f + ": " + e.getMessage());
          status = 1;
          continue;
        }
        lastGlobals = globals(vm);
        status |= runSource(vm, lastGlobals, src, normalizePath(f), scriptArgs, out, err);
      }
      if (interactive || (files.isEmpty() && code.isEmpty())) {
        // the session sees the globals of the last script, as the reference's -i
        LuauTable env = lastGlobals != null ? lastGlobals : globals(vm);
        try (LineSource lines = LineSource.forSession(in, terminal, historyFile())) {
          new Repl(vm, env, out).run(lines);
        }
      }
    }
    return status;
  }

  /** A script's source; a first line starting with "#!" is left out, as the reference CLI does. */
  private static byte[] readScript(String f) throws IOException {
    byte[] src = Files.readAllBytes(Path.of(f));
    if (src.length > 2 && src[0] == '#' && src[1] == '!') {
      int nl = 0;
      while (nl < src.length && src[nl] != '\n') {
        nl++;
      }
      return java.util.Arrays.copyOfRange(src, nl, src.length); // the line break stays: line numbers hold
    }
    return src;
  }

  private static String historyFile() {
    String home = System.getProperty("user.home");
    return home == null ? null : Path.of(home, ".luau_history").toString();
  }

  /** The globals one script runs with (its arguments come as {@code ...}, as under the reference CLI). */
  private static LuauTable globals(LuauState state) {
    return state.options().sandbox() ? state.newEnvironment() : state.newScriptEnvironment();
  }

  private static int compileOnly(List<String> files, PrintStream err) {
    int status = 0;
    for (String f : files) {
      try {
        Luau.compile(readScript(f), f);
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

  /**
   * The reference CLI's name for a script: the path normalised ("." and ".." folded), relative ones prefixed
   * with "./" unless they start with "..": {@code x.luau} → {@code ./x.luau}, {@code a/../b.luau} → {@code ./b.luau}.
   */
  static String normalizePath(String path) {
    boolean absolute = path.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String c : path.split("[/\\\\]", -1)) {
      if (c.equals("..")) {
        if (parts.isEmpty() || parts.getLast().equals("..")) {
          if (!absolute) {
            parts.add("..");
          }
        } else {
          parts.removeLast();
        }
      } else if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    StringBuilder b = new StringBuilder();
    if (absolute) {
      b.append('/');
    } else if (parts.isEmpty() || !parts.getFirst().equals("..")) {
      b.append("./");
    }
    b.append(String.join("/", parts));
    if (b.length() >= 2 && b.charAt(b.length() - 1) == '.' && b.charAt(b.length() - 2) == '.') {
      b.append('/');
    }
    return b.toString();
  }

  /** A script or session entry that yielded at its top level (the reference: "thread yielded unexpectedly"). */
  static final class Yielded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String traceback;

    Yielded(String traceback) {
      super(null, null, false, false);
      this.traceback = traceback;
    }

    String traceback() {
      return traceback;
    }
  }

  /**
   * Runs {@code fn} as the reference CLI runs a script: in a thread of its own (a coroutine), so that
   * {@code coroutine.isyieldable()} is true at its top level and a yield there ends it. Errors come back as
   * {@link LuauError}s; a yield as {@link Yielded}.
   */
  static Object[] runInThread(LuauState state, LuauFunction fn, Object[] args, LuauTable globals) {
    LuauThread co = state.vm().newThread(fn);
    co.setGlobals(globals);
    Object[] r = state.call(LuauFunction.host("resume", (L, a) -> L.resume(co, args)));
    if (co.status() == LuauThread.Status.SUSPENDED) {
      String traceback = co.traceback(null, 1, true);
      co.close();
      throw new Yielded(traceback);
    }
    return r;
  }

  /**
   * The text an uncaught error prints: a string or number error value (the reference's lua_tostring); any other
   * value (nil, a boolean, a table even with __tostring) prints as an empty line, as under the reference CLI.
   */
  static String errorText(LuauState state, LuauError e) {
    Object v = e.value();
    return v instanceof LuauString || v instanceof Double ? Ops.tostring(state.vm().mainThread(), v).toString() : "";
  }

  private static int runSource(LuauState state, LuauTable globals, byte[] src, String chunkName,
      List<String> scriptArgs, PrintStream out, PrintStream err) {
    LuauVM vm = state.vm();
    Object[] argValues = new Object[scriptArgs.size()];
    for (int i = 0; i < scriptArgs.size(); i++) {
      argValues[i] = LuauString.of(scriptArgs.get(i));
    }
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
      runInThread(state, main, argValues, globals);
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
    } catch (Yielded y) {
      out.flush();
      err.println("thread yielded unexpectedly");
      err.print("stacktrace:\n" + y.traceback());
      return 1;
    } catch (LuauError e) {
      out.flush();
      err.println(errorText(state, e));
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
      err.println(chunkName + ": " + InternalFailure.of(bug, null).getMessage());
      return 1;
    }
  }
}
