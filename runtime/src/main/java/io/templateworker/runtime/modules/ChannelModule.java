package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.SizedPayload;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.TimeDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code @antiraid/channel}: {@code OneshotChannel()} ({@code send}, {@code recv}, {@code recvtimeout}),
 * {@code DelayChannel()} ({@code add(item, delay)} → a {@code KeyHandle} with {@code cancel()}, {@code next()},
 * {@code clear()}, {@code #len}) and {@code selectoneshots(chans, timeout)} → results, timedout.
 *
 * <p>Waiting ({@code recv}, {@code next}, {@code selectoneshots}) yields the calling task to the VM's scheduler,
 * so sibling tasks (the sender among them) run meanwhile. Outside a task there is no one to run the sender, so a
 * wait that cannot be satisfied at once is an error there instead of a hang. Timeouts are at most 7 seconds, as
 * upstream; unlike upstream's, {@code selectoneshots}' timeout is one deadline for the whole wait.
 */
final class ChannelModule {
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(7);

  private ChannelModule() {
  }

  /** A channel carrying one value; the receiver half is taken by the first recv or select. */
  static final class Oneshot implements SizedPayload {
    private final CompletableFuture<Object[]> value = new CompletableFuture<>();
    private final LuauState state;
    private boolean sent;
    private boolean received;

    Oneshot(LuauState state) {
      this.state = state;
    }

    @Override
    public long retainedBytes() {
      return 64;
    }

    @Override
    public void references(java.util.function.Consumer<Object> out) {
      Object[] v = value.getNow(null);
      if (v != null && v.length > 0) {
        out.accept(v[0]);
      }
    }

    CompletableFuture<Object[]> takeReceiver() {
      if (received) {
        throw LuauError.runtime("Channel already used");
      }
      received = true;
      return value;
    }
  }

  static final UserdataType<Oneshot> ONESHOT = UserdataType.builder("OneshotChannel", Oneshot.class)
      .method("send", (L, self, a) -> {
        if (self.sent) {
          throw LuauError.runtime("Channel already used");
        }
        self.sent = true;
        self.value.complete(new Object[] {HostArgs.arg(a, 0)});
        return LuauFunction.NONE;
      })
      .method("recv", (L, self, a) -> wait(L, self.state, self.takeReceiver(), "recv"))
      .method("recvtimeout", (L, self, a) -> {
        Duration timeout = timeout(a, 0, "recvtimeout");
        CompletableFuture<Object[]> rx = self.takeReceiver();
        return wait(L, self.state, withTimeout(rx, timeout, "Receive timed out"), "recvtimeout");
      })
      .build();

  /** A queue whose items come out once their delay has passed. */
  static final class Delay implements SizedPayload {
    private record Item(long due, long seq, Object value) {
    }

    private final LuauState state;
    private final PriorityQueue<Item> queue = new PriorityQueue<>((x, y) -> x.due != y.due
        ? Long.compare(x.due, y.due) : Long.compare(x.seq, y.seq));
    private long seq;
    /** Completed when an item is added, so a waiting next() looks again. */
    private CompletableFuture<Object[]> added = new CompletableFuture<>();

    Delay(LuauState state) {
      this.state = state;
    }

    @Override
    public long retainedBytes() {
      return 64L * queue.size();
    }

    @Override
    public void references(java.util.function.Consumer<Object> out) {
      for (Item item : queue) {
        out.accept(item.value());
      }
    }
  }

  /** A handle to one delayed item: cancel() removes it and returns (true, item), or (false, nil) when gone. */
  record KeyHandle(Delay channel, Delay.Item item) implements SizedPayload {
    @Override
    public long retainedBytes() {
      return 32;
    }

    @Override
    public void references(java.util.function.Consumer<Object> out) {
      out.accept(item.value());
    }
  }

  static final UserdataType<KeyHandle> KEY_HANDLE = UserdataType.builder("KeyHandle", KeyHandle.class)
      .method("cancel", (L, self, a) -> self.channel.queue.remove(self.item)
          ? new Object[] {true, self.item.value()} : new Object[] {false, null})
      .metamethod("__eq", (L, a) -> {
        Object x = HostArgs.arg(a, 0);
        Object y = HostArgs.arg(a, 1);
        return new Object[] {ChannelModule.KEY_HANDLE.is(x) && ChannelModule.KEY_HANDLE.is(y)
            && ((KeyHandle) ((LuauUserdata) x).payload()).item == ((KeyHandle) ((LuauUserdata) y).payload()).item};
      })
      .build();

  static final UserdataType<Delay> DELAY = UserdataType.builder("DelayChannel", Delay.class)
      .method("add", (L, self, a) -> {
        Object value = HostArgs.arg(a, 0);
        Duration delay = TimeDelta.arg(a, 1, "add", "delay");
        if (delay.isNegative()) {
          throw HostArgs.bad(1, "add", "delay", "must not be negative");
        }
        long now = System.nanoTime();
        long due = delay.compareTo(Duration.ofDays(365L * 200)) > 0 ? Long.MAX_VALUE / 2 + now : now + delay.toNanos();
        Delay.Item item = new Delay.Item(due, self.seq++, value);
        L.allocate(64);
        self.queue.add(item);
        CompletableFuture<Object[]> wake = self.added;
        self.added = new CompletableFuture<>();
        wake.complete(LuauFunction.NONE);
        return new Object[] {KEY_HANDLE.wrap(new KeyHandle(self, item))};
      })
      .method("next", ChannelModule::next)
      .method("clear", (L, self, a) -> {
        self.queue.clear();
        return LuauFunction.NONE;
      })
      .metamethod("__len", (L, a) -> new Object[] {(double) ChannelModule.DELAY.check(a, 0, "__len").queue.size()})
      .build();

  static LuauTable create(LuauState state) {
    return new ModuleTable()
        .fn("OneshotChannel", (L, a) -> new Object[] {ONESHOT.wrap(L, new Oneshot(state), 64)})
        .fn("DelayChannel", (L, a) -> new Object[] {DELAY.wrap(L, new Delay(state), 64)})
        .fn("selectoneshots", (L, a) -> select(L, state, a))
        .build();
  }

  /** Waits for the next item that is due: yields until the earliest due time or an add, then looks again. */
  private static Object[] next(LuauThread L, Delay self, Object[] a) {
    while (true) {
      Delay.Item head = self.queue.peek();
      long now = System.nanoTime();
      if (head != null && head.due - now <= 0) {
        self.queue.poll();
        return new Object[] {head.value()};
      }
      CompletableFuture<Object[]> wake = new CompletableFuture<>();
      self.added.whenComplete((v, e) -> wake.complete(LuauFunction.NONE));
      if (head != null) {
        CompletableFuture.delayedExecutor(head.due - now, TimeUnit.NANOSECONDS)
            .execute(() -> wake.complete(LuauFunction.NONE));
      }
      wait(L, self.state, wake, "next");
    }
  }

  private static Object[] select(LuauThread L, LuauState state, Object[] a) {
    LuauTable chans = HostArgs.table(a, 0, "selectoneshots", "chans");
    Duration timeout = timeout(a, 1, "selectoneshots");
    List<CompletableFuture<Object[]>> receivers = new ArrayList<>();
    for (int i = 1; i <= chans.length(); i++) {
      Object c = chans.rawget(i);
      if (!ONESHOT.is(c)) {
        throw HostArgs.bad(0, "selectoneshots", "chans", "item " + i + " is a " + HostArgs.typeName(c)
            + ", not a OneshotChannel");
      }
      receivers.add(((Oneshot) ((LuauUserdata) c).payload()).takeReceiver());
    }
    List<Object> results = new ArrayList<>();
    CompletableFuture<Object[]> all = new CompletableFuture<>();
    int[] pending = {receivers.size()};
    Object lock = new Object();
    for (CompletableFuture<Object[]> rx : receivers) {
      rx.whenComplete((v, e) -> {
        synchronized (lock) {
          results.add(v == null || v.length == 0 ? null : v[0]);
          if (--pending[0] == 0) {
            all.complete(LuauFunction.NONE);
          }
        }
      });
    }
    if (receivers.isEmpty()) {
      all.complete(LuauFunction.NONE);
    }
    boolean timedOut = false;
    if (!all.isDone()) {
      CompletableFuture<Object[]> deadline = new CompletableFuture<>();
      all.whenComplete((v, e) -> deadline.complete(new Object[] {false}));
      CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .execute(() -> deadline.complete(new Object[] {true}));
      timedOut = Boolean.TRUE.equals(wait(L, state, deadline, "selectoneshots")[0]);
    }
    LuauTable out = new LuauTable(results.size(), 0);
    synchronized (lock) {
      for (int i = 0; i < results.size(); i++) {
        out.rawset(i + 1, results.get(i));
      }
    }
    return new Object[] {out, timedOut};
  }

  private static Duration timeout(Object[] a, int i, String fname) {
    Duration t = TimeDelta.arg(a, i, fname, "timeout");
    if (t.isNegative()) {
      throw HostArgs.bad(i, fname, "timeout", "must not be negative");
    }
    if (t.compareTo(MAX_TIMEOUT) > 0) {
      throw LuauError.runtime("Timeout cannot be greater than the max timeout");
    }
    return t;
  }

  private static CompletableFuture<Object[]> withTimeout(CompletableFuture<Object[]> rx, Duration timeout, String message) {
    CompletableFuture<Object[]> f = new CompletableFuture<>();
    rx.whenComplete((v, e) -> f.complete(v));
    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .execute(() -> f.completeExceptionally(LuauError.runtime(message)));
    return f;
  }

  /** The values of {@code f}: at once when done, else by yielding the calling task until it completes. */
  private static Object[] wait(LuauThread L, LuauState state, CompletableFuture<Object[]> f, String fname) {
    if (f.isDone()) {
      try {
        return f.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof LuauError le ? le : LuauError.runtime(String.valueOf(e.getCause()));
      }
    }
    if (!state.scheduler().isTask(L)) {
      throw LuauError.runtime(fname + " would wait forever here: nothing else can run while code outside a task "
          + "waits (run the waiting code in a task, e.g. task.spawn)");
    }
    return state.await(L, f);
  }
}
