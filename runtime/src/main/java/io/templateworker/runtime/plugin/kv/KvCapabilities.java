package io.templateworker.runtime.plugin.kv;

import io.templateworker.runtime.plugin.PluginContext;
import java.util.List;

/**
 * The KV capability rules (UPSTREAM.md §8.3): {@code kv:*}, {@code kv:{action}:*}, {@code kv:{action}:{key}};
 * or, for any one of the call's scopes, {@code kv[{scope}]:*}, {@code kv[{scope}]:{action}},
 * {@code kv[{scope}]:{action}:{key}}. {@code keys} needs {@code kv.meta:keys} or {@code kv.meta[{scope}]:keys}
 * for every scope.
 */
final class KvCapabilities {
  private KvCapabilities() {
  }

  static boolean allows(PluginContext ctx, String action, String key, List<String> scopes) {
    if (ctx.hasCap("*") || ctx.hasCap("kv:*") || ctx.hasCap("kv:" + action + ":*")
        || (key != null && ctx.hasCap("kv:" + action + ":" + key))) {
      return true;
    }
    for (int i = 0; i < scopes.size(); i++) {
      String prefix = "kv[" + scopes.get(i) + "]:";
      if (ctx.hasCap(prefix + "*") || ctx.hasCap(prefix + action) || (key != null && ctx.hasCap(prefix + action + ":" + key))) {
        return true;
      }
    }
    return false;
  }

  static boolean allowsKeys(PluginContext ctx, List<String> scopes) {
    if (ctx.hasCap("kv.meta:keys")) {
      return true;
    }
    for (int i = 0; i < scopes.size(); i++) {
      if (!ctx.hasCap("kv.meta[" + scopes.get(i) + "]:keys")) {
        return false;
      }
    }
    return !scopes.isEmpty();
  }

  static String describe(String action, String key) {
    return "kv:*, kv:" + action + ":*" + (key == null ? "" : ", kv:" + action + ":" + key) + ", kv[SCOPE]:*, kv[SCOPE]:"
        + action + (key == null ? "" : " or kv[SCOPE]:" + action + ":" + key);
  }
}
