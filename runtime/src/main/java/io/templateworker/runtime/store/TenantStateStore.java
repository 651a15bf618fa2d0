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

    /**
     * Staff action: lets a tenant's templates create guild commands ({@code can_manage_guild_commands}, HEAD's
     * CAN_MANAGE_GUILD_COMMANDS) or takes it back. Stores that cannot keep the flag refuse.
     */
    default void setCanManageGuildCommands(TenantId tenant, boolean allowed) {
        throw new UnsupportedOperationException("this tenant-state store cannot set can_manage_guild_commands");
    }

    /** Every stored state of the tenants that worker {@code workerId} of {@code workers} owns. */
    Map<TenantId, TenantState> listForWorker(int workerId, int workers);
}
