package io.templateworker.bench;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    TenantState subscribed = new TenantState(events, false, TenantState.empty().data());
    TenantStateStore states = new TenantStateStore() {
      @Override
      public TenantState get(TenantId tenant) {
        return subscribed;
      }

      @Override
      public void set(TenantId tenant, TenantState state) {}

      @Override
      public void setBanned(TenantId tenant, boolean banned) {}

      @Override
      public Map<TenantId, TenantState> listForWorker(int workerId, int workers) {
        return new HashMap<>();
      }
    };
    TemplateStore templates = new TemplateStore() {
      @Override
      public List<Template> list(TenantId tenant) {
        return templatesOf.apply(tenant);
      }

      @Override
      public Template get(TenantId tenant, String name) {
        return list(tenant).stream().filter(t -> t.name().equals(name)).findFirst().orElse(list(tenant).get(0));
      }

      @Override
      public Template create(TenantId tenant, TemplateSpec spec) {
        throw new UnsupportedOperationException("read-only bench store");
      }

      @Override
      public Template update(TenantId tenant, String name, TemplateSpec spec) {
        throw new UnsupportedOperationException("read-only bench store");
      }

      @Override
      public boolean delete(TenantId tenant, String name) {
        throw new UnsupportedOperationException("read-only bench store");
      }
    };
    return new TenantServices(states, templates, kv);
  }

  /** A template of one file, {@code init.luau}, created at the epoch. */
  public static Template template(TenantId tenant, String name, String code, List<String> events, List<String> caps) {
    return new Template(tenant, name, Map.of("init.luau", code), events, caps, false, null, "luau", Instant.EPOCH,
        Instant.EPOCH);
  }
}
