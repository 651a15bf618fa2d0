package io.templateworker.runtime.context;

import io.templateworker.runtime.store.GlobalKvStore;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantStateStore;

/**
 * The database-backed stores a worker reaches its tenants' data through: PostgreSQL adapters in the thread
 * pool, Mesophyll proxies in a process-pool child. Plugins take what they need from here (a null store makes
 * its plugin "not supported in this context"); what does not depend on the process kind (object storage,
 * HTTP rules, links) is given to the plugins themselves when the registry is built.
 */
public record TenantServices(TenantStateStore tenantStates, TemplateStore templates, KvStore kv, GlobalKvStore globalKv) {

  public TenantServices(TenantStateStore tenantStates, TemplateStore templates, KvStore kv) {
    this(tenantStates, templates, kv, null);
  }

  /** The same services with another tenant-state store (a worker wraps it to keep its own cache current). */
  public TenantServices withTenantStates(TenantStateStore states) {
    return new TenantServices(states, templates, kv, globalKv);
  }
}
