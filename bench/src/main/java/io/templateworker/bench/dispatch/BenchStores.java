package io.templateworker.bench.dispatch;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every tenant subscribed to event {@code E} with one template whose handler returns a number: the dispatch
 * path without the database (states and templates are read once per VM build).
 */
final class BenchStores {
  static final String HANDLER = "return { E = function(ctx) return 1 end }";

  private BenchStores() {}

  static TenantServices services() {
    TenantState subscribed = new TenantState(Set.of("E"), false, TenantState.empty().data());
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
        return List.of(new Template(tenant, "bench", Map.of("init.luau", HANDLER), List.of("E"), List.of(), false, null,
            "luau", Instant.EPOCH, Instant.EPOCH));
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
    return new TenantServices(states, templates, null);
  }
}
