package io.templateworker.worker.testing;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.IsolateFactory;
import io.templateworker.worker.vm.TemplateFailure;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import io.templateworker.runtime.store.KvRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the Luau engine: a template's {@code init.luau} is one command.
 * <ul>
 *   <li>{@code echo} returns "{template} got {event}";</li>
 *   <li>{@code caps} returns whether the context holds "kv:get" and its capability list;</li>
 *   <li>{@code count} returns a per-tenant counter kept outside the VM (as KV would be);</li>
 *   <li>{@code record} appends the event's Integer data to {@link #recorded};</li>
 *   <li>{@code sleep N} sleeps N ms; {@code block} waits for {@link #release};</li>
 *   <li>{@code spin} burns CPU until {@link #stopSpinning} (at most 20 s); {@code spinuntil PATH} until that file
 *   exists (at most 20 s; for child processes, which cannot see the test's flags);</li>
 *   <li>{@code fail MSG} throws; {@code fatal} throws a fatal (memory) error;</li>
 *   <li>{@code kvcount} increments KV key "count" (scope "test") through the tenant's KV store;</li>
 *   <li>{@code kvappend} appends the event's Integer data to the KV list "seen" (scope "test");
 *   {@code kvappend N} then sleeps N ms (holding the tenant's lane);</li>
 *   <li>{@code pid} returns the process id; {@code created} the isolates built for this tenant so far.</li>
 * </ul>
 * Each tenant VM ({@link #open}) is an {@code Engine} whose isolates share its broken flag.
 */
public final class ScriptedIsolates implements IsolateFactory {
  public final AtomicInteger created = new AtomicInteger();
  public final AtomicInteger closed = new AtomicInteger();
  public final AtomicInteger opened = new AtomicInteger();
  public final AtomicInteger enginesClosed = new AtomicInteger();
  public final Map<TenantId, AtomicLong> counters = new ConcurrentHashMap<>();
  public final Map<TenantId, AtomicInteger> createdPerTenant = new ConcurrentHashMap<>();
  public final Map<TenantId, List<Long>> recorded = new ConcurrentHashMap<>();
  public volatile CountDownLatch release = new CountDownLatch(1);
  public static volatile boolean stopSpinning;

  @Override
  public TenantEngine open(TenantId tenant) {
    opened.incrementAndGet();
    return new Engine();
  }

  /** A tenant VM: only a broken flag, which {@code fatal} sets for every isolate in it. */
  private final class Engine implements TenantEngine {
    boolean broken;

    @Override
    public TemplateIsolate load(Template template) throws TemplateFailure {
      String command = template.content().get("init.luau");
      if (command == null || command.startsWith("syntax")) {
        throw new TemplateFailure("init.luau:1: Expected identifier when parsing expression, got <eof>", false);
      }
      created.incrementAndGet();
      createdPerTenant.computeIfAbsent(template.owner(), t -> new AtomicInteger()).incrementAndGet();
      return new Isolate(this, template.name(), command.trim());
    }

    @Override
    public boolean isBroken() {
      return broken;
    }

    @Override
    public void close() {
      enginesClosed.incrementAndGet();
    }
  }

  @Override
  public KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure {
    if (code.startsWith("error")) {
      throw new TemplateFailure(name + ":1: " + code.substring(5).trim(), false);
    }
    return new KhronosValue.Text("ran " + name + " for " + ctx.tenant() + " with " + ctx.allowedCaps());
  }

  private final class Isolate implements TemplateIsolate {
    private final Engine engine;
    private final String name;
    private final String command;

    Isolate(Engine engine, String name, String command) {
      this.engine = engine;
      this.name = name;
      this.command = command;
    }

    @Override
    public KhronosValue handle(TemplateContext ctx) throws TemplateFailure {
      String op = command;
      String arg = "";
      int space = command.indexOf(' ');
      if (space > 0) {
        op = command.substring(0, space);
        arg = command.substring(space + 1);
      }
      switch (op) {
        case "echo":
          return new KhronosValue.Text(name + " got " + ctx.event().name());
        case "caps":
          return KhronosValue.textMap("kv_get", KhronosValue.Bool.of(ctx.hasCap("kv:get")),
              "caps", new KhronosValue.Text(String.join(",", ctx.allowedCaps())));
        case "count":
          return new KhronosValue.Int(counters.computeIfAbsent(ctx.tenant(), t -> new AtomicLong()).incrementAndGet());
        case "record":
          long seq = ((KhronosValue.Int) ctx.event().data()).value();
          recorded.computeIfAbsent(ctx.tenant(), t -> new CopyOnWriteArrayList<>()).add(seq);
          return new KhronosValue.Int(seq);
        case "sleep":
          sleep(Long.parseLong(arg));
          return new KhronosValue.Text("slept");
        case "block":
          try {
            release.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new KhronosValue.Text("released");
        case "pid":
          return new KhronosValue.Int(ProcessHandle.current().pid());
        case "created":
          return new KhronosValue.Int(createdPerTenant.get(ctx.tenant()).get());
        case "kvcount": {
          KvRecord r = ctx.services().kv().get(ctx.tenant(), List.of("test"), "count");
          long next = r == null ? 1 : ((KhronosValue.Int) r.value()).value() + 1;
          ctx.services().kv().set(ctx.tenant(), List.of("test"), "count", new KhronosValue.Int(next));
          return new KhronosValue.Int(next);
        }
        case "kvappend": {
          KvRecord r = ctx.services().kv().get(ctx.tenant(), List.of("test"), "seen");
          List<KhronosValue> items = new ArrayList<>(r == null ? List.of() : ((KhronosValue.ListValue) r.value()).items());
          items.add(ctx.event().data());
          ctx.services().kv().set(ctx.tenant(), List.of("test"), "seen", new KhronosValue.ListValue(items));
          if (!arg.isEmpty()) {
            sleep(Long.parseLong(arg));
          }
          return new KhronosValue.Int(items.size());
        }
        case "spin":
          long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(arg.isEmpty() ? 20_000 : Long.parseLong(arg));
          long x = 0;
          while (!stopSpinning && System.nanoTime() < end) {
            x += System.nanoTime() & 1;
          }
          return new KhronosValue.Int(x);
        case "spinuntil": {
          java.io.File stop = new java.io.File(arg);
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          long n = 0;
          while (System.nanoTime() < until && !stop.exists()) {
            for (int i = 0; i < 100_000; i++) {
              n += System.nanoTime() & 1;
            }
          }
          return new KhronosValue.Int(n);
        }
        case "fail":
          throw new TemplateFailure("init.luau:3: " + arg, false);
        case "fatal":
          engine.broken = true;
          throw new TemplateFailure("not enough memory", true);
        default:
          throw new TemplateFailure("unknown scripted command " + command, false);
      }
    }

    @Override
    public boolean isBroken() {
      return engine.broken;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
