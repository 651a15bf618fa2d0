package io.templateworker.runtime.store;

import java.util.List;

/**
 * A tenant's custom templates. Validation (same for every adapter, see {@code TemplateRules} in storage):
 * name 1..100 characters, not starting with {@code $} (reserved for {@code $builtins} and shop references),
 * unique per tenant; content non-empty with an {@code init.luau}; language {@code luau}; at most 100 events;
 * error channel a snowflake or null.
 */
public interface TemplateStore {

    /** The tenant's templates, sorted by name. */
    List<Template> list(TenantId tenant);

    /** The named template, or null. */
    Template get(TenantId tenant, String name);

    /** Creates a template; CONFLICT if the name is taken. */
    Template create(TenantId tenant, TemplateSpec spec);

    /**
     * Replaces the template {@code name} with {@code spec} (which may rename it); NOT_FOUND if absent,
     * CONFLICT if the new name is taken.
     */
    Template update(TenantId tenant, String name, TemplateSpec spec);

    /** Deletes the named template; returns whether it existed. */
    boolean delete(TenantId tenant, String name);

    /**
     * Clears template {@code name}'s error channel if it is still {@code channel} (its error reports found the channel
     * gone: Discord answered 404). Returns whether it was cleared. The default reads and rewrites the template.
     */
    default boolean clearErrorChannel(TenantId tenant, String name, String channel) {
        Template t = get(tenant, name);
        if (t == null || channel == null || !channel.equals(t.errorChannel())) {
            return false;
        }
        update(tenant, name, new TemplateSpec(t.name(), t.content(), t.events(), t.allowedCaps(), t.paused(), null, t.language()));
        return true;
    }

    /**
     * The tenants routed to worker {@code workerId} of {@code workers} that have an unpaused template listing
     * {@code event} (e.g. {@code OnStartup}, sent to them when the worker starts). The default, for stores
     * that cannot list across tenants, finds none.
     */
    default List<TenantId> tenantsListening(String event, int workerId, int workers) {
        return List.of();
    }
}
