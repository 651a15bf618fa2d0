package io.templateworker.worker;

import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.util.concurrent.CompletableFuture;

/**
 * The operations every worker kind offers (UPSTREAM.md §2.3): a worker thread, a thread pool, a process
 * handle and a process pool. Calls never block the caller; failures complete the future exceptionally with
 * a {@link WorkerException} that says what failed for which tenant.
 */
public interface WorkerLike {

  /** The worker's id; 0 for a pool. */
  int id();

  /** The number of workers in a pool; 0 for a single worker. */
  int len();

  /**
   * Dispatches an event and completes with the template results: a list of {@code {type = "ok"|"err", id,
   * value}} maps, or {@code Null} when the tenant's event filter does not admit the event.
   */
  CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event);

  /** Dispatches without waiting for the result; errors are reported and logged. */
  void dispatchEventNoWait(TenantId tenant, CreateEvent event);

  /** Evaluates staff-supplied Luau {@code code} (chunk {@code name}) for the tenant and returns its value. */
  CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event);

  /** Closes and forgets the tenant's VM; the next event builds a fresh one (reloading templates and state). */
  CompletableFuture<Void> dropTenant(TenantId tenant);

  /**
   * The tenant's templates changed in the store (template {@code name} was created, updated or deleted; null
   * when it is not known which): the worker reloads them at once, rebuilds the isolates of changed templates
   * (the others keep their state) and sends {@code OnStartup {reason = "updateTemplateCache"}} to template
   * {@code name} if it still exists and is not paused. Completes when that is done.
   */
  CompletableFuture<Void> reloadTemplates(TenantId tenant, String name);

  /** Stops the worker (every worker of a pool). Later calls fail. */
  void kill();
}
