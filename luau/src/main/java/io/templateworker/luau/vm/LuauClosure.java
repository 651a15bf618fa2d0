package io.templateworker.luau.vm;

import io.templateworker.luau.errors.InternalFailure;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.node.Stat;
import java.util.Arrays;

/** A Luau function value: a prototype, its captured upvalue cells and its global environment. */
public final class LuauClosure extends LuauFunction {
  public static final Cell[] NO_UPVALUES = new Cell[0];

  public final Proto proto;
  public final Cell[] upvals;
  /** The globals table (mutable for setfenv). */
  public LuauTable env;

  public LuauClosure(Proto proto, Cell[] upvals, LuauTable env) {
    this.proto = proto;
    this.upvals = upvals;
    this.env = env;
  }

  @Override
  public String name() {
    return proto.name == null ? "anonymous" : proto.name;
  }

  @Override
  public Object[] call(LuauThread L, Object[] args) {
    Proto p = proto;
    Object[] slots = new Object[p.frameSize];
    int np = p.numParams;
    int n = args.length;
    System.arraycopy(args, 0, slots, 0, n < np ? n : np);
    Object[] va = NONE;
    if (n > np && p.isVararg) {
      va = Arrays.copyOfRange(args, np, n);
    }
    return execute(L, slots, va);
  }

