package io.templateworker.worker.luau;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.PluginHost;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.store.TenantId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sandboxed tenant VM with a {@link PluginHost} whose rate-limit clock the test moves, for plugin tests:
 * {@link #eval} runs a script with a root {@code ctx} (capabilities {@code *}) as the first argument
 * ({@code local ctx = ...}); the VM and its limiters persist across calls, as in a tenant VM.
 */
public final class PluginHarness implements AutoCloseable {
  public static final TenantId TENANT = TenantId.guild(1234567890123L);

  private final LuauState state = LuauState.create(StateOptions.defaults());
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final PluginHost host;
  private final TenantServices services;
  private final TenantId tenant;

  public PluginHarness(Plugins plugins, TenantServices services, TenantId tenant) {
    io.templateworker.runtime.modules.CoreModules.install(state); // require("@antiraid/..."), as in a tenant VM
    this.host = new PluginHost(state, plugins, clock::get);
    this.services = services;
    this.tenant = tenant;
  }

  public PluginHarness(Plugins plugins, TenantServices services) {
    this(plugins, services, TENANT);
  }

  /**
   * Gives plugin {@code plugin} the limiter set {@code spec} in this VM instead of its own (call before the plugin's
   * first call), e.g. a one-token quota so the second call of any method shows it takes a token.
   */
  public void limit(String plugin, io.templateworker.runtime.plugin.RateLimits.Spec spec) {
    host.limits(plugin, spec);
  }

  /** Moves the rate limiters' clock. */
  public void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  public LuauTable ctx() {
    return ContextTable.build(TemplateContext.root(tenant, CreateEvent.of("Test", KhronosValue.Null.INSTANCE), services, null),
        new LuauTable(), state.options().limits().memoryBytes(), host);
  }

  /** Runs {@code code} on the main thread (host waits block) and returns its values. */
  public Object[] run(String code) {
    LuauTable env = state.newEnvironment();
    return state.call(state.load(Luau.compile(code, "test"), env), ctx());
  }

  /** The script's first result as a KhronosValue. */
  public KhronosValue eval(String code) {
    Object[] r = run(code);
    return KhronosLuau.toKhronos(r.length == 0 ? null : r[0]);
  }

  /** {@code code} after {@code local ctx = ...}: its first result as JSON (Khronos form). */
  public String json(String code) {
    return io.templateworker.runtime.khronos.KhronosJson.toJson(eval("local ctx = ...\n" + code));
  }

  /** {@code code} after {@code local ctx = ...} must fail: the Luau error's message. */
  public String error(String code) {
    try {
      run("local ctx = ...\n" + code);
    } catch (io.templateworker.luau.errors.LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error from: " + code);
  }

  /**
   * Runs {@code code} as a scheduler task (host waits yield it) and drives the scheduler until it is done;
   * returns its first result.
   */
  public Object runAsTask(String code) throws InterruptedException {
    LuauTable env = state.newEnvironment();
    Object[] result = new Object[1];
    LuauTable box = new LuauTable();
    env.rawset(io.templateworker.luau.value.LuauString.of("__done"), io.templateworker.luau.value.LuauFunction.host("__done",
        (L, a) -> {
          result[0] = a.length > 0 ? a[0] : null;
          box.rawset(1, Boolean.TRUE);
          return io.templateworker.luau.value.LuauFunction.NONE;
        }));
    state.spawn(state.load(Luau.compile("local ctx = ...; __done((function() " + code + " end)())", "task"), env), ctx());
    state.scheduler().runUntilIdle();
    if (box.rawget(1) == null) {
      throw new AssertionError("task ended without a result: " + state.scheduler().errors());
    }
    return result[0];
  }

  public LuauState state() {
    return state;
  }

  @Override
  public void close() {
    state.close();
  }
}
