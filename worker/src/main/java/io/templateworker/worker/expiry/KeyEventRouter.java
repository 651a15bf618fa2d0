package io.templateworker.worker.expiry;

import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.worker.WorkerLike;
import java.util.concurrent.CompletionStage;

/**
 * Dispatches the key-expiry engine's events through the workers as scoped events, so templates subscribed to
 * {@code KeyExpiry[scope]} (or {@code KeyResume[scope]}) receive them. The stage completes once the tenant's
 * templates ran (their own errors are reported, not retried) and fails when the event could not be delivered
 * (worker down, queue full), so the engine retries it.
 */
public final class KeyEventRouter implements KeyEventDispatcher {
  private final WorkerLike workers;

  public KeyEventRouter(WorkerLike workers) {
    this.workers = workers;
  }

  @Override
  public CompletionStage<Void> dispatch(KeyEvent event) {
    CreateEvent created = CreateEvent.scoped(event.kind().eventName(), event.data(), event.scopes());
    return workers.dispatchEvent(event.tenant(), created).thenApply(result -> null);
  }
}
