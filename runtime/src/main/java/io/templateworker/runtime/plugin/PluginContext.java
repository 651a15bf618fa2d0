package io.templateworker.runtime.plugin;

import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.store.TenantId;
import java.util.concurrent.Callable;

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

  /** The tenant VM's limiter set of plugin {@code plugin}, created on first use from {@code spec}. */
  public RateLimits limits(String plugin, RateLimits.Spec spec) {
    return host.limits(plugin, spec);
  }

  /** Runs blocking work off the VM and yields the calling task until it is done (see {@link PluginHost#await}). */
  public <T> T await(LuauThread L, String what, Callable<T> work) {
    return host.await(L, what, work);
  }
}
