package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.event.RawJson;
import java.util.List;
import java.util.Map;

/**
 * A guild as the checks need it.
 *
 * @param roles every role by id, {@code @everyone} (id = guild id) included
 * @param json  Discord's guild object as JSON text (see {@link #raw()}), or null
 */
public record GuildInfo(long id, String name, long ownerId, List<String> features, Map<Long, RoleInfo> roles, RawJson json) {

    /** From a parsed guild object (kept as compact JSON text). */
    public GuildInfo(long id, String name, long ownerId, List<String> features, Map<Long, RoleInfo> roles, JsonNode raw) {
        this(id, name, ownerId, features, roles, CompactJson.of(raw));
    }

    public RoleInfo everyone() {
        return roles.get(id);
    }

    /** Discord's guild object, for returning to templates (parsed from {@link #json()} at each call). */
    public JsonNode raw() {
        return CompactJson.tree(json);
    }
}
