package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A guild channel or thread. Messages are kept in creation order. */
public final class MockChannel {
    public static final int GUILD_TEXT = 0;
    public static final int GUILD_VOICE = 2;
    public static final int GUILD_CATEGORY = 4;
    public static final int GUILD_ANNOUNCEMENT = 5;
    public static final int ANNOUNCEMENT_THREAD = 10;
    public static final int PUBLIC_THREAD = 11;
    public static final int PRIVATE_THREAD = 12;
    public static final int GUILD_FORUM = 15;

    public final long id;
    public final long guildId;
    public int type;
    public String name;
    public int position;
    public String topic;
    public boolean nsfw;
    public long parentId;
    public int rateLimitPerUser;
    public final Map<Long, Overwrite> overwrites = new LinkedHashMap<>();
    public final Map<Long, MockMessage> messages = new LinkedHashMap<>();
    public final List<Long> pins = new ArrayList<>();
    // Threads only
    public long ownerId;
    public boolean archived;
    public boolean locked;
    public int autoArchiveDuration = 1440;
    public Instant archiveTimestamp;
    public final Set<Long> threadMembers = new LinkedHashSet<>();

    public MockChannel(long id, long guildId, int type, String name) {
        this.id = id;
        this.guildId = guildId;
        this.type = type;
        this.name = name;
    }

    public boolean isThread() {
        return type == PUBLIC_THREAD || type == PRIVATE_THREAD || type == ANNOUNCEMENT_THREAD;
    }

    public boolean isTextLike() {
        return type == GUILD_TEXT || type == GUILD_ANNOUNCEMENT || type == GUILD_VOICE || isThread();
    }

    public long lastMessageId() {
        long last = 0;
        for (long id : messages.keySet()) {
            last = id;
        }
        return last;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("type", type);
        o.put("guild_id", Json.id(guildId));
        o.put("name", name);
        o.put("flags", 0);
        if (isThread()) {
            o.put("parent_id", Json.id(parentId));
            o.put("owner_id", Json.id(ownerId));
            o.put("message_count", messages.size());
            o.put("member_count", threadMembers.size());
            o.put("rate_limit_per_user", rateLimitPerUser);
            ObjectNode meta = o.putObject("thread_metadata");
            meta.put("archived", archived);
            meta.put("auto_archive_duration", autoArchiveDuration);
            meta.put("archive_timestamp", Json.time(archiveTimestamp));
            meta.put("locked", locked);
        } else {
            o.put("position", position);
            o.putArray("permission_overwrites").addAll(overwrites.values().stream().map(Overwrite::toJson).toList());
            o.put("parent_id", parentId == 0 ? null : Json.id(parentId));
            o.put("nsfw", nsfw);
            if (type != GUILD_CATEGORY) {
                o.put("topic", topic);
                o.put("rate_limit_per_user", rateLimitPerUser);
            }
        }
        if (isTextLike()) {
            long last = lastMessageId();
            o.put("last_message_id", last == 0 ? null : Json.id(last));
        }
        return o;
    }
}