  /**
   * Without argument or result arrays. The body is invoked from here rather than from {@link #run}, which
   * every function called from Java passes: HotSpot profiles this site apart and inlines a comparator it sees
   * here. The frame is begun, completed and ended exactly as {@link #run} does it.
   */
  @Override
  public Object callForFirst(LuauThread L, Object a, Object b) {
    Proto p = proto;
    if (p.isVararg) {
      return super.callForFirst(L, a, b);
    }
    Object[] slots = new Object[p.frameSize];
    int np = p.numParams;
    if (np > 0) {
      slots[0] = a;
      if (np > 1) {
        slots[1] = b;
      }
    }
    Frame f = begin(L, this, slots);
    Frame last;
    try {
      last = complete(L, f, p.enter(L).exec(f));
    } catch (Throwable t) {
      Throwable located = abort(t, L, f);
      if (located instanceof RuntimeException e) {
        throw e;
      }
      if (located instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(located);
    }
    end(L);
    return result1(last);
  }

  /**
   * Runs this closure on prepared slots (parameters already in place) and returns all its results.
   */
  public Object[] execute(LuauThread L, Object[] slots, Object[] varargs) {
    return results(run(L, new Frame(L, this, slots, varargs)));
  }

  /**
   * Like {@link #execute}, for a call whose first result only is used: a single returned value travels
   * without a results array.
   */
  public Object execute1(LuauThread L, Object[] slots, Object[] varargs) {
    return result1(run(L, new Frame(L, this, slots, varargs)));
  }

  /**
   * Runs the frame's body. Tail calls requested by the body (past the trampoline depth) run in
   * {@link #tailLoop}, so {@code return f(x)} chains do not grow the Java stack. Returns the last frame with its
   * results in {@code ret} (an array) or, for a single value, {@code ret1} with {@code ret == null}.
   */
  private static Frame run(LuauThread L, Frame f) {
    L.push(f);
    try {
      boxCellParams(f);
      int code = f.closure.proto.enter(L).exec(f);
      return f.tailArgs == null ? done(f, code) : tailLoop(L, f);
    } catch (LuauError e) {
      throw located(L, f, e);
    } catch (StackOverflowError so) {
      throw located(L, f, new LimitExceeded(LimitExceeded.Kind.STACK));
    } catch (RuntimeException | OutOfMemoryError bug) {
      throw located(L, f, internal(f, bug));
    } finally {
      L.pop();
    }
  }

  private static void boxCellParams(Frame f) {
    Object[] slots = f.slots;
    int[] cells = f.closure.proto.cellParams;
    for (int i = 0; i < cells.length; i++) {
      slots[cells[i]] = new Cell(slots[cells[i]]);
    }
  }

  private static Frame done(Frame f, int code) {
    if (code != Stat.RETURN) {
      f.ret = NONE;
    }
    return f;
  }

  /** Runs the tail calls a body requested, each replacing the top frame; errors are located in the frame running. */
  private static Frame tailLoop(LuauThread L, Frame f) {
    int replaced = 0;
    try {
      while (true) {
        Object[] args = f.tailArgs;
        Object fn = f.tailFn; // may be nil: Ops.call below raises "attempt to call a nil value"
        if (fn instanceof LuauClosure next) {
          Proto p = next.proto;
          Object[] nextSlots = new Object[p.frameSize];
          int np = p.numParams;
          int n = args.length;
          System.arraycopy(args, 0, nextSlots, 0, n < np ? n : np);
          Object[] varargs = n > np && p.isVararg ? Arrays.copyOfRange(args, np, n) : NONE;
          L.addTailFrame();
          replaced++;
          f = new Frame(L, next, nextSlots, varargs);
          L.replaceTop(f);
          L.checkInterrupt();
          boxCellParams(f);
          int code = p.enter(L).exec(f);
          if (f.tailArgs == null) {
            return done(f, code);
          }
          continue;
        }
        f.tailFn = null;
        f.tailArgs = null;
        if (fn instanceof LuauFunction lf) {
          f.hostCallee = lf;
        }
        f.ret = Ops.call(L, fn, args);
        f.hostCallee = null;
        return f;
      }
    } catch (LuauError e) {
      throw located(L, f, e);
    } catch (StackOverflowError so) {
      throw located(L, f, new LimitExceeded(LimitExceeded.Kind.STACK));
    } catch (RuntimeException | OutOfMemoryError bug) {
      throw located(L, f, internal(f, bug));
    } finally {
      L.dropTailFrames(replaced);
    }
  }

  // ---- calls from compiled code (jit.CodeGen) ------------------------------------------------------
  // The compiled caller runs the callee's body itself, between begin() and complete(), so HotSpot sees one
  // call of Stat.exec per call site (usually one receiver class, which it inlines) instead of the single
  // megamorphic call in run(). Together these do exactly what run() does.

  /** Pushes the frame of a call of {@code c} whose slots hold the arguments (no varargs). */
  public static Frame begin(LuauThread L, LuauClosure c, Object[] slots) {
    Frame f = new Frame(L, c, slots, NONE);
    L.push(f);
    boxCellParams(f);
    return f;
  }

  /** After the body of a frame from {@link #begin} returned {@code code}: runs requested tail calls. */
  public static Frame complete(LuauThread L, Frame f, int code) {
    return f.tailArgs == null ? done(f, code) : tailLoop(L, f);
  }

  /** Pops the frame of a call that completed normally. */
  public static void end(LuauThread L) {
    L.pop();
  }

  /** The error leaving a call begun with {@link #begin}, located as run() locates it; pops the frame. */
  public static Throwable abort(Throwable t, LuauThread L, Frame f) {
    try {
      if (t instanceof LuauError e) {
        return located(L, f, e);
      }
      if (t instanceof StackOverflowError) {
        return located(L, f, new LimitExceeded(LimitExceeded.Kind.STACK));
      }
      if (t instanceof RuntimeException || t instanceof OutOfMemoryError) {
        return located(L, f, internal(f, t));
      }
      return t;
    } finally {
      L.pop();
    }
  }

  /** The first result of a completed frame. */
  public static Object result1(Frame f) {
    Object[] r = f.ret;
    return r == null ? f.ret1 : r.length > 0 ? r[0] : null;
  }

  /** All results of a completed frame. */
  public static Object[] results(Frame f) {
    Object[] r = f.ret;
    return r != null ? r : new Object[] {f.ret1};
  }

  /**
   * A Java exception leaving this frame (a defect in a builtin or the engine, or a JVM out of memory) as a
   * Luau error: scripts can catch it and users see what failed, never a Java trace.
   */
  private static LuauError internal(Frame f, Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return new LimitExceeded(LimitExceeded.Kind.MEMORY);
    }
    LuauFunction callee = f.hostCallee; // set while a builtin runs: then it is the one that failed
    return InternalFailure.of(t, callee == null ? null : callee.name());
  }

  private static LuauError located(LuauThread L, Frame f, LuauError e) {
    if (e.needsPosition()) {
      if (e.isOperation() && f.hostCallee != null) {
        e.clearPosition(); // the builtin running did the operation: Luau gives no position (a C frame's)
      } else {
        e.addPosition(f.closure.proto.chunkName + ":" + f.line + ": ");
      }
    }
    if (e.traceback() == null) {
      e.setTraceback(L.traceback(null, 1));
    }
    return e;
  }
}
