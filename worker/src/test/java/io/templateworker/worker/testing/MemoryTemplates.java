package io.templateworker.worker.testing;

import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Templates in a map, sorted by name on listing like the real store. */
public final class MemoryTemplates implements TemplateStore {
  private final ConcurrentHashMap<TenantId, Map<String, Template>> byTenant = new ConcurrentHashMap<>();

  /** Adds a template whose init.luau is a {@link ScriptedIsolates} command. */
  public MemoryTemplates add(TenantId tenant, String name, String command, List<String> events) {
    return add(tenant, name, command, events, List.of("*"), false);
  }

  public MemoryTemplates add(TenantId tenant, String name, String command, List<String> events, List<String> caps, boolean paused) {
    create(tenant, new TemplateSpec(name, Map.of("init.luau", command), events, caps, paused, null, "luau"));
    return this;
  }

  @Override
  public List<Template> list(TenantId tenant) {
    List<Template> all = new ArrayList<>(byTenant.getOrDefault(tenant, Map.of()).values());
    all.sort(Comparator.comparing(Template::name));
    return all;
  }

  @Override
  public Template get(TenantId tenant, String name) {
    return byTenant.getOrDefault(tenant, Map.of()).get(name);
  }

  @Override
  public Template create(TenantId tenant, TemplateSpec spec) {
    Template t = new Template(tenant, spec.name(), spec.content(), spec.events(), spec.allowedCaps(), spec.paused(),
        spec.errorChannel(), "luau", Instant.EPOCH, Instant.EPOCH);
    byTenant.computeIfAbsent(tenant, k -> new ConcurrentHashMap<>()).put(spec.name(), t);
    return t;
  }

  @Override
  public Template update(TenantId tenant, String name, TemplateSpec spec) {
    delete(tenant, name);
    return create(tenant, spec);
  }

  @Override
  public List<TenantId> tenantsListening(String event, int workerId, int workers) {
    List<TenantId> out = new ArrayList<>();
    byTenant.forEach((tenant, templates) -> {
      if (tenant.workerOf(workers) == workerId
          && templates.values().stream().anyMatch(t -> !t.paused() && t.events().contains(event))) {
        out.add(tenant);
      }
    });
    return out;
  }

  @Override
  public boolean delete(TenantId tenant, String name) {
    return byTenant.getOrDefault(tenant, Map.of()).remove(name) != null;
  }
}
