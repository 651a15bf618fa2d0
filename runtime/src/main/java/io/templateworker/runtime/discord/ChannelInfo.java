package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.event.RawJson;
import java.util.List;

/**
 * A channel or thread.
 *
 * @param parentId the category of a channel, the channel of a thread, 0 when none
 * @param json     Discord's channel object as JSON text (see {@link #raw()}), or null
 */
public record ChannelInfo(long id, long guildId, int type, String name, long parentId, List<PermissionOverwrite> overwrites,
                          RawJson json) {

    /** From a parsed channel object (kept as compact JSON text). */
    public ChannelInfo(long id, long guildId, int type, String name, long parentId, List<PermissionOverwrite> overwrites,
                       JsonNode raw) {
        this(id, guildId, type, name, parentId, overwrites, CompactJson.of(raw));
    }

    /** Announcement, public and private threads (types 10, 11, 12). */
    public boolean isThread() {
        return type == 10 || type == 11 || type == 12;
    }

    /** Discord's channel object (parsed from {@link #json()} at each call). */
    public JsonNode raw() {
        return CompactJson.tree(json);
    }
}
