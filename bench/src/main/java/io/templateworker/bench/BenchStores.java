package io.templateworker.bench;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.context.FixedStores;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Every tenant subscribed to one event with one or more templates whose handler returns a number: the
 * dispatch path without the database (states and templates are read once per VM build). Every tenant has the
 * same sources, as with a shared template, so they compile once per process.
 */
public final class BenchStores {

  private BenchStores() {}

  /** Tenants with one template each, subscribed to event {@code E}. */
  public static TenantServices services() {
    return services(1);
  }

  /** Tenants with {@code perTenant} templates each, all subscribed to {@code E}. */
  public static TenantServices services(int perTenant) {
    return subscribedTo("E", perTenant, null);
  }

  /**
   * Tenants with {@code perTenant} templates each whose handler for {@code event} returns 1; {@code kv} is the
   * KV store templates would use (null: none).
   */
  public static TenantServices subscribedTo(String event, int perTenant, KvStore kv) {
    String handler = "return { " + event + " = function(ctx) return 1 end }";
    return readOnly(Set.of(event), tenant -> {
      List<Template> out = new ArrayList<>(perTenant);
      for (int i = 0; i < perTenant; i++) {
        out.add(template(tenant, "bench" + i, handler, List.of(event), List.of()));
      }
      return out;
    }, kv);
  }

  /**
   * Every tenant subscribed to {@code events}, with the templates {@code templatesOf} gives (asked at each VM
   * build, so a bench may change them between builds); {@code kv} is the KV store templates use (null: none).
   */
  public static TenantServices readOnly(Set<String> events, Function<TenantId, List<Template>> templatesOf, KvStore kv) {
    return FixedStores.of(events, templatesOf, kv);
  }

  /** A template of one file, {@code init.luau}, created at the epoch. */
  public static Template template(TenantId tenant, String name, String code, List<String> events, List<String> caps) {
    return FixedStores.template(tenant, name, code, events, caps);
  }
}
