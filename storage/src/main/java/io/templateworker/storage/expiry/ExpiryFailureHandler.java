package io.templateworker.storage.expiry;

import io.templateworker.runtime.store.KeyEvent;

/**
 * Hears about key events the engine could not deliver, so they reach a person (the tenant's error channel,
 * metrics) instead of vanishing. The engine has already logged the error.
 */
@FunctionalInterface
public interface ExpiryFailureHandler {

    /** Logs only (the engine's own error line). */
    ExpiryFailureHandler LOG_ONLY = (event, error) -> { };

    /**
     * {@code event} failed for the last time: for KeyExpiry, after {@link ExpiryConfig#maxAttempts()} attempts
     * (the key is kept, parked, until its expiry is set again); for KeyResume, after its single attempt.
     */
    void gaveUp(KeyEvent event, Throwable lastError);
}
