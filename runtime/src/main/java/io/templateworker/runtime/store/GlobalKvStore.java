package io.templateworker.runtime.store;

import java.util.List;

/**
 * Cross-tenant listings with staff review and optional prices (UPSTREAM.md §5.4, §8.6). Readers see only
 * approved entries; only the owner may delete; only staff-owned entries may carry a price, and a priced
 * entry's data is given only to tenants with a recorded purchase.
 */
public interface GlobalKvStore {

    /** Approved entries of {@code scope} whose key matches {@code query} ({@code "%%"} = all, else LIKE). */
    List<PartialGlobalKv> find(String scope, String query);

    /**
     * The approved entry, or null. {@code reader} (nullable) is the tenant asking; a priced entry yields
     * {@link GlobalKv.PurchaseRequired} unless that tenant has bought it.
     */
    GlobalKv get(String key, int version, String scope, TenantId reader);

    /** Creates an entry owned by {@code owner}, pending review; CONFLICT if (key, version, scope) exists. */
    void create(TenantId owner, CreateGlobalKv entry);

    /** Creates a staff-owned entry, optionally priced, pending review. */
    void createStaffEntry(String staffUserId, CreateGlobalKv entry, Integer price);

    /** Deletes the owner's entry; NOT_FOUND if {@code owner} has no such entry. */
    void delete(TenantId owner, String key, int version, String scope);

    /** Staff action: sets the review state; NOT_FOUND if there is no such entry. */
    void setReviewState(String key, int version, String scope, ReviewState state);

    /** Records that {@code buyer} bought the entry (idempotent); NOT_FOUND if there is no such priced entry. */
    void recordPurchase(TenantId buyer, String key, int version, String scope);
}
