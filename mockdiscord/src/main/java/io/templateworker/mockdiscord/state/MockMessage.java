package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A message. {@link #author} is a user object (a webhook's pseudo-user for webhook messages). */
public final class MockMessage {
    public final long id;
    public final long channelId;
    public final long guildId;
    public final ObjectNode author;
    public final long authorId;
    public String content = "";
    public ArrayNode embeds = Json.arr();
    public ArrayNode components = Json.arr();
    public ArrayNode attachments = Json.arr();
    public final Instant timestamp;
    public Instant editedTimestamp;
    public boolean tts;
    public int flags;
    public boolean pinned;
    public int type;
    public long webhookId;
    public long applicationId;
    /** Fields stored as given and echoed back: poll, sticker_items, message_reference, interaction_metadata, … */
    public final ObjectNode extra = Json.obj();
    /** Emoji key ({@code name} or {@code name:id}) → its emoji object and who reacted. */
    public final Map<String, Reaction> reactions = new LinkedHashMap<>();

    /** One emoji's reactions. */
    public static final class Reaction {
        public final ObjectNode emoji;
        public final Set<Long> users = new LinkedHashSet<>();

        public Reaction(ObjectNode emoji) {
            this.emoji = emoji;
        }
    }

    public MockMessage(long id, long channelId, long guildId, ObjectNode author, long authorId, Instant timestamp) {
        this.id = id;
        this.channelId = channelId;
        this.guildId = guildId;
        this.author = author;
        this.authorId = authorId;
        this.timestamp = timestamp;
    }

    /** Discord's message object as seen by {@code viewerId} (for {@code reactions[].me}). */
    public ObjectNode toJson(long viewerId) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("type", type);
        o.put("channel_id", Json.id(channelId));
        if (guildId != 0) {
            o.put("guild_id", Json.id(guildId));
        }
        o.set("author", author.deepCopy());
        o.put("content", content);
        o.put("timestamp", Json.time(timestamp));
        o.put("edited_timestamp", Json.time(editedTimestamp));
        o.put("tts", tts);
        o.put("mention_everyone", false);
        o.putArray("mentions");
        o.putArray("mention_roles");
        o.set("attachments", attachments.deepCopy());
        o.set("embeds", embeds.deepCopy());
        o.set("components", components.deepCopy());
        o.put("pinned", pinned);
        o.put("flags", flags);
        if (webhookId != 0) {
            o.put("webhook_id", Json.id(webhookId));
        }
        if (applicationId != 0) {
            o.put("application_id", Json.id(applicationId));
        }
        if (!reactions.isEmpty()) {
            ArrayNode rs = o.putArray("reactions");
            for (Reaction r : reactions.values()) {
                ObjectNode ro = rs.addObject();
                ro.put("count", r.users.size());
                ObjectNode details = ro.putObject("count_details");
                details.put("burst", 0);
                details.put("normal", r.users.size());
                ro.put("me", r.users.contains(viewerId));
                ro.put("me_burst", false);
                ro.set("emoji", r.emoji.deepCopy());
                ro.putArray("burst_colors");
            }
        }
        for (Map.Entry<String, JsonNode> e : extra.properties()) {
            o.set(e.getKey(), e.getValue().deepCopy());
        }
        return o;
    }
}
