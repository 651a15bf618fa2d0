package io.templateworker.runtime.plugin;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.store.StoreException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugins of one tenant VM share: the {@link Plugins} registry, the GCRA limiter sets (one per
 * plugin, per tenant VM, as upstream), and the way to wait for I/O. Confined to the VM's thread of control,
 * like the {@link LuauState} it belongs to.
 */
public final class PluginHost {
  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
  /** Blocking plugin work (JDBC, HTTP, files) runs here: one virtual thread per call, nothing to size. */
  private static final ExecutorService IO = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("plugin-io-", 0).factory());

  private final LuauState state;
  private final Plugins plugins;
  private final LongSupplier clock;
  private final Map<String, RateLimits> limits = new HashMap<>();

  public PluginHost(LuauState state, Plugins plugins, LongSupplier nanoClock) {
    this.state = state;
    this.plugins = plugins;
    this.clock = nanoClock;
  }

  public PluginHost(LuauState state, Plugins plugins) {
    this(state, plugins, System::nanoTime);
  }

  public Plugins plugins() {
    return plugins;
  }

  /** The VM's memory budget in bytes. */
  public long memoryLimit() {
    return state.options().limits().memoryBytes();
  }

  /** The limiter set of {@code plugin} in this VM, created from {@code spec} on first use. */
  public RateLimits limits(String plugin, RateLimits.Spec spec) {
    RateLimits l = limits.get(plugin);
    if (l == null) {
      l = new RateLimits(plugin, spec, clock);
      limits.put(plugin, l);
    }
    return l;
  }

  /**
   * Runs {@code work} on a virtual thread and waits for it through {@link LuauState#await}: a template running
   * as a task yields, so the VM's other tasks run meanwhile; on the main thread the caller waits (with its CPU
   * slice paused). {@link PluginError} and {@link StoreException} messages reach the template as they are;
   * anything else is logged and reported as an internal error of {@code what} (e.g. "KV get").
   */
  @SuppressWarnings("unchecked")
  public <T> T await(LuauThread L, String what, Callable<T> work) {
    CompletableFuture<Object[]> op = CompletableFuture.supplyAsync(() -> {
      try {
        return new Object[] {work.call()};
      } catch (PluginError | StoreException | LuauError e) {
        throw new CompletionException(e);
      } catch (Exception | LinkageError e) {
        LOG.warn("{} failed", what, e);
        throw new CompletionException(new PluginError(what + " failed: internal error (" + e.getClass().getSimpleName()
            + "); it was logged on the worker"));
      }
    }, IO);
    return (T) state.await(L, op)[0];
  }
}
