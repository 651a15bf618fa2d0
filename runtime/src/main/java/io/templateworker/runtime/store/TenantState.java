package io.templateworker.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant's dispatch filter and free-form state (UPSTREAM.md §5.5): {@code events} decides which events
 * reach its VM; {@code data} is a JSON object owned by the builtins template loop; {@code banned} tenants get
 * no VM; {@code canManageGuildCommands} (staff-set, like {@code banned}; HEAD's CAN_MANAGE_GUILD_COMMANDS modflag) lets
 * the tenant's templates create guild slash commands.
 */
public record TenantState(Set<String> events, boolean banned, JsonNode data, boolean canManageGuildCommands) {

    /** Most events a tenant may subscribe to. */
    public static final int MAX_EVENTS = 100;

    public TenantState {
        events = Set.copyOf(events);
        Objects.requireNonNull(data, "data");
        if (!data.isObject()) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    "tenant state data must be a JSON object, got " + data.getNodeType());
        }
    }

    /** A state without the guild-commands permission. */
    public TenantState(Set<String> events, boolean banned, JsonNode data) {
        this(events, banned, data, false);
    }

    /** The state of a tenant that never stored one: no events, not banned, empty data. */
    public static TenantState empty() {
        return new TenantState(Set.of(), false, emptyObject());
    }

    private static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
