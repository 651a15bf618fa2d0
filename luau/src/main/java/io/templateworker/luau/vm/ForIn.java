package io.templateworker.luau.vm;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;

/**
 * The running state of one generic {@code for vars in explist} loop, shared by the interpreter and compiled
 * code. Walks a table directly for generalized iteration ({@code for k, v in t}), {@code pairs} and
 * {@code ipairs}; otherwise calls the iterator function per step. Honours {@code __iter}.
 */
public final class ForIn {
  private static final int CALL = 0;
  private static final int TABLE = 1;
  private static final int ARRAY = 2;

  private final int mode;
  private final Object fn;
  private final Object state;
  private final LuauTable table;
  private Object ctl;
  private Object[] results = LuauFunction.NONE;
  private Object key;
  private Object value;
  private int pos;
  private int cap;

  private ForIn(int mode, Object fn, Object state, Object ctl, LuauTable table) {
    this.mode = mode;
    this.fn = fn;
    this.state = state;
    this.ctl = ctl;
    this.table = table;
    this.cap = table == null ? 0 : table.arrayCapacity();
  }

  /** Starts a loop over the three values of the loop's expression list. */
  public static ForIn start(Frame f, Object fn, Object state, Object ctl) {
    LuauThread L = f.L;
    if (fn instanceof LuauTable || fn instanceof LuauUserdata) {
      Object iter = Ops.metamethod(L, fn, Meta.ITER);
      if (iter != null) {
        Object[] r = L.call(iter, fn); // __iter is called like a metamethod (a C call)
        fn = r.length > 0 ? r[0] : null;
        state = r.length > 1 ? r[1] : null;
        ctl = r.length > 2 ? r[2] : null;
      } else if (fn instanceof LuauTable t && Ops.metamethod(L, t, Meta.CALL) == null) {
        return new ForIn(TABLE, null, null, null, t);
      }
    }
    if (fn == Iteration.NEXT && state instanceof LuauTable t && ctl == null) {
      return new ForIn(TABLE, null, null, null, t);
    }
    if (fn == Iteration.IPAIRS_ITER && state instanceof LuauTable t && ctl instanceof Double d && d == 0) {
      return new ForIn(ARRAY, null, null, null, t);
    }
    if (!(fn instanceof LuauFunction) && Ops.metamethod(L, fn, Meta.CALL) == null) {
      // as Luau's FORGPREP: neither a function, nor callable, nor a table to walk
      throw LuauError.runtime("attempt to iterate over a " + Ops.typeOf(L, fn) + " value");
    }
    return new ForIn(CALL, fn, state, ctl, null);
  }

  /** Advances to the next step; false when the loop is over. {@code line} is the loop's, for errors. */
  public boolean next(Frame f, int line) {
    switch (mode) {
      case TABLE -> {
        LuauTable t = table;
        int nowCap = t.arrayCapacity();
        if (nowCap != cap) {
          // the array part grew under us (the body appended, or # moved a sequence out of the hash):
          // hash positions are relative to the array size, so keep our place in the hash part
          if (pos >= cap) {
            pos = pos - cap + nowCap;
          }
          cap = nowCap;
        }
        pos = t.nextSlot(pos);
        if (pos < 0) {
          return false;
        }
        key = t.keyAt(pos);
        value = t.valueAt(pos);
        pos++;
        return true;
      }
      case ARRAY -> {
        Object v = table.rawget(pos + 1);
        if (v == null) {
          return false;
        }
        pos++;
        key = (double) pos;
        value = v;
        return true;
      }
      default -> {
        f.line = line;
        Object[] r = Ops.call(f.L, fn, new Object[] {state, ctl});
        Object first = r.length > 0 ? r[0] : null;
        if (first == null) {
          return false;
        }
        ctl = first;
        results = r;
        return true;
      }
    }
  }

  /** The value of loop variable {@code i} (0-based) for the current step. */
  public Object value(int i) {
    if (mode == CALL) {
      Object[] r = results;
      return i < r.length ? r[i] : null;
    }
    return i == 0 ? key : i == 1 ? value : null;
  }
}
