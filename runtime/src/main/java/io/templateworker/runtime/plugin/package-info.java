/**
 * The plugin mechanism behind {@code ctx.KV}, {@code ctx.Runtime}, ... (UPSTREAM.md §8.2, §8.3, §2.9): a
 * {@link io.templateworker.runtime.plugin.Plugin} builds its Luau value for one context, the
 * {@link io.templateworker.runtime.plugin.Plugins} registry names them, a
 * {@link io.templateworker.runtime.plugin.PluginHost} per tenant VM holds their GCRA limiters
 * ({@link io.templateworker.runtime.plugin.RateLimits}) and waits for their I/O without holding up the VM's
 * other tasks. Each plugin lives in its own package beside this one.
 */
package io.templateworker.runtime.plugin;
