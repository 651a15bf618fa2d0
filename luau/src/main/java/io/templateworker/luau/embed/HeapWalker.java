package io.templateworker.luau.embed;

import io.templateworker.luau.sandbox.MemoryMeter;
import io.templateworker.luau.task.TaskScheduler;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.LuauVector;
import io.templateworker.luau.vm.Cell;
import io.templateworker.luau.vm.Frame;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Estimates the live size of a VM's Luau heap by walking everything reachable from its roots: the host's
 * roots (builtins, tenant environments, registry), the string metatable, and the frames of the main thread
 * and every coroutine. Sizes are estimates of the JVM layout with compressed references; shared immutable
 * things (prototypes, host functions) cost nothing. Runs on the VM's thread when the memory counter passes
 * the cap (see {@link MemoryMeter}).
 */
final class HeapWalker implements MemoryMeter.LiveSizeProbe {
  private static final long TABLE = 56;
  private static final long ARRAY_HEADER = 16;
  private static final long REF = 4;
  private static final long STRING = 40;
  private static final long BOXED = 16;
  private static final long CLOSURE = 32;
  private static final long CELL = 16;
  private static final long FRAME = 48;
  private static final long COROUTINE = 1024;
  private static final long USERDATA = 24;

  private final LuauVM vm;
  private final Set<Object> hostRoots;
  private final TaskScheduler scheduler;

  HeapWalker(LuauVM vm, Set<Object> hostRoots, TaskScheduler scheduler) {
    this.vm = vm;
    this.hostRoots = hostRoots;
    this.scheduler = scheduler;
  }

  @Override
  public long measureLiveBytes() {
    IdentitySet seen = new IdentitySet();
    ArrayDeque<Object> work = new ArrayDeque<>(1024);
    synchronized (hostRoots) {
      for (Object r : hostRoots) {
        work.add(r);
      }
    }
    work.add(vm.stringMetatable());
    for (LuauThread t : scheduler.liveTasks()) {
      work.add(t);
    }
    long total = thread(vm.mainThread(), work);
    // the VM's coroutine set is weak: only the running chain is a root; suspended coroutines count when
    // something live (a table, a frame, the scheduler) still refers to them
    for (LuauThread co : vm.coroutinesSnapshot()) {
      LuauThread.Status st = co.status();
      if (st == LuauThread.Status.RUNNING || st == LuauThread.Status.NORMAL) {
        work.add(co);
      }
    }
    while (!work.isEmpty()) {
      Object o = work.poll();
      if (o == null || o instanceof Boolean) {
        continue;
      }
      if (o instanceof Double || o instanceof Long) {
        total += BOXED; // boxes are rarely shared: counting each reference saves a set entry per number
        continue;
      }
      if (seen.add(o)) {
        total += visit(o, work);
      }
    }
    return total;
  }

  private static long thread(LuauThread t, ArrayDeque<Object> work) {
    long size = 0;
    if (t.body() != null) {
      work.add(t.body());
    }
    for (int i = 0; i < t.callDepth(); i++) {
      Frame f = t.frameAtIndex(i);
      if (f == null) {
        continue;
      }
      size += FRAME + ARRAY_HEADER + REF * f.slots.length;
      work.add(f.closure);
      for (Object v : f.slots) {
        if (v != null) {
          work.add(v);
        }
      }
      for (Object v : f.varargs) {
        if (v != null) {
          work.add(v);
        }
      }
    }
    return size;
  }

  private static long visit(Object o, ArrayDeque<Object> work) {
    if (o instanceof LuauString s) {
      return STRING + s.length();
    }
    if (o instanceof LuauTable t) {
      int used = t.hashSlotsUsed();
      long hashCap = used == 0 ? 0 : Math.max(4, Integer.highestOneBit(used) * 2L);
      long size = TABLE + ARRAY_HEADER + REF * t.arrayCapacity() + 2 * (ARRAY_HEADER + REF * hashCap);
      int arrayCap = t.arrayCapacity();
      // a weak table's collectable keys/values are not reachable through it: they count only if something
      // else holds them
      boolean weakKeys = t.weakKeys();
      boolean weakValues = t.weakValues();
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        if (p >= arrayCap) {
          Object k = t.keyAt(p); // array keys are implicit
          if (!weakKeys || !LuauTable.isCollectable(k)) {
            work.add(k);
          }
        }
        Object v = t.valueAt(p);
        if (v != null && (!weakValues || !LuauTable.isCollectable(v))) {
          work.add(v);
        }
      }
      if (t.getMetatable() != null) {
        work.add(t.getMetatable());
      }
      return size;
    }
    if (o instanceof LuauClosure c) {
      for (Cell cell : c.upvals) {
        work.add(cell);
      }
      if (c.env != null) {
        work.add(c.env);
      }
      return CLOSURE + ARRAY_HEADER + REF * c.upvals.length;
    }
    if (o instanceof Cell cell) {
      if (cell.v != null) {
        work.add(cell.v);
      }
      return CELL;
    }
    if (o instanceof LuauBuffer b) {
      return ARRAY_HEADER + 16 + b.length();
    }
    if (o instanceof LuauUserdata u) {
      if (u.getMetatable() != null) {
        work.add(u.getMetatable());
      }
      if (u.payload() instanceof SizedPayload sp) {
        sp.references(v -> {
          if (v != null) {
            work.add(v);
          }
        });
        return USERDATA + sp.retainedBytes();
      }
      return USERDATA;
    }
    if (o instanceof LuauThread t) {
      return COROUTINE + thread(t, work);
    }
    if (o instanceof LuauVector) {
      return 24;
    }
    return 0; // host functions and other shared host objects
  }

  /**
   * An insert-only identity set with open addressing: a walk visits every live object once, and this is about
   * twice as fast as an IdentityHashMap for that (no value array, no entry churn).
   */
  private static final class IdentitySet {
    private Object[] slots = new Object[1 << 12];
    private int size;

    boolean add(Object o) {
      Object[] s = slots;
      int mask = s.length - 1;
      int i = mix(System.identityHashCode(o)) & mask;
      while (true) {
        Object cur = s[i];
        if (cur == null) {
          s[i] = o;
          if (++size * 2 > s.length) {
            grow();
          }
          return true;
        }
        if (cur == o) {
          return false;
        }
        i = (i + 1) & mask;
      }
    }

    private static int mix(int h) {
      return h * 0x9E3779B9;
    }

    private void grow() {
      Object[] old = slots;
      Object[] s = new Object[old.length * 2];
      int mask = s.length - 1;
      for (Object o : old) {
        if (o != null) {
          int i = mix(System.identityHashCode(o)) & mask;
          while (s[i] != null) {
            i = (i + 1) & mask;
          }
          s[i] = o;
        }
      }
      slots = s;
    }
  }
}
