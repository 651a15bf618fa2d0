package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A guild as the checks need it.
 *
 * @param roles every role by id, {@code @everyone} (id = guild id) included
 * @param raw   Discord's guild object, for returning to templates
 */
public record GuildInfo(long id, String name, long ownerId, List<String> features, Map<Long, RoleInfo> roles, JsonNode raw) {

    public RoleInfo everyone() {
        return roles.get(id);
    }
}
