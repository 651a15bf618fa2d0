package io.templateworker.runtime.context;

import io.templateworker.runtime.store.KvStore;
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
import java.util.function.Function;

/**
 * Stores in memory that nothing writes to: every tenant subscribed to the same events, with the templates a function
 * gives (asked at each VM build). For runs that must not touch a database: a standby child's warm-up, benchmarks.
 */
public final class FixedStores {

  private FixedStores() {}

  /** Every tenant subscribed to {@code events} with {@code templatesOf}'s templates; {@code kv} may be null (none). */
  public static TenantServices of(Set<String> events, Function<TenantId, List<Template>> templatesOf, KvStore kv) {
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
        return list(tenant).stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
      }

      @Override
      public Template create(TenantId tenant, TemplateSpec spec) {
        throw readOnly();
      }

      @Override
      public Template update(TenantId tenant, String name, TemplateSpec spec) {
        throw readOnly();
      }

      @Override
      public boolean delete(TenantId tenant, String name) {
        throw readOnly();
      }
    };
    return new TenantServices(states, templates, kv);
  }

  /** A template of one file, {@code init.luau}, created at the epoch. */
  public static Template template(TenantId tenant, String name, String code, List<String> events, List<String> caps) {
    return new Template(tenant, name, Map.of("init.luau", code), events, caps, false, null, "luau", Instant.EPOCH,
        Instant.EPOCH);
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("these stores are fixed in memory: nothing can be written");
  }
}
