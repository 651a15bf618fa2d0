package io.templateworker.luau.vm;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LimitExceeded;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.sandbox.Clock;
import io.templateworker.luau.sandbox.ExecutionBudget;
import io.templateworker.luau.sandbox.MemoryMeter;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One Luau state: the string metatable, options and memory accounting, stdout, and the main thread.
 * A VM runs one Luau thread at a time (coroutines hand control over strictly); it is not thread-safe.
 */
public final class LuauVM implements AutoCloseable {
  private final VmOptions options;
  private final LuauTable stringMetatable = new LuauTable();
  private final LuauThread mainThread;
  /** Coroutines that may still own a parked virtual thread; closed with the VM. */
  private final Set<LuauThread> coroutines = Collections.newSetFromMap(new WeakHashMap<>());
  /** CPU slice and host interrupt (sandbox); ticked by {@link LuauThread#checkInterrupt()}. */
  private final ExecutionBudget budget = new ExecutionBudget(Clock.SYSTEM, 0);
  /** Memory accounting against {@link VmOptions#memoryLimit()} (sandbox). */
  private final MemoryMeter memory;
  /** Bound to {@link LuauTable#GROWTH_ACCOUNT} on every Java thread that runs this VM's code. */
  private final java.util.function.LongConsumer growthAccount = this::charge;
  private boolean closed;

  static {
    // Initialise the classes the stack-overflow path needs while the stack is shallow: a class whose
    // initialisation fails for lack of stack stays unusable for the life of the JVM.
    LuauError warm = new LimitExceeded(LimitExceeded.Kind.STACK);
    warm.addPosition("warm-up:1: ");
    warm.setTraceback(warm.getMessage());
    Errors.call(null).clearPosition();
  }

  private LuauVM(VmOptions options) {
    this.options = options;
    this.memory = new MemoryMeter(options.memoryLimit());
    this.mainThread = new LuauThread(this, null);
  }

  public static LuauVM create(VmOptions options) {
    return new LuauVM(options);
  }

  public static LuauVM create() {
    return new LuauVM(VmOptions.defaults());
  }

  public VmOptions options() {
    return options;
  }

  public PrintStream stdout() {
    return options.stdout();
  }

  /** The metatable shared by all strings; its {@code __index} is the string library. */
  public LuauTable stringMetatable() {
    return stringMetatable;
  }

  public LuauThread mainThread() {
    return mainThread;
  }

  /** Creates a suspended coroutine running {@code body}. */
  public LuauThread newThread(LuauFunction body) {
    charge(COROUTINE_BYTES);
    LuauThread t = new LuauThread(this, body);
    synchronized (coroutines) {
      coroutines.add(t);
    }
    return t;
  }

  /**
   * Creates a suspended coroutine running {@code body} for an owner that holds it until it ends and closes it when
   * the VM closes (the task scheduler, for its tasks): unlike {@link #newThread} it is not entered in the VM's weak
   * coroutine set, so the owner must also give it to the live-heap walk. With thousands of VMs that set's entry
   * and removal were a few cache misses per event handler.
   */
  public LuauThread newOwnedThread(LuauFunction body) {
    charge(COROUTINE_BYTES);
    return new LuauThread(this, body, false);
  }

  /** Loads a compiled chunk as a function whose globals are {@code env}. */
  public LuauFunction load(Chunk chunk, LuauTable env) {
    return new LuauClosure(chunk.main(), LuauClosure.NO_UPVALUES, env);
  }

  /** Charges memory to the VM; over the cap raises "not enough memory". */
  void charge(long bytes) {
    memory.charge(bytes);
  }

  /** Estimated cost of a coroutine: its frames array, hand-off state and a parked virtual thread's stack. */
  public static final long COROUTINE_BYTES = 1024;

  /** The accountant for table growth; bind it to {@link LuauTable#GROWTH_ACCOUNT} while running this VM. */
  public java.util.function.LongConsumer growthAccount() {
    return growthAccount;
  }

  /** The CPU time slice and interrupt flag of this VM. */
  public ExecutionBudget budget() {
    return budget;
  }

  /** The memory accounting of this VM. */
  public MemoryMeter memory() {
    return memory;
  }

  /** The coroutines that may still hold frames (for the live-heap walk). */
  public LuauThread[] coroutinesSnapshot() {
    synchronized (coroutines) {
      return coroutines.toArray(new LuauThread[0]);
    }
  }

  /** Returns memory to the budget (an object known to be dropped). */
  public void release(long bytes) {
    memory.release(bytes);
  }

  public long allocatedBytes() {
    return memory.countedBytes();
  }

  /** Asks the running script to stop at its next interrupt check (any thread may call this). */
  public void interrupt() {
    budget.interrupt();
  }

  /** Ends every suspended coroutine so no virtual thread stays parked, and marks the VM closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LuauThread[] all;
    synchronized (coroutines) {
      all = coroutines.toArray(new LuauThread[0]);
      coroutines.clear();
    }
    for (LuauThread t : all) {
      t.kill();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  void forget(LuauThread t) {
    synchronized (coroutines) {
      coroutines.remove(t);
    }
  }
}
