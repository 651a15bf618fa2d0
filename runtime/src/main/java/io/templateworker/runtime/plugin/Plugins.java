package io.templateworker.runtime.plugin;

import io.templateworker.luau.value.LuauString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugins a deployment offers on {@code ctx}, by member name. Built once (in {@code app}) and shared by
 * every tenant VM. Names that templates know but this deployment cannot serve ({@code HTTPServer}, or
 * {@code Discord} before its plugin is added) are registered as unsupported, so {@code ctx.HTTPServer} raises
 * "The HTTPServer plugin is not supported in this context" instead of quietly being nil.
 *
 * <p>Adding a plugin: implement {@link Plugin} in its own package under {@code runtime.plugin}, then
 * {@code Plugins.builder()...add(new MyPlugin(deps))} where the service is wired ({@code app}'s modes).
 */
public final class Plugins {
  /** Member names upstream templates may touch; those without a plugin are "not supported". */
  public static final List<String> KNOWN_NAMES = List.of("Discord", "KV", "GlobalKV", "ObjectStorage", "HTTPClient",
      "HTTPServer", "ImageCaptcha", "Runtime");

  private final Plugin[] plugins;
  private final Map<LuauString, Integer> index;
  private final List<String> names;

  private Plugins(Map<String, Plugin> byName) {
    this.plugins = byName.values().toArray(new Plugin[0]);
    Map<LuauString, Integer> idx = new HashMap<>();
    List<String> n = new ArrayList<>();
    int i = 0;
    for (String name : byName.keySet()) {
      idx.put(LuauString.of(name), i++);
      n.add(name);
    }
    this.index = idx;
    this.names = List.copyOf(n);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No plugins: every known name is unsupported. */
  public static Plugins none() {
    return builder().build();
  }

  /** The slot of a plugin name, or -1 if {@code ctx} has no such member. */
  public int indexOf(LuauString name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  public Plugin get(int slot) {
    return plugins[slot];
  }

  public int size() {
    return plugins.length;
  }

  /** The member names, in registration order (known-but-unsupported names last). */
  public List<String> names() {
    return names;
  }

  /** The names of real plugins (for {@code available_extra_plugins} and docs). */
  public List<String> supported() {
    List<String> out = new ArrayList<>();
    for (Plugin p : plugins) {
      if (!(p instanceof Unsupported)) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** Collects plugins; a later {@link #add} of the same name replaces the earlier one. */
  public static final class Builder {
    private final Map<String, Plugin> byName = new LinkedHashMap<>();

    private Builder() {
    }

    public Builder add(Plugin plugin) {
      byName.put(plugin.name(), plugin);
      return this;
    }

    public Plugins build() {
      Map<String, Plugin> all = new LinkedHashMap<>(byName);
      for (String name : KNOWN_NAMES) {
        all.putIfAbsent(name, new Unsupported(name));
      }
      return new Plugins(all);
    }
  }

  /** A name templates know that this deployment does not serve. */
  private record Unsupported(String name) implements Plugin {
    @Override
    public Object create(PluginContext context) {
      throw new PluginError("The " + name + " plugin is not supported in this context");
    }
  }
}
