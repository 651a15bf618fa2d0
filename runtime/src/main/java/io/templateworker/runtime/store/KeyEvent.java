package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An event the key-expiry engine hands to the worker: {@code KeyExpiry} when a key's expiry passed, or
 * {@code KeyResume} for a resume key after the tenant's VM was (re)built (UPSTREAM.md §6.1). It is dispatched
 * scoped, so templates subscribed to {@code KeyExpiry[<scope>]} for any of {@link #scopes()} receive it.
 *
 * @param dueAt      the expiry being fired (for resume events: when the resume was requested)
 * @param deliveryId stable per (key id, due time): a redelivery after a crash carries the same id, so a
 *                   handler can deduplicate
 * @param attempt    1 for the first delivery, higher for retries
 */
public record KeyEvent(Kind kind, TenantId tenant, String id, String key, List<String> scopes, Instant dueAt,
                       String deliveryId, int attempt) {

    /** The two key events; {@link #eventName()} is the template-visible name. */
    public enum Kind {
        EXPIRY("KeyExpiry"), RESUME("KeyResume");

        private final String eventName;

        Kind(String eventName) {
            this.eventName = eventName;
        }

        public String eventName() {
            return eventName;
        }
    }

    public KeyEvent {
        scopes = List.copyOf(scopes);
    }

    /** The event data templates see: {@code {id, key, scopes}}. */
    public KhronosValue data() {
        List<KhronosValue> scopeValues = new ArrayList<>(scopes.size());
        for (int i = 0; i < scopes.size(); i++) {
            scopeValues.add(new KhronosValue.Text(scopes.get(i)));
        }
        return KhronosValue.textMap("id", new KhronosValue.Text(id), "key", new KhronosValue.Text(key),
                "scopes", new KhronosValue.ListValue(scopeValues));
    }
}
