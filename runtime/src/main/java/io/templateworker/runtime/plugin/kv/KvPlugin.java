package io.templateworker.runtime.plugin.kv;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.plugin.Args;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.values.HostArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code ctx.KV} (UPSTREAM.md §8.5): upstream's REF methods plus the 2025 expiry-aware ones, on the tenant's
 * {@link KvStore}. Capabilities as §8.3; rate limit 500 / 100 ms per tenant VM (bucket = action), except
 * {@code list_scopes}. {@code set(..., expires_at)} feeds the key-expiry engine through the store, so the key
 * fires {@code KeyExpiry} when it expires.
 */
public final class KvPlugin implements Plugin {
  public static final String NAME = "KV";
  public static final RateLimits.Spec LIMITS = RateLimits.Spec.global(RateLimits.Quota.of(500, Duration.ofMillis(100)));

  private static final UserdataType<Executor> TYPE = UserdataType.builder("KvExecutor", Executor.class)
      .field("guild_id", e -> LuauString.of(e.ctx.tenant().idString()))
      .field("origin_guild_id", e -> LuauString.of(e.ctx.tenant().idString()))
      .field("unscoped_allowed", e -> Boolean.FALSE)
      .method("list_scopes", KvPlugin::listScopes)
      .method("find", KvPlugin::find)
      .method("exists", KvPlugin::exists)
      .method("keys", KvPlugin::keys)
      .method("get", KvPlugin::get)
      .method("getbyid", KvPlugin::getById)
      .method("getrecord", KvPlugin::getRecord)
      .method("getrecordbyid", KvPlugin::getRecordById)
      .method("set", KvPlugin::set)
      .method("setbyid", KvPlugin::setById)
      .method("setexpiry", KvPlugin::setExpiry)
      .method("setexpirybyid", KvPlugin::setExpiryById)
      .method("delete", KvPlugin::delete)
      .method("deletebyid", KvPlugin::deleteById)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("KvExecutor")})
      .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    KvStore store = context.service(TenantServices::kv, "key-value");
    return TYPE.wrap(new Executor(context, store, context.limits(NAME, LIMITS)));
  }

  /** One context's KV executor: its capabilities are the context's. */
  private record Executor(PluginContext ctx, KvStore store, RateLimits limits) {
    /** Checks the capability for a keyed or find action on {@code scopes}, then takes a rate-limit token. */
    void check(String action, String key, List<String> scopes) {
      ctx.admit(KvCapabilities.allows(ctx, action, key, scopes), () -> "KV operation `" + action
          + "` not allowed in this template context" + (key == null ? "" : " for key '" + key + "'")
          + " (needs one of " + KvCapabilities.describe(action, key) + ")", limits, action);
    }

    /** The by-id and meta operations need their own capability, then a token. */
    void checkMeta(String action, String cap) {
      ctx.admit(ctx.hasCap(cap), () -> "KV operation `" + action + "` not allowed in this template context (needs "
          + cap + ")", limits, action);
    }
  }

  private static Object[] listScopes(LuauThread L, Executor e, Object[] a) {
    WorkerMetrics.PLUGIN_CALLS.inc(NAME); // list_scopes takes no rate-limit token, which counts the others
    if (!e.ctx.hasCap("kv.meta:list_scopes")) {
      throw LuauError.runtime("KV operation `list_scopes` not allowed in this template context (needs kv.meta:list_scopes)");
    }
    List<String> scopes = e.ctx.await(L, "KV list_scopes", () -> e.store.listScopes(e.ctx.tenant()));
    return new Object[] {stringList(scopes, false)};
  }

  private static Object[] find(LuauThread L, Executor e, Object[] a) {
    String query = HostArgs.text(a, 0, "KV:find", "query");
    List<String> scopes = scopes(a, 1, "KV:find", "find");
    e.check("find", query, scopes);
    List<KvRecord> records = call(L, e, "find", () -> e.store.find(e.ctx.tenant(), scopes, query));
    LuauTable out = new LuauTable(records.size(), 0);
    for (int i = 0; i < records.size(); i++) {
      out.rawset(i + 1, record(records.get(i)));
    }
    return new Object[] {out};
  }

  private static Object[] exists(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:exists", "key");
    List<String> scopes = scopes(a, 1, "KV:exists", "exists");
    e.check("exists", key, scopes);
    return new Object[] {call(L, e, "exists", () -> e.store.exists(e.ctx.tenant(), scopes, key))};
  }

  private static Object[] keys(LuauThread L, Executor e, Object[] a) {
    List<String> scopes = scopes(a, 0, "KV:keys", "keys");
    e.ctx.admit(KvCapabilities.allowsKeys(e.ctx, scopes), () -> "KV operation `keys` not allowed in this template"
        + " context (needs kv.meta:keys, or kv.meta[SCOPE]:keys for every scope)", e.limits, "keys");
    return new Object[] {stringList(call(L, e, "keys", () -> e.store.keys(e.ctx.tenant(), scopes)), false)};
  }

  private static Object[] get(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:get", "key");
    List<String> scopes = scopes(a, 1, "KV:get", "get");
    e.check("get", key, scopes);
    return valueAndExists(call(L, e, "get", () -> e.store.get(e.ctx.tenant(), scopes, key)));
  }

  private static Object[] getById(LuauThread L, Executor e, Object[] a) {
    String id = HostArgs.text(a, 0, "KV:getbyid", "id");
    e.checkMeta("getbyid", "kv.meta:id_ops");
    return valueAndExists(call(L, e, "getbyid", () -> e.store.getById(e.ctx.tenant(), checkedId(id))));
  }

  private static Object[] getRecord(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:getrecord", "key");
    List<String> scopes = scopes(a, 1, "KV:getrecord", "get");
    e.check("get", key, scopes);
    return new Object[] {recordOrAbsent(call(L, e, "getrecord", () -> e.store.get(e.ctx.tenant(), scopes, key)))};
  }

  private static Object[] getRecordById(LuauThread L, Executor e, Object[] a) {
    String id = HostArgs.text(a, 0, "KV:getrecordbyid", "id");
    e.checkMeta("getrecordbyid", "kv.meta:id_ops");
    return new Object[] {recordOrAbsent(call(L, e, "getrecordbyid", () -> e.store.getById(e.ctx.tenant(), checkedId(id))))};
  }

  private static Object[] set(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:set", "key");
    KhronosValue value = Args.value(a, 1, "KV:set", "value");
    List<String> scopes = scopes(a, 2, "KV:set", "set");
    Instant expiresAt = Args.optDateTime(a, 3, "KV:set", "expires_at");
    boolean resume = HostArgs.optBoolean(a, 4, "KV:set", "resume", false);
    e.check("set", key, scopes);
    SetResult r = call(L, e, "set", () -> e.store.set(e.ctx.tenant(), scopes, key, value, expiresAt, resume));
    LuauTable out = new LuauTable(0, 2);
    out.rawset(LuauString.of("id"), LuauString.of(r.id()));
    out.rawset(LuauString.of("exists"), r.existed());
    out.freeze();
    return new Object[] {out};
  }

  private static Object[] setById(LuauThread L, Executor e, Object[] a) {
    String id = HostArgs.text(a, 0, "KV:setbyid", "id");
    KhronosValue value = Args.value(a, 1, "KV:setbyid", "value");
    Instant expiresAt = Args.optDateTime(a, 2, "KV:setbyid", "expires_at");
    boolean resume = HostArgs.optBoolean(a, 3, "KV:setbyid", "resume", false);
    e.checkMeta("setbyid", "kv.meta:id_ops");
    e.ctx.run(L, "KV setbyid", () -> e.store.setById(e.ctx.tenant(), checkedId(id), value, expiresAt, resume));
    return LuauFunction.NONE;
  }

  private static Object[] setExpiry(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:setexpiry", "key");
    List<String> scopes = scopes(a, 1, "KV:setexpiry", "setexpiry");
    Instant expiresAt = Args.optDateTime(a, 2, "KV:setexpiry", "expires_at");
    e.check("setexpiry", key, scopes);
    e.ctx.run(L, "KV setexpiry", () -> e.store.setExpiry(e.ctx.tenant(), scopes, key, expiresAt));
    return LuauFunction.NONE;
  }

  private static Object[] setExpiryById(LuauThread L, Executor e, Object[] a) {
    String id = HostArgs.text(a, 0, "KV:setexpirybyid", "id");
    Instant expiresAt = Args.optDateTime(a, 1, "KV:setexpirybyid", "expires_at");
    e.checkMeta("setexpirybyid", "kv.meta:id_ops");
    e.ctx.run(L, "KV setexpirybyid", () -> e.store.setExpiryById(e.ctx.tenant(), checkedId(id), expiresAt));
    return LuauFunction.NONE;
  }

  private static Object[] delete(LuauThread L, Executor e, Object[] a) {
    String key = HostArgs.text(a, 0, "KV:delete", "key");
    List<String> scopes = scopes(a, 1, "KV:delete", "delete");
    e.check("delete", key, scopes);
    call(L, e, "delete", () -> e.store.delete(e.ctx.tenant(), scopes, key));
    return LuauFunction.NONE;
  }

  private static Object[] deleteById(LuauThread L, Executor e, Object[] a) {
    String id = HostArgs.text(a, 0, "KV:deletebyid", "id");
    e.checkMeta("deletebyid", "kv.meta:id_ops");
    call(L, e, "deletebyid", () -> e.store.deleteById(e.ctx.tenant(), checkedId(id)));
    return LuauFunction.NONE;
  }

  /** The scopes argument, checked before capabilities so an empty list gets upstream's own message. */
  private static List<String> scopes(Object[] a, int i, String fn, String operation) {
    List<String> scopes = Args.strings(a, i, fn, "scopes");
    try {
      KvLimits.normalizeScopes(scopes, operation);
    } catch (StoreException ex) {
      throw LuauError.runtime(ex.getMessage());
    }
    return scopes;
  }

  private static String checkedId(String id) {
    KvLimits.checkId(id);
    return id;
  }

  private static <T> T call(LuauThread L, Executor e, String action, java.util.concurrent.Callable<T> work) {
    return e.ctx.await(L, "KV " + action, work);
  }

  private static Object[] valueAndExists(KvRecord r) {
    return r == null ? new Object[] {null, Boolean.FALSE} : new Object[] {KhronosLuau.toLuau(r.value()), Boolean.TRUE};
  }

  private static Object recordOrAbsent(KvRecord r) {
    if (r != null) {
      return record(r);
    }
    LuauTable t = new LuauTable(0, 5);
    t.rawset(LuauString.of("id"), LuauString.EMPTY);
    t.rawset(LuauString.of("key"), LuauString.EMPTY);
    LuauTable scopes = new LuauTable();
    scopes.freeze();
    t.rawset(LuauString.of("scopes"), scopes);
    t.rawset(LuauString.of("exists"), Boolean.FALSE);
    t.freeze();
    return t;
  }

  /** A read-only KvRecord table: timestamps as DateTime values (through the KhronosValue bridge). */
  static LuauTable record(KvRecord r) {
    LuauTable t = new LuauTable(0, 9);
    t.rawset(LuauString.of("id"), LuauString.of(r.id()));
    t.rawset(LuauString.of("key"), LuauString.of(r.key()));
    t.rawset(LuauString.of("value"), KhronosLuau.toLuau(r.value()));
    t.rawset(LuauString.of("scopes"), stringList(r.scopes(), true));
    t.rawset(LuauString.of("exists"), Boolean.TRUE);
    t.rawset(LuauString.of("created_at"), dateTime(r.createdAt()));
    t.rawset(LuauString.of("last_updated_at"), dateTime(r.lastUpdatedAt()));
    t.rawset(LuauString.of("expires_at"), dateTime(r.expiresAt()));
    t.rawset(LuauString.of("resume"), r.resume());
    t.freeze();
    return t;
  }

  private static Object dateTime(Instant i) {
    return i == null ? null : KhronosLuau.toLuau(new KhronosValue.Timestamptz(i));
  }

  /**
   * A list of strings: read-only inside a record (the record is read-only, as upstream's), a plain table the template
   * owns when it is a method's result ({@code keys}, {@code list_scopes}: e.g. to {@code table.sort} it).
   */
  static LuauTable stringList(List<String> items, boolean readOnly) {
    LuauTable t = new LuauTable(items.size(), 0);
    for (int i = 0; i < items.size(); i++) {
      t.rawset(i + 1, LuauString.of(items.get(i)));
    }
    if (readOnly) {
      t.freeze();
    }
    return t;
  }
}
