package io.templateworker.runtime.store;

import java.util.Map;

/** Tenant states (UPSTREAM.md §5.5). Writes are limited to {@link TenantState#MAX_EVENTS} events. */
public interface TenantStateStore {

    /** The tenant's state, or {@link TenantState#empty()} if none was stored. */
    TenantState get(TenantId tenant);

    /** Stores events and data; the banned flag is staff-only and is left as it is (see {@link #setBanned}). */
    void set(TenantId tenant, TenantState state);

    /** Staff action: bans or unbans a tenant. */
    void setBanned(TenantId tenant, boolean banned);

    /** Every stored state of the tenants that worker {@code workerId} of {@code workers} owns. */
    Map<TenantId, TenantState> listForWorker(int workerId, int workers);
}
