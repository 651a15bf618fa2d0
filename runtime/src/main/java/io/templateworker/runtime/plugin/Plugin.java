package io.templateworker.runtime.plugin;

/**
 * A plugin on {@code ctx} ({@code ctx.KV}, {@code ctx.Runtime}, ...). {@link #create} runs on the first access
 * of {@code ctx.<name>} in a context and returns the Luau value the template sees (usually a userdata of a
 * {@code UserdataType}); the value is cached in that context only, so a context made by {@code ctx:with} creates
 * its own under its own capabilities. Check capabilities in the plugin's methods with
 * {@link PluginContext#hasCap}, take a rate-limit token with {@link PluginContext#limits}, and wait for I/O
 * with {@link PluginContext#await}.
 */
public interface Plugin {
  /** The member name on {@code ctx}, e.g. {@code "KV"}. */
  String name();

  /** The Luau value for one context; may throw a {@link PluginError} (e.g. "not supported in this context"). */
  Object create(PluginContext context);
}
