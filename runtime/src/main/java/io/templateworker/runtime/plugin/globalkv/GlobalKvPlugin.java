package io.templateworker.runtime.plugin.globalkv;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Args;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.GlobalKv;
import io.templateworker.runtime.store.GlobalKvStore;
import io.templateworker.runtime.store.PartialGlobalKv;
import io.templateworker.runtime.values.HostArgs;
import java.time.Duration;
import java.util.List;

/**
 * {@code ctx.GlobalKV} (UPSTREAM.md §8.6, §5.4). Each call needs {@code globalkv:access:{scope}} for the scope it
 * touches, as upstream meant (REF checked {@code globalkv:access:{action}}, gap 13); rate limit 30 / 1 s per
 * tenant VM, bucket = action. {@code get} passes the tenant for the purchase check, which the store answers
 * from its purchases table (REF's check was a stub that never found a purchase, gap 8).
 */
public final class GlobalKvPlugin implements Plugin {
  public static final String NAME = "GlobalKV";
  public static final RateLimits.Spec LIMITS = RateLimits.Spec.global(RateLimits.Quota.of(30, Duration.ofSeconds(1)));

  private static final UserdataType<Executor> TYPE = UserdataType.builder("GlobalKvExecutor", Executor.class)
      .method("find", GlobalKvPlugin::find)
      .method("get", GlobalKvPlugin::get)
      .method("create", GlobalKvPlugin::create)
      .method("delete", GlobalKvPlugin::delete)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("GlobalKvExecutor")})
      .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    GlobalKvStore store = context.services() == null ? null : context.services().globalKv();
    if (store == null) {
      throw new PluginError("The global key-value plugin is not supported in this context");
    }
    return TYPE.wrap(new Executor(context, store, context.limits(NAME, LIMITS)));
  }

  private record Executor(PluginContext ctx, GlobalKvStore store, RateLimits limits) {
    void check(String action, String scope) {
      if (!ctx.hasCap("globalkv:access:" + scope)) {
        throw LuauError.runtime("Global KV operation `" + action + "` not allowed in this template context for scope '"
            + scope + "' (needs globalkv:access:" + scope + ")");
      }
      limits.check(action);
    }
  }

  private static Object[] find(LuauThread L, Executor e, Object[] a) {
    String query = HostArgs.text(a, 0, "GlobalKV:find", "query");
    String scope = HostArgs.text(a, 1, "GlobalKV:find", "scope");
    e.check("find", scope);
    List<PartialGlobalKv> found = e.ctx.await(L, "GlobalKV find", () -> e.store.find(scope, query));
    LuauTable out = new LuauTable(found.size(), 0);
    for (int i = 0; i < found.size(); i++) {
      out.rawset(i + 1, partial(found.get(i)));
    }
    return new Object[] {out};
  }

  private static Object[] get(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "GlobalKV:get", "key");
    int version = (int) HostArgs.integer(a, 1, "GlobalKV:get", "version", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String scope = HostArgs.text(a, 2, "GlobalKV:get", "scope");
    e.check("get", scope);
    GlobalKv kv = e.ctx.await(L, "GlobalKV get", () -> e.store.get(key, version, scope, e.ctx.tenant()));
    if (kv == null) {
      return new Object[] {null};
    }
    LuauTable data;
    if (kv.data() instanceof GlobalKv.Value v) {
      // Upstream: Opaque when the entry is priced or not public (usable, never shown), else Lazy (.data converts on read).
      Object value = v.opaque() ? io.templateworker.runtime.values.Opaque.wrap(v.data())
          : io.templateworker.runtime.values.Lazy.wrap(KhronosLuau.valueSource(v.data()));
      data = Tables.frozen("type", LuauString.of("Value"), "data", value, "opaque", v.opaque());
    } else {
      data = Tables.frozen("type", LuauString.of("PurchaseRequired"), "purchase_url",
          LuauString.of(((GlobalKv.PurchaseRequired) kv.data()).purchaseUrl()));
    }
    return new Object[] {Tables.frozen("partial", partial(kv.partial()), "data", data)};
  }

  private static Object[] create(LuauThread L, Executor e, Object[] a) {
    LuauTable t = HostArgs.table(a, 0, "GlobalKV:create", "entry");
    Object[] f = {t.rawget(LuauString.of("key")), t.rawget(LuauString.of("version")), t.rawget(LuauString.of("short")),
        t.rawget(LuauString.of("scope")), t.rawget(LuauString.of("public_data")), t.rawget(LuauString.of("long"))};
    String fn = "GlobalKV:create";
    String key = HostArgs.text(f, 0, fn, "entry.key");
    int version = (int) HostArgs.integer(f, 1, fn, "entry.version", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String shortText = HostArgs.text(f, 2, fn, "entry.short");
    String scope = HostArgs.text(f, 3, fn, "entry.scope");
    boolean publicData = HostArgs.optBoolean(f, 4, fn, "entry.public_data", false);
    String longText = Args.optString(f, 5, fn, "entry.long");
    KhronosValue metadata = Args.value(new Object[] {t.rawget(LuauString.of("public_metadata"))}, 0, fn, "entry.public_metadata");
    KhronosValue data = Args.value(new Object[] {t.rawget(LuauString.of("data"))}, 0, fn, "entry.data");
    e.check("create", scope);
    CreateGlobalKv entry = new CreateGlobalKv(key, version, shortText, metadata, scope, publicData, longText, data);
    e.ctx.await(L, "GlobalKV create", () -> {
      e.store.create(e.ctx.tenant(), entry);
      return null;
    });
    return LuauFunction.NONE;
  }

  private static Object[] delete(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "GlobalKV:delete", "key");
    int version = (int) HostArgs.integer(a, 1, "GlobalKV:delete", "version", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String scope = HostArgs.text(a, 2, "GlobalKV:delete", "scope");
    e.check("delete", scope);
    e.ctx.await(L, "GlobalKV delete", () -> {
      e.store.delete(e.ctx.tenant(), key, version, scope);
      return null;
    });
    return LuauFunction.NONE;
  }

  /** A read-only PartialGlobalKv table as upstream builds it. */
  static LuauTable partial(PartialGlobalKv p) {
    return Tables.frozen("key", LuauString.of(p.key()), "version", (double) p.version(), "owner_id", LuauString.of(p.ownerId()),
        "owner_type", LuauString.of(p.ownerType()), "price", p.price() == null ? null : (double) p.price(),
        "short", LuauString.of(p.shortDescription()), "long", Tables.string(p.longDescription()),
        "public_metadata", KhronosLuau.toLuau(p.publicMetadata()), "scope", LuauString.of(p.scope()),
        "created_at", Tables.dateTime(p.createdAt()), "last_updated_at", Tables.dateTime(p.lastUpdatedAt()),
        "public_data", p.publicData(), "review_state", LuauString.of(p.reviewState().sqlName()));
  }
}
