package io.templateworker.runtime.plugin;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.store.TenantId;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a plugin is created with: the context it belongs to (tenant, capabilities, services) and the tenant
 * VM's {@link PluginHost}. Capabilities are the context's own, fixed when the context was made.
 */
public record PluginContext(TemplateContext template, PluginHost host) {

  public TenantId tenant() {
    return template.tenant();
  }

  public boolean hasCap(String cap) {
    return template.hasCap(cap);
  }

  public TenantServices services() {
    return template.services();
  }

  /**
   * The service {@code get} picks from the context's services, or a {@link PluginError} saying the plugin
   * ({@code description}, e.g. "key-value") is not supported in this context when there is none.
   */
  public <S> S service(Function<TenantServices, S> get, String description) {
    S service = services() == null ? null : get.apply(services());
    if (service == null) {
      throw new PluginError("The " + description + " plugin is not supported in this context");
    }
    return service;
  }

  /**
   * Refuses the call with {@code refusal} unless {@code allowed} (the capability check), then takes a token of
   * {@code limits} for {@code action}: the order upstream checks in (§8.3).
   */
  public void admit(boolean allowed, Supplier<String> refusal, RateLimits limits, String action) {
    if (!allowed) {
      throw LuauError.runtime(refusal.get());
    }
    limits.check(action);
  }

  /** The tenant VM's limiter set of plugin {@code plugin}, created on first use from {@code spec}. */
  public RateLimits limits(String plugin, RateLimits.Spec spec) {
    return host.limits(plugin, spec);
  }

  /** Runs blocking work off the VM and yields the calling task until it is done (see {@link PluginHost#await}). */
  public <T> T await(LuauThread L, String what, Callable<T> work) {
    return host.await(L, what, work);
  }

  /** Blocking work that returns nothing. */
  public interface Work {
    void run() throws Exception;
  }

  /** {@link #await} for work with no result. */
  public void run(LuauThread L, String what, Work work) {
    host.await(L, what, () -> {
      work.run();
      return null;
    });
  }
}
