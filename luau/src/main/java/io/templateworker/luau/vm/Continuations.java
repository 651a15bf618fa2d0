package io.templateworker.luau.vm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's one-shot continuations ({@code jdk.internal.vm.Continuation}, what virtual threads are built on), used
 * for coroutines when the JVM lets us: a resume runs the coroutine on the resumer's own thread until it yields or
 * ends, with no scheduler in between. A coroutine on a virtual thread of its own costs a hand-off through the
 * scheduler and a frozen stack at every resume and yield (several µs; an event handler is a coroutine).
 *
 * <p>Available when the JVM runs with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (the jar
 * manifests, {@code bin/} scripts, test runs and process-pool children pass it) and not turned off with
 * {@code -Dluau.coroutines=threads}; otherwise {@link LuauThread} gives each coroutine a virtual thread. Called
 * through method handles, as {@code --release} compilation cannot see the package.
 */
final class Continuations {
  static final boolean AVAILABLE;
  private static final Object SCOPE;
  private static final MethodHandle NEW;
  private static final MethodHandle RUN;
  private static final MethodHandle YIELD;

  static {
    Object scope = null;
    MethodHandle create = null;
    MethodHandle run = null;
    MethodHandle yield = null;
    boolean available = false;
    if (!"threads".equals(System.getProperty("luau.coroutines"))) {
      try {
        Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        if (continuation.getModule().isExported("jdk.internal.vm", Continuations.class.getModule())) {
          MethodHandles.Lookup lookup = MethodHandles.lookup();
          scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class)).invoke("luau");
          create = lookup.findConstructor(continuation, MethodType.methodType(void.class, scopeClass, Runnable.class))
              .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
          run = lookup.findVirtual(continuation, "run", MethodType.methodType(void.class))
              .asType(MethodType.methodType(void.class, Object.class));
          yield = lookup.findStatic(continuation, "yield", MethodType.methodType(boolean.class, scopeClass))
              .asType(MethodType.methodType(boolean.class, Object.class));
          available = true;
        }
      } catch (Throwable unavailable) {
        available = false; // another JDK, or a security manager: coroutines use virtual threads
      }
    }
    AVAILABLE = available;
    SCOPE = scope;
    NEW = create;
    RUN = run;
    YIELD = yield;
  }

  private Continuations() {}

  /** A continuation that runs {@code body} when first {@linkplain #run run}. */
  static Object create(Runnable body) {
    try {
      return (Object) NEW.invokeExact(SCOPE, body);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Runs (or goes on running) {@code continuation} on this thread until it yields or ends. */
  static void run(Object continuation) {
    try {
      RUN.invokeExact(continuation);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Suspends the innermost running continuation of ours; returns true when it is run again, false at once when it
   * cannot be suspended here: the stack is pinned (a monitor held or a native frame between the resume and this
   * yield), which the JDK reports by throwing "Pinned: ...".
   */
  static boolean yieldNow() {
    try {
      return (boolean) YIELD.invokeExact(SCOPE);
    } catch (IllegalStateException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Pinned")) {
        return false;
      }
      throw e;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
