package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A channel or thread.
 *
 * @param parentId the category of a channel, the channel of a thread, 0 when none
 * @param raw      Discord's channel object
 */
public record ChannelInfo(long id, long guildId, int type, String name, long parentId, List<PermissionOverwrite> overwrites,
                          JsonNode raw) {

    /** Announcement, public and private threads (types 10, 11, 12). */
    public boolean isThread() {
        return type == 10 || type == 11 || type == 12;
    }
}
