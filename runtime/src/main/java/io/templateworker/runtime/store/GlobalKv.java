package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;

/** A global KV entry with the data the reader may see (UPSTREAM.md §5.4). */
public record GlobalKv(PartialGlobalKv partial, Data data) {

    /** What the reader gets in place of the entry's data. */
    public sealed interface Data {
    }

    /**
     * The data itself. {@code opaque} is true when it must not leave the service (priced or not public): the
     * public HTTP route replaces it with null, templates may still use it.
     */
    public record Value(KhronosValue data, boolean opaque) implements Data {
    }

    /** A priced entry the reader has not bought. */
    public record PurchaseRequired(String purchaseUrl) implements Data {
    }
}
