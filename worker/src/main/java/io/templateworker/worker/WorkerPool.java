package io.templateworker.worker;

import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of workers (threads or processes): every per-tenant operation goes to the worker that owns the
 * tenant, {@code (id >> 22) % len()} (UPSTREAM.md §2.2). Implementations say which worker that is and how the
 * pool is stopped; the routing is written once here.
 */
public interface WorkerPool extends WorkerLike {

  /** The worker that owns {@code tenant}. */
  WorkerLike workerFor(TenantId tenant);

  /** A pool's id is 0 (§2.3). */
  @Override
  default int id() {
    return 0;
  }

  @Override
  default CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event) {
    return workerFor(tenant).dispatchEvent(tenant, event);
  }

  @Override
  default void dispatchEventNoWait(TenantId tenant, CreateEvent event) {
    workerFor(tenant).dispatchEventNoWait(tenant, event);
  }

  @Override
  default CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event) {
    return workerFor(tenant).runScript(tenant, name, code, event);
  }

  @Override
  default CompletableFuture<Void> dropTenant(TenantId tenant) {
    return workerFor(tenant).dropTenant(tenant);
  }

  @Override
  default CompletableFuture<Void> reloadTemplates(TenantId tenant, String name) {
    return workerFor(tenant).reloadTemplates(tenant, name);
  }
}
