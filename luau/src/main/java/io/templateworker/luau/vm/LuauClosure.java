package io.templateworker.luau.vm;

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
   * Runs this closure on prepared slots (parameters already in place) and returns all its results.
   */
  public Object[] execute(LuauThread L, Object[] slots, Object[] varargs) {
    Frame f = run(L, new Frame(L, this, slots, varargs));
    Object[] r = f.ret;
    return r != null ? r : new Object[] {f.ret1};
  }

  /**
   * Like {@link #execute}, for a call whose first result only is used: a single returned value travels
   * without a results array.
   */
  public Object execute1(LuauThread L, Object[] slots, Object[] varargs) {
    Frame f = run(L, new Frame(L, this, slots, varargs));
    Object[] r = f.ret;
    return r == null ? f.ret1 : r.length > 0 ? r[0] : null;
  }

  /**
   * Runs the frame's body. Tail calls requested by the body (past the trampoline depth) run here in a loop,
   * so {@code return f(x)} chains do not grow the Java stack. Returns the last frame with its results in
   * {@code ret} (an array) or, for a single value, {@code ret1} with {@code ret == null}.
   */
  private static Frame run(LuauThread L, Frame f) {
    L.push(f);
    try {
      while (true) {
        LuauClosure c = f.closure;
        Object[] slots = f.slots;
        int[] cells = c.proto.cellParams;
        for (int i = 0; i < cells.length; i++) {
          slots[cells[i]] = new Cell(slots[cells[i]]);
        }
        int code = c.proto.enter().exec(f);
        Object[] args = f.tailArgs;
        if (args == null) {
          if (code != Stat.RETURN) {
            f.ret = NONE;
          }
          return f;
        }
        Object fn = f.tailFn; // may be nil: Ops.call below raises "attempt to call a nil value"
        if (fn instanceof LuauClosure next) {
          Proto p = next.proto;
          Object[] nextSlots = new Object[p.frameSize];
          int np = p.numParams;
          int n = args.length;
          System.arraycopy(args, 0, nextSlots, 0, n < np ? n : np);
          Object[] varargs = n > np && p.isVararg ? Arrays.copyOfRange(args, np, n) : NONE;
          f = new Frame(L, next, nextSlots, varargs);
          L.replaceTop(f);
          L.checkInterrupt();
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
    } finally {
      L.pop();
    }
  }

  private static LuauError located(LuauThread L, Frame f, LuauError e) {
    if (e.needsPosition()) {
      e.addPosition(f.closure.proto.chunkName + ":" + f.line + ": ");
    }
    if (e.traceback() == null) {
      e.setTraceback(L.traceback(null, 1));
    }
    return e;
  }
}
