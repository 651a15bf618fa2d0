package io.templateworker.runtime.store;

import java.util.concurrent.CompletionStage;

/**
 * Where the key-expiry engine sends {@link KeyEvent}s; the worker layer implements it by dispatching the
 * event (scoped) to the tenant's VM. The returned stage completes normally once the event was handled, or
 * exceptionally if it was not; only then does the engine delete the expired key or schedule a retry. The
 * method itself must not block.
 */
@FunctionalInterface
public interface KeyEventDispatcher {

    CompletionStage<Void> dispatch(KeyEvent event);
}
