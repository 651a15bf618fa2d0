package io.templateworker.runtime.context;

import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantStateStore;

/**
 * The stores a worker reaches its tenants' data through: PostgreSQL adapters in the thread pool, Mesophyll
 * proxies in a process-pool child. Plugins (a later issue) take what they need from here.
 */
public record TenantServices(TenantStateStore tenantStates, TemplateStore templates, KvStore kv) {

  /** The same services with another tenant-state store (a worker wraps it to keep its own cache current). */
  public TenantServices withTenantStates(TenantStateStore states) {
    return new TenantServices(states, templates, kv);
  }
}
