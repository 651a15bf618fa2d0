package io.templateworker.luau.vm;

import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * A Luau thread: the main thread of a VM or a coroutine (also the {@code thread} value). Keeps the call
 * stack of Luau frames (function + current line) for error positions and tracebacks.
 *
 * <p>A coroutine body runs as a one-shot continuation on its resumer's thread ({@link Continuations}, when the JVM
 * allows it): {@link #resume} runs it until it yields, returns or fails, so exactly one side runs at any time. A
 * suspended coroutine is a continuation object, collected like any other once unreachable. Otherwise a coroutine
 * body runs on its own virtual thread, and {@link #resume} and {@link #yield} hand control over with two
 * semaphores. Either way a host function that waits for I/O simply blocks its (virtual) thread.
 *
 * <p>On virtual threads, a coroutine left suspended forever is a parked virtual thread. With
 * {@code -Djdk.trackAllThreads=false} the GC reclaims it once nothing references the coroutine (measured: 20,000
 * abandoned coroutines per round, heap flat at 2 MB); with the JDK default ({@code true}) the JDK keeps every
 * virtual thread reachable, so abandoned coroutines live until {@link LuauVM#close()} ends them. Hosts should set
 * the flag.
 */
public final class LuauThread {
  /** Coroutine states as coroutine.status names them. */
  public enum Status {
    SUSPENDED("suspended"), RUNNING("running"), NORMAL("normal"), DEAD("dead");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final LuauVM vm;
  private final LuauFunction body; // null for the main thread
  /** In the VM's coroutine set ({@link LuauVM#newThread}); false for an owned one ({@link LuauVM#newOwnedThread}). */
  private final boolean tracked;
  /**
   * Grown by doubling: a host makes a coroutine per event handler (ours does), most of which never call more than a
   * few frames deep, so it starts small.
   */
  private Frame[] frames = new Frame[8];
  private int depth;
  private final int maxDepth;
  /** Luau's LUAI_MAXCALLS: frames, tail calls included (Luau does not eliminate them), before "stack overflow". */
  public static final int MAX_CALLS = 20000;
  /** Frames replaced by trampolined tail calls ({@link LuauClosure}): gone from the Java stack, counted as Luau does. */
  private int tailFrames;
  /**
   * Builtins running now that called a function (pcall, xpcall, a sort comparator's caller...): each is a call
   * level of its own in Luau (a C CallInfo), counted toward {@link #MAX_CALLS} like Luau frames.
   */
  private int hostLevels;
  /**
   * Real frames allowed now: {@code min(maxDepth, MAX_CALLS - 1 - tailFrames - hostLevels)} (the 1 is the
   * thread's base level, Luau's base_ci), so {@link #push} compares once.
   */
  private int depthLimit;

  // ---- coroutine hand-off state (unused on the main thread) ----
  private Status status;
  private Thread carrier;
  /** The coroutine's continuation once resumed, when {@link Continuations#AVAILABLE} (then no {@link #carrier}). */
  private Object continuation;
  /** The virtual-thread hand-off; null when coroutines are continuations. */
  private final Semaphore toCoroutine = Continuations.AVAILABLE ? null : new Semaphore(0);
  private final Semaphore toResumer = Continuations.AVAILABLE ? null : new Semaphore(0);
  private Object[] transfer;
  private LuauError failure;
  private boolean killed;
  /** The coroutine ended by an error (for coroutine.close's result). */
  private LuauError deathError;

  LuauThread(LuauVM vm, LuauFunction body) {
    this(vm, body, true);
  }

  LuauThread(LuauVM vm, LuauFunction body, boolean tracked) {
    this.vm = vm;
    this.body = body;
    this.tracked = tracked;
    this.maxDepth = vm.options().maxCallDepth();
    this.depthLimit = Math.min(maxDepth, MAX_CALLS - 1);
    this.status = body == null ? Status.RUNNING : Status.SUSPENDED;
  }

  public LuauVM vm() {
    return vm;
  }

  public boolean isMainThread() {
    return body == null;
  }

  public Status status() {
    return status;
  }

  // ---- call stack ---------------------------------------------------------------------------------

  void push(Frame f) {
    int d = depth;
    if (d >= depthLimit) {
      throw new LimitExceeded(LimitExceeded.Kind.STACK);
    }
    vm.budget().tick(); // calls are ticks too: recursion without loops must not escape the time slice
    if (d == frames.length) {
      frames = Arrays.copyOf(frames, d * 2);
    }
    frames[d] = f;
    depth = d + 1;
  }

  void replaceTop(Frame f) {
    frames[depth - 1] = f;
  }

  /** A trampolined tail call replaced the top frame: it still counts toward {@link #MAX_CALLS}. */
  void addTailFrame() {
    if (1 + depth + tailFrames + hostLevels + 1 > MAX_CALLS) {
      throw new LimitExceeded(LimitExceeded.Kind.STACK);
    }
    tailFrames++;
    updateDepthLimit();
  }

  /** The tail-call chain that added {@code n} frames returned. */
  void dropTailFrames(int n) {
    tailFrames -= n;
    updateDepthLimit();
  }

  /**
   * A builtin is about to call a function (pcall, xpcall, {@link #call}): the builtin is a call level too, as in
   * Luau, so {@code pcall(f)} leaves f one level less than calling it directly. Pair with {@link #exitHostLevel()}.
   */
  public void enterHostLevel() {
    hostLevels++;
    updateDepthLimit();
  }

  public void exitHostLevel() {
    hostLevels--;
    updateDepthLimit();
  }

  private void updateDepthLimit() {
    depthLimit = Math.min(maxDepth, MAX_CALLS - 1 - tailFrames - hostLevels);
  }

  void pop() {
    frames[--depth] = null;
  }

  // ---- "C calls": calls made by metamethods and builtins ---------------------------------------------

  /** Luau's LUAI_MAXCCALLS: nested calls through metamethods and builtins before "C stack overflow". */
  public static final int MAX_C_CALLS = 200;
  /** Past this many, even an error handler may not nest further: "error in error handling". */
  private static final int MAX_C_CALLS_HARD = MAX_C_CALLS + (MAX_C_CALLS >> 3);

  /** Nested calls made by metamethods and builtins (not pcall, as Luau's) on this thread, plus the resumer's. */
  private int cCalls;

  /**
   * Before a metamethod or a builtin calls a function (Luau's luaD_call): counts the nesting, so runaway
   * recursion through {@code __index}, {@code __tostring}, sort comparators, gsub callbacks or resumes fails
   * with Luau's catchable "C stack overflow" long before the Java stack runs out. Pair with
   * {@link #exitCCall()} in a {@code finally}; throws (without counting) when over the limit.
   */
  public void enterCCall() {
    int n = cCalls + 1;
    if (n >= MAX_C_CALLS) {
      if (n == MAX_C_CALLS) {
        // raised inside a builtin it has no position, as Luau's luaG_runerror in a C function
        throw inBuiltin() ? new LuauError(LuauString.of("C stack overflow"))
            : LuauError.runtime("C stack overflow");
      }
      if (n >= MAX_C_CALLS_HARD) {
        throw new LuauError(LuauString.of("error in error handling"));
      }
    }
    cCalls = n;
  }

  public void exitCCall() {
    cCalls--;
  }

  /** Whether the innermost Luau frame is running a builtin right now (the caller is that builtin). */
  private boolean inBuiltin() {
    return depth > 0 && frames[depth - 1].hostCallee != null;
  }

  /** Call depth at which a builtin (pcall, xpcall) calls a function directly; -1 when none is active. */
  private int hostCallMark = -1;

  /**
   * Marks that a builtin is about to call a function directly at the current depth, so a builtin called
   * this way reports no Luau position (Luau's level 1 is then a C function). Returns the previous mark,
   * to be restored with {@link #restoreHostCall(int)}.
   */
  public int markHostCall() {
    int old = hostCallMark;
    hostCallMark = depth;
    return old;
  }

  public void restoreHostCall(int mark) {
    hostCallMark = mark;
  }

  /** The traceback of the error an xpcall handler is handling, while it runs (else null). */
  private String errorTraceback;

  /** Installs the traceback an xpcall handler should see; returns the previous one to restore afterwards. */
  public String swapErrorTraceback(String traceback) {
    String old = errorTraceback;
    errorTraceback = traceback;
    return old;
  }

  /** The thread's globals (Luau's {@code L->gt}); null: those of its outermost function. */
  private io.templateworker.luau.value.LuauTable globals;

  /**
   * The thread's global table, as {@code getfenv(0)} sees it and {@code loadstring} gives the functions it
   * makes: set by the host or {@code setfenv(0, t)}, inherited by the coroutines the thread creates; when
   * never set, the environment the outermost Luau function running on it started with.
   */
  public io.templateworker.luau.value.LuauTable globals() {
    if (globals != null) {
      return globals;
    }
    return depth > 0 ? frames[0].env : null; // as it was when that function started
  }

  public void setGlobals(io.templateworker.luau.value.LuauTable globals) {
    this.globals = globals;
  }

  /** Current nesting of Luau calls on this thread. */
  public int callDepth() {
    return depth;
  }

  /** The frame at stack index {@code i} (0 = outermost, {@code callDepth()-1} = innermost); for heap walks. */
  public Frame frameAtIndex(int i) {
    return i >= 0 && i < depth ? frames[i] : null;
  }

  /** The body of a coroutine (null for the main thread); for heap walks. */
  public LuauFunction body() {
    return body;
  }

  /** The Luau frame {@code level} Luau frames out (1 = innermost), builtins not counted. */
  Frame frameAt(int level) {
    int i = depth - level;
    return i >= 0 && i < depth ? frames[i] : null;
  }

  /**
   * What runs at call level {@code level} as Luau counts levels from a builtin (1 = the function that called
   * it): a Luau {@link Frame}, or a builtin ({@link LuauFunction}) that sits between two Luau frames (the
   * {@code pcall} in {@code pcall(f)} is a level of its own, as a C function is in Luau); null past the
   * outermost. Builtins are seen through {@link Frame#hostCallee}, which stays set while they run.
   */
  public Object levelAt(int level) {
    if (level <= 0 || depth == 0) {
      return null;
    }
    int i = depth - 1;
    int n = 1;
    if (depth == hostCallMark) { // the running builtin was called directly by another builtin (pcall(error))
      if (level == 1) {
        return frames[i].hostCallee;
      }
      n = 2;
    }
    while (true) {
      if (n == level) {
        return frames[i];
      }
      if (i == 0) {
        return null;
      }
      LuauFunction between = frames[i - 1].hostCallee;
      if (between != null && !(between instanceof LuauClosure)) {
        n++;
        if (n == level) {
          return between;
        }
      }
      i--;
      n++;
    }
  }

  /**
   * The "chunk:line: " prefix of the Luau function at {@code level} (1 = the innermost Luau function, the
   * one calling the current builtin), or "" when there is none.
   */
  public String where(int level) {
    // a builtin at that level (pcall(error, msg)) or nothing: no position, as Luau's luaL_where
    if (!(levelAt(level) instanceof Frame f)) {
      return "";
    }
    return f.closure.proto.chunkName + ":" + f.line + ": ";
  }

  /**
   * A traceback starting at {@code level} (1 = innermost), one line per frame in Luau's format
   * ("chunk:line function name"), preceded by {@code msg} when it is non-null.
   */
  public String traceback(String msg, int level) {
    return traceback(msg, level, true);
  }

  /**
   * The traceback as Luau prints it: a builtin a Luau frame is calling shows as a "[C] function name" line
   * above that frame. {@code showRunningBuiltin} is false when the builtin called by the innermost shown
   * frame is the one asking (debug.traceback leaves itself out, as Luau's level 1 starts at its caller);
   * error tracebacks keep it ("[C] function error" first). Levels count Luau frames only.
   */
  public String traceback(String msg, int level, boolean showRunningBuiltin) {
    StringBuilder b = new StringBuilder();
    if (msg != null) {
      b.append(msg).append('\n');
    }
    if (errorTraceback != null && level <= 1) {
      // inside an xpcall handler: the frames that raised the error are gone from the Java stack, so show
      // the traceback captured where the error was raised (what Luau's handler sees before unwinding)
      return b.append(errorTraceback).toString();
    }
    int top = Math.min(depth - 1, depth - level);
    // Luau's lua_debugtrace, which error traces use: past 20 levels, the innermost 10, "... (+N frames)" and the
    // outermost 10 (a builtin a frame is calling is a level of its own); debug.traceback shows every level
    int levels = 0;
    for (int i = top; i >= 0; i--) {
      levels += shownBuiltin(i, showRunningBuiltin) != null ? 2 : 1;
    }
    boolean abbreviate = showRunningBuiltin && levels > 20;
    int k = 0;
    for (int i = top; i >= 0; i--) {
      LuauFunction callee = shownBuiltin(i, showRunningBuiltin);
      if (callee != null) {
        if (!abbreviate || k < 10 || k >= levels - 10) {
          b.append("[C] function ").append(callee.name()).append('\n');
        }
        k++;
      }
      if (abbreviate && k == 10) {
        b.append("... (+").append(levels - 20).append(" frames)\n");
      }
      if (!abbreviate || k < 10 || k >= levels - 10) {
        Frame f = frames[i];
        Proto p = f.closure.proto;
        b.append(p.chunkName).append(':').append(f.line);
        if (p.name != null) {
          b.append(" function ").append(p.name);
        }
        b.append('\n');
      }
      k++;
    }
    return b.toString();
  }

  /** The builtin frame {@code i} is calling, when the traceback shows it as a "[C] function" line. */
  private LuauFunction shownBuiltin(int i, boolean showRunningBuiltin) {
    LuauFunction callee = frames[i].hostCallee;
    return callee != null && !(callee instanceof LuauClosure) && (i != depth - 1 || showRunningBuiltin) ? callee : null;
  }

  /**
   * debug.info(level, what): for each letter of {@code what} ("s" source, "l" line, "n" name, "a" arity and
   * vararg flag, "f" function) the matching values; null when no function is at that level.
   */
  public Object[] debugInfo(int level, String what) {
    Frame f = frameAt(level);
    if (f == null) {
      return null;
    }
    return info(f.closure, f.line, what);
  }

  /**
   * Like {@link #debugInfo(int, String)} but with levels as Luau's debug.info, getfenv and error count them
   * (see {@link #levelAt}): a builtin between two Luau frames is a level of its own, described as Luau
   * describes a C function. Hosts that want "the Luau function calling me" use {@link #debugInfo(int, String)}.
   */
  public Object[] levelInfo(int level, String what) {
    Object at = levelAt(level);
    if (at instanceof Frame f) {
      return info(f.closure, f.line, what);
    }
    return at instanceof LuauFunction builtin ? debugInfo(builtin, what) : null;
  }

  /** debug.info(fn, what) for a function value. */
  public Object[] debugInfo(LuauFunction fn, String what) {
    if (fn instanceof LuauClosure c) {
      return info(c, c.proto.lineDefined, what);
    }
    Object[] out = new Object[countResults(what)];
    int k = 0;
    for (int i = 0; i < what.length(); i++) {
      switch (what.charAt(i)) {
        case 's' -> out[k++] = LuauString.of("[C]");
        case 'l' -> out[k++] = -1.0;
        case 'n' -> out[k++] = LuauString.of(fn.name());
        case 'a' -> {
          out[k++] = 0.0;
          out[k++] = Boolean.TRUE;
        }
        case 'f' -> out[k++] = fn;
        default -> throw LuauError.runtime("invalid option");
      }
    }
    return out;
  }

  private static int countResults(String what) {
    int n = 0;
    for (int i = 0; i < what.length(); i++) {
      n += what.charAt(i) == 'a' ? 2 : 1;
    }
    return n;
  }

  private static Object[] info(LuauClosure c, int line, String what) {
    Object[] out = new Object[countResults(what)];
    int k = 0;
    Proto p = c.proto;
    for (int i = 0; i < what.length(); i++) {
      switch (what.charAt(i)) {
        case 's' -> out[k++] = LuauString.of(p.chunkName);
        case 'l' -> out[k++] = (double) line;
        case 'n' -> out[k++] = p.name == null ? null : LuauString.of(p.name);
        case 'a' -> {
          out[k++] = (double) p.numParams;
          out[k++] = p.isVararg;
        }
        case 'f' -> out[k++] = c;
        default -> throw LuauError.runtime("invalid option");
      }
    }
    return out;
  }

  // ---- host services -------------------------------------------------------------------------------

  /** Call from any builtin loop that can run long (pattern matching, sort, rep, gsub). */
  public void checkInterrupt() {
    vm.budget().tick();
  }

  /** Charges {@code bytes} to the VM's memory budget; throws "not enough memory" over the cap. */
  public void allocate(long bytes) {
    vm.charge(bytes);
  }

  /**
   * Calls any callable value (honours __call) from a builtin or host function: counted as a C call (see
   * {@link #enterCCall()}), as Luau's lua_call.
   */
  public Object[] call(Object fn, Object... args) {
    enterCCall();
    enterHostLevel();
    try {
      return Ops.call(this, fn, args);
    } finally {
      exitHostLevel();
      cCalls--;
    }
  }

  // ---- coroutines ----------------------------------------------------------------------------------

  /**
   * Resumes {@code co} from this thread with {@code args}; returns the values it yields or returns.
   * Errors inside the coroutine are rethrown as the original LuauError (the coroutine is then dead).
   * Misuse (dead or non-suspended coroutine) raises a LuauError with Luau's message.
   */
  public Object[] resume(LuauThread co, Object[] args) {
    if (co == this) {
      throw LuauError.runtime("cannot resume running coroutine");
    }
    if (co.status != Status.SUSPENDED) {
      throw LuauError.runtime("cannot resume " + co.status.label() + " coroutine"); // dead, running, normal
    }
    if (vm.isClosed()) {
      throw LuauError.runtime("cannot resume a coroutine of a closed VM");
    }
    if (cCalls >= MAX_C_CALLS) {
      throw new LuauError(LuauString.of("C stack overflow")); // Luau's lua_resume refuses, the coroutine unharmed
    }
    co.cCalls = cCalls + 1; // a resume nests like a C call: the coroutine continues this thread's count
    Status mine = status;
    status = Status.NORMAL;
    co.status = Status.RUNNING;
    co.transfer = args;
    co.failure = null;
    if (Continuations.AVAILABLE) {
      if (co.continuation == null) {
        co.continuation = Continuations.create(co::runBody);
      }
      // The coroutine runs on this thread: its table growth is charged to its VM while it runs, as on its own thread.
      java.util.function.LongConsumer account = io.templateworker.luau.value.LuauTable.GROWTH_ACCOUNT.get();
      boolean rebind = account != vm.growthAccount();
      if (rebind) {
        io.templateworker.luau.value.LuauTable.GROWTH_ACCOUNT.set(vm.growthAccount());
      }
      try {
        Continuations.run(co.continuation); // returns when it yields or ends
      } finally {
        if (rebind) {
          io.templateworker.luau.value.LuauTable.GROWTH_ACCOUNT.set(account);
        }
      }
    } else {
      if (co.carrier == null) {
        co.carrier = Thread.ofVirtual().name("luau-coroutine").unstarted(co::runBody);
        co.carrier.start();
      } else {
        co.toCoroutine.release();
      }
      co.toResumer.acquireUninterruptibly();
    }
    status = mine;
    LuauError err = co.failure;
    if (err != null) {
      co.failure = null;
      throw err;
    }
    Object[] r = co.transfer;
    co.transfer = null;
    return r;
  }

  private void runBody() {
    Object[] result;
    if (!Continuations.AVAILABLE) {
      io.templateworker.luau.value.LuauTable.GROWTH_ACCOUNT.set(vm.growthAccount()); // account table growth here too
    }
    try {
      result = body.call(this, transfer);
      transfer = result;
    } catch (LuauError e) {
      failure = e;
      deathError = e;
    } catch (Kill k) {
      // closed while suspended: just end
    } catch (StackOverflowError so) {
      failure = new LimitExceeded(LimitExceeded.Kind.STACK);
      deathError = failure;
    } catch (OutOfMemoryError oom) {
      failure = new LimitExceeded(LimitExceeded.Kind.MEMORY);
      deathError = failure;
    } catch (RuntimeException | Error e) {
      failure = io.templateworker.luau.errors.InternalFailure.of(e, body.name());
      deathError = failure;
    }
    status = Status.DEAD;
    if (tracked) {
      vm.forget(this);
    }
    if (!Continuations.AVAILABLE) {
      toResumer.release();
    }
  }

  /** Suspends this coroutine, handing {@code values} to its resumer; returns the next resume's arguments. */
  public Object[] yield(Object[] values) {
    if (body == null) {
      throw LuauError.runtime("attempt to yield from outside a coroutine");
    }
    status = Status.SUSPENDED;
    transfer = values;
    if (Continuations.AVAILABLE) {
      if (!Continuations.yieldNow()) {
        // a host function holds a lock (or a native frame) under this yield: the coroutine goes on running
        status = Status.RUNNING;
        transfer = null;
        throw LuauError.runtime("attempt to yield across metamethod/C-call boundary");
      }
    } else {
      toResumer.release();
      toCoroutine.acquireUninterruptibly();
    }
    if (killed) {
      throw new Kill();
    }
    Object[] r = transfer;
    transfer = null;
    return r;
  }

  /** Whether coroutine.yield may be called here. */
  public boolean isYieldable() {
    return body != null;
  }

  /**
   * Closes a suspended or dead coroutine: its virtual thread unwinds and ends. Returns the error it died
   * with, if any.
   */
  public LuauError close() {
    if (status == Status.RUNNING || status == Status.NORMAL) {
      throw LuauError.runtime("cannot close " + status.label() + " coroutine");
    }
    kill();
    LuauError e = deathError;
    deathError = null;
    return e;
  }

  /** Unwinds a suspended coroutine (VM close, coroutine.close): its yield throws {@link Kill}. */
  void kill() {
    if (status == Status.SUSPENDED && continuation != null) {
      killed = true;
      Continuations.run(continuation);
    } else if (status == Status.SUSPENDED && carrier != null) {
      killed = true;
      toCoroutine.release();
      toResumer.acquireUninterruptibly();
    }
    status = Status.DEAD;
    if (tracked) {
      vm.forget(this);
    }
  }

  /** Unwinds a killed coroutine; not a LuauError, so pcall cannot catch it. */
  static final class Kill extends Error {
    private static final long serialVersionUID = 1L;

    Kill() {
      super(null, null, false, false);
    }
  }

  @Override
  public String toString() {
    return "thread: 0x" + Long.toHexString(0x100000000L | System.identityHashCode(this)).substring(1);
  }
}
