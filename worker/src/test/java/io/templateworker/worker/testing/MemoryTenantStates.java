package io.templateworker.worker.testing;

import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Tenant states in a map; counts reads so tests can see the worker's cache at work. */
public final class MemoryTenantStates implements TenantStateStore {
  private final ConcurrentHashMap<TenantId, TenantState> states = new ConcurrentHashMap<>();
  public final AtomicInteger reads = new AtomicInteger();

  public MemoryTenantStates subscribe(TenantId tenant, String... events) {
    states.put(tenant, new TenantState(Set.of(events), false, TenantState.empty().data()));
    return this;
  }

  @Override
  public TenantState get(TenantId tenant) {
    reads.incrementAndGet();
    return states.getOrDefault(tenant, TenantState.empty());
  }

  @Override
  public void set(TenantId tenant, TenantState state) {
    TenantState old = states.get(tenant);
    states.put(tenant, new TenantState(state.events(), old != null && old.banned(), state.data()));
  }

  @Override
  public void setBanned(TenantId tenant, boolean banned) {
    TenantState old = get(tenant);
    states.put(tenant, new TenantState(old.events(), banned, old.data()));
  }

  @Override
  public Map<TenantId, TenantState> listForWorker(int workerId, int workers) {
    Map<TenantId, TenantState> mine = new HashMap<>();
    for (Map.Entry<TenantId, TenantState> e : states.entrySet()) {
      if (e.getKey().workerOf(workers) == workerId) {
        mine.put(e.getKey(), e.getValue());
      }
    }
    return mine;
  }
}
