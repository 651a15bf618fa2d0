package io.templateworker.runtime.plugin.runtime;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.plugin.Args;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.runtime.values.HostArgs;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ctx.Runtime} (UPSTREAM.md §8.10): each method needs {@code runtime:*} or {@code runtime:{method}}, then
 * a token of the tenant VM's 10 / 1 s limiter (bucket = method). Tenant state goes through the context's
 * {@link TenantStateStore} (the master's, over Mesophyll, in a process-pool child).
 */
public final class RuntimePlugin implements Plugin {
  public static final String NAME = "Runtime";
  public static final RateLimits.Spec LIMITS = RateLimits.Spec.global(RateLimits.Quota.of(10, Duration.ofSeconds(1)));

  private static final UserdataType<Executor> TYPE = UserdataType.builder("RuntimeExecutor", Executor.class)
      .method("getexposedvfs", RuntimePlugin::exposedVfs)
      .method("gettenantstate", RuntimePlugin::getTenantState)
      .method("settenantstate", RuntimePlugin::setTenantState)
      .method("stats", RuntimePlugin::stats)
      .method("links", RuntimePlugin::links)
      .method("eventlist", RuntimePlugin::eventList)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("RuntimeExecutor")})
      .build();

  private final RuntimeInfo info;

  public RuntimePlugin(RuntimeInfo info) {
    this.info = info;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    return TYPE.wrap(new Executor(context, info, context.limits(NAME, LIMITS)));
  }

  private record Executor(PluginContext ctx, RuntimeInfo info, RateLimits limits) {
    void check(String action) {
      if (!ctx.hasCap("runtime:*") && !ctx.hasCap("runtime:" + action)) {
        throw LuauError.runtime("Runtime operation `" + action + "` not allowed in this template context (needs runtime:"
            + action + " or runtime:*)");
      }
      limits.check(action);
    }

    TenantStateStore states() {
      TenantStateStore s = ctx.services() == null ? null : ctx.services().tenantStates();
      if (s == null) {
        throw new PluginError("tenant state is not available in this context");
      }
      return s;
    }
  }

  private static Object[] exposedVfs(LuauThread L, Executor e, Object[] a) {
    e.check("getexposedvfs");
    if (e.info.vfsOf() == null) {
      throw LuauError.runtime("getexposedvfs is not available: this runtime has no Vfs type");
    }
    RuntimeInfo.ExposedFolders f = e.info.folders();
    return new Object[] {Tables.frozen("Builtins", e.info.vfsOf().apply(f.builtins()),
        "TemplatingTypes", e.info.vfsOf().apply(f.templatingTypes()),
        "BuiltinsPatches", e.info.vfsOf().apply(f.builtinsPatches()))};
  }

  private static Object[] getTenantState(LuauThread L, Executor e, Object[] a) {
    e.check("gettenantstate");
    TenantStateStore states = e.states();
    TenantState s = e.ctx.await(L, "Runtime gettenantstate", () -> states.get(e.ctx.tenant()));
    List<String> events = s.events().stream().sorted().toList();
    // A mutable copy, as upstream: the template edits it and hands it to settenantstate.
    return new Object[] {Tables.of("events", Tables.strings(events, false), "banned", s.banned(), "data", StateData.toLuau(s.data()))};
  }

  private static Object[] setTenantState(LuauThread L, Executor e, Object[] a) {
    LuauTable t = HostArgs.table(a, 0, "Runtime:settenantstate", "state");
    List<String> events = Args.strings(new Object[] {t.rawget(LuauString.of("events"))}, 0, "Runtime:settenantstate", "state.events");
    Set<String> unique = new LinkedHashSet<>(events);
    if (unique.size() > TenantState.MAX_EVENTS) {
      throw HostArgs.bad(0, "Runtime:settenantstate", "state.events", unique.size() + " events; at most "
          + TenantState.MAX_EVENTS + " are allowed");
    }
    Object data = t.rawget(LuauString.of("data"));
    if (data != null && !(data instanceof LuauTable)) {
      throw HostArgs.type(new Object[] {data}, 0, "Runtime:settenantstate", "state.data", "table");
    }
    TenantState state = new TenantState(unique, false, data == null
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : StateData.object((LuauTable) data, "state.data"));
    e.check("settenantstate");
    TenantStateStore states = e.states();
    e.ctx.await(L, "Runtime settenantstate", () -> {
      states.set(e.ctx.tenant(), state);
      return null;
    });
    return LuauFunction.NONE;
  }

  private static Object[] stats(LuauThread L, Executor e, Object[] a) {
    e.check("stats");
    RuntimeInfo.Stats s = e.info.stats().get();
    return new Object[] {Tables.frozen("total_cached_guilds", (double) s.totalGuilds(), "total_guilds", (double) s.totalGuilds(),
        "total_users", (double) s.totalUsers(), "last_started_at", Tables.dateTime(s.lastStartedAt()))};
  }

  private static Object[] links(LuauThread L, Executor e, Object[] a) {
    e.check("links");
    RuntimeInfo.Links l = e.info.links();
    return new Object[] {Tables.frozen("support_server", Tables.string(l.supportServer()), "api_url", Tables.string(l.apiUrl()),
        "frontend_url", Tables.string(l.frontendUrl()), "docs_url", Tables.string(l.docsUrl()))};
  }

  private static Object[] eventList(LuauThread L, Executor e, Object[] a) {
    e.check("eventlist");
    return new Object[] {Tables.strings(EventNames.ALL, true)};
  }
}
