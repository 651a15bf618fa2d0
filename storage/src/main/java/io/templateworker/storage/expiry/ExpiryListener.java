package io.templateworker.storage.expiry;

import io.templateworker.runtime.store.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * Told by the KV store, after the change committed, that a record's expiry may have changed, so the expiry
 * engine can update its in-memory timer for just that record instead of rebuilding anything (upstream rebuilt
 * its whole queue on every such write, gap 11). The database stays the source of truth: a missed
 * notification delays a firing until the engine's next scan, it never loses one.
 */
public interface ExpiryListener {

    /** Ignores every change: for stores not connected to an engine. */
    ExpiryListener NONE = (tenant, id, key, scopes, expiresAt) -> { };

    /**
     * Record {@code id} of {@code tenant} now expires at {@code expiresAt}, or no longer expires (null: the
     * expiry was cleared or the record deleted). Must be fast and must not throw.
     */
    void expiryChanged(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt);

    /** A listener that forwards to each of {@code listeners} (e.g. one engine per worker in one process). */
    static ExpiryListener all(List<? extends ExpiryListener> listeners) {
        List<? extends ExpiryListener> copy = List.copyOf(listeners);
        return (tenant, id, key, scopes, expiresAt) -> {
            for (int i = 0; i < copy.size(); i++) {
                copy.get(i).expiryChanged(tenant, id, key, scopes, expiresAt);
            }
        };
    }
}
