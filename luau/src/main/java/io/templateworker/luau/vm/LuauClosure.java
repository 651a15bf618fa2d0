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
   * Runs this closure on prepared slots (parameters already in place). Tail calls requested by the body
   * are run here in a loop, so {@code return f(x)} chains do not grow the Java stack.
   */
  public Object[] execute(LuauThread L, Object[] slots, Object[] varargs) {
    LuauClosure c = this;
    Frame f = new Frame(L, c, slots, varargs);
    L.push(f);
    try {
      while (true) {
        int[] cells = c.proto.cellParams;
        for (int i = 0; i < cells.length; i++) {
          slots[cells[i]] = new Cell(slots[cells[i]]);
        }
        int code = c.proto.body().exec(f);
        Object[] args = f.tailArgs;
        if (args == null) {
          return code == Stat.RETURN ? f.ret : NONE;
        }
        Object fn = f.tailFn; // may be nil: Ops.call below raises "attempt to call a nil value"
        if (fn instanceof LuauClosure next) {
          Proto p = next.proto;
          slots = new Object[p.frameSize];
          int np = p.numParams;
          int n = args.length;
          System.arraycopy(args, 0, slots, 0, n < np ? n : np);
          varargs = n > np && p.isVararg ? Arrays.copyOfRange(args, np, n) : NONE;
          c = next;
          f = new Frame(L, c, slots, varargs);
          L.replaceTop(f);
          L.checkInterrupt();
          continue;
        }
        f.tailFn = null;
        f.tailArgs = null;
        return Ops.call(L, fn, args);
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
