package io.templateworker.luau.jit;

import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tiering policy: functions start interpreted; a function with a loop or Luau's {@code @native} attribute
 * is compiled to JVM bytecode on its first call (a loop will run long, and there is no on-stack replacement),
 * any other after {@link #CALLS_BEFORE_COMPILE} calls. Compiled code is shared by every VM that loaded the chunk.
 *
 * <p>Set with the system property {@code luau.jit}: {@code on} (default), {@code off} (interpret only) or
 * {@code eager} (compile every function on its first call). A function the generator cannot handle, one too
 * large ({@link #MAX_NODES}, {@link #MAX_BYTECODE}), or one whose class the JVM refuses simply stays
 * interpreted.
 */
public final class Jit {
  private Jit() {
  }

  public enum Mode { OFF, ON, EAGER }

  /** Calls before a loop-free function is compiled. */
  public static final int CALLS_BEFORE_COMPILE = 100;
  /** Larger functions stay interpreted: compile time grows with size, and the JVM caps methods at 64 KB. */
  public static final int MAX_NODES = 12_000;

  /**
   * HotSpot never compiles a method over 8000 bytes of bytecode (HugeMethodLimit): such a body would run in
   * the JVM's bytecode interpreter, far slower than our (JIT-compiled) tree interpreter, so it is not installed.
   */
  public static final int MAX_BYTECODE = 8000;

  /**
   * Bodies longer than this (bytes of JVM bytecode) are generated with compact call sites: HotSpot's optimising
   * compiler stops inlining into a method once the inlined code passes 8000 bytes, so in a body this large even
   * boxing and the number operators would stay calls; compact call sites leave room for them.
   */
  static final int COMPACT_ABOVE = 3000;

  private static final Mode MODE = parseMode(System.getProperty("luau.jit", "on"));
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final AtomicLong COMPILED = new AtomicLong();
  private static final AtomicLong FAILED = new AtomicLong();
  private static final AtomicLong SKIPPED = new AtomicLong();
  private static final AtomicLong COMPILE_NANOS = new AtomicLong();

  private static final String THREAD_NAME = "luau-jit";
  /** How long a call waits for its function to be compiled before running it interpreted. */
  static final long MAX_WAIT_MS = 100;
  /**
   * Compilation runs on one platform thread with a large stack: a function may become hot deep inside a
   * recursion, and the class file builder must not overflow the caller's stack there.
   */
  private static final ExecutorService COMPILER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(null, r, THREAD_NAME, 64L << 20);
    t.setDaemon(true);
    return t;
  });

  private static Mode parseMode(String s) {
    try {
      return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Mode.ON;
    }
  }

  public static Mode mode() {
    return MODE;
  }

  /** Functions compiled so far in this process. */
  public static long compiledCount() {
    return COMPILED.get();
  }

  /** Functions whose compilation failed unexpectedly (they run interpreted); should stay 0. */
  public static long failedCount() {
    return FAILED.get();
  }

  /** Time spent translating functions to JVM classes and loading them, in nanoseconds (all threads). */
  public static long compileNanos() {
    return COMPILE_NANOS.get();
  }

  /** Hot functions left interpreted on purpose: too large to be worth compiling (see the limits above). */
  public static long skippedCount() {
    return SKIPPED.get();
  }

  /**
   * Calls of a new function before it is compiled; 0 = never. Called once per function by the compiler;
   * {@code nativeHint} is Luau's {@code @native} attribute.
   */
  public static int entriesBeforeCompile(Stat body, boolean nativeHint) {
    return switch (MODE) {
      case OFF -> 0;
      case EAGER -> 1;
      case ON -> nativeHint || Nodes.hasLoop(body) ? 1 : CALLS_BEFORE_COMPILE;
    };
  }

  /**
   * Compiles {@code p} and installs the result; on any failure the function stays interpreted. When
   * {@code await}, the caller waits at most {@link #MAX_WAIT_MS} (a compile takes a few milliseconds): when the
   * compiler is busy with other functions, the call runs interpreted and the compiled body is installed once it
   * is ready, so one tenant's many functions never stall another tenant. Otherwise the caller does not wait.
   */
  public static void tierUp(Proto p, boolean await) {
    if (Thread.currentThread().getName().equals(THREAD_NAME)) {
      compileAndInstall(p);
      return;
    }
    Future<?> done = COMPILER.submit(() -> compileAndInstall(p));
    if (!await) {
      return;
    }
    try {
      done.get(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // runs interpreted for now; compileAndInstall installs (or gives up) by itself
    }
  }

  /** Waits until every compile submitted so far has finished (tests: a caller may run on before it is done). */
  static void awaitCompiler() throws InterruptedException, ExecutionException {
    COMPILER.submit(() -> { }).get();
  }

  private static void compileAndInstall(Proto p) {
    Stat compiled = null;
    try {
      compiled = compile(p, true, false);
    } catch (CodeGen.Unsupported u) {
      SKIPPED.incrementAndGet();
    } catch (Throwable t) {
      if (Boolean.getBoolean("luau.jit.debug")) { // -Dluau.jit.debug=true: why a compile failed
        t.printStackTrace();
      }
      FAILED.incrementAndGet();
    }
    p.install(compiled);
  }

  /**
   * Translates {@code p} to a JVM class and returns its body. Throws when the function cannot be compiled
   * (too large, or a node kind the generator does not know).
   */
  public static Stat compile(Proto p) throws ReflectiveOperationException {
    return compile(p, true, false);
  }

  /**
   * {@code hotspotLimit}: refuse bodies HotSpot would never compile (tiering does; ahead-of-time may not).
   * {@code compact}: compact call sites even for a small body.
   */
  private static synchronized Stat compile(Proto p, boolean hotspotLimit, boolean compact)
      throws ReflectiveOperationException {
    long started = System.nanoTime();
    try {
      return translate(p, hotspotLimit, compact);
    } finally {
      COMPILE_NANOS.addAndGet(System.nanoTime() - started);
    }
  }

  private static Stat translate(Proto p, boolean hotspotLimit, boolean compact)
      throws ReflectiveOperationException {
    int size = Nodes.count(p.body());
    if (size > MAX_NODES) {
      throw new CodeGen.Unsupported("function of " + size + " nodes (limit " + MAX_NODES + ")");
    }
    CodeGen.Output out = CodeGen.generate(p, compact);
    int length = CodeGen.bodyLength(out.bytes());
    if (!compact && length > COMPACT_ABOVE) {
      out = CodeGen.generate(p, true);
      length = CodeGen.bodyLength(out.bytes());
    }
    if (hotspotLimit && length > MAX_BYTECODE) {
      throw new CodeGen.Unsupported("function of " + length + " bytes of JVM bytecode (limit " + MAX_BYTECODE + ")");
    }
    MethodHandles.Lookup hidden = LOOKUP.defineHiddenClassWithClassData(out.bytes(), out.constants(), true);
    Stat body;
    try {
      body = (Stat) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
    } catch (ReflectiveOperationException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    COMPILED.incrementAndGet();
    return body;
  }

  /**
   * Compiles {@code root} and every function nested in it, installing each; returns a description of each
   * function that could not be compiled (empty when all were). For tests and ahead-of-time warm-up: unlike
   * tiering it also installs bodies over {@link #MAX_BYTECODE} (correct, only slow until HotSpot gives up).
   */
  public static List<String> compileAll(Proto root) {
    return compileAll(root, false);
  }

  /** {@code compact}: every function with compact call sites, whatever its size (tests of that mode). */
  static List<String> compileAll(Proto root, boolean compact) {
    List<String> failures = new ArrayList<>();
    List<Proto> all = new ArrayList<>();
    collect(root, all);
    for (Proto p : all) {
      try {
        p.install(compile(p, false, compact));
      } catch (Throwable t) {
        failures.add(p.chunkName + ":" + p.lineDefined + " " + (p.name == null ? "main" : p.name) + ": " + t);
        p.install(null);
      }
    }
    return failures;
  }

  private static void collect(Proto p, List<Proto> out) {
    out.add(p);
    Nodes.walk(p.body(), n -> {
      if (n instanceof Exprs.Function f) {
        collect(f.proto, out);
      }
    });
  }
}
