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
    TenantState subscribed = new TenantState(Set.of(event), false, TenantState.empty().data());
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
        List<Template> out = new ArrayList<>(perTenant);
        for (int i = 0; i < perTenant; i++) {
          out.add(new Template(tenant, "bench" + i, Map.of("init.luau", handler), List.of(event), List.of(), false, null,
              "luau", Instant.EPOCH, Instant.EPOCH));
        }
        return out;
      }

      @Override
      public Template get(TenantId tenant, String name) {
        return list(tenant).get(0);
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
}
