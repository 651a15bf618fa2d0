package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A channel's incoming webhook. */
public final class MockWebhook {
    public final long id;
    public final long guildId;
    public long channelId;
    public String name;
    public String avatar;
    public final String token;
    public final long creatorId;
    public final long applicationId;

    public MockWebhook(long id, long guildId, long channelId, String name, String token, long creatorId, long applicationId) {
        this.id = id;
        this.guildId = guildId;
        this.channelId = channelId;
        this.name = name;
        this.token = token;
        this.creatorId = creatorId;
        this.applicationId = applicationId;
    }

    /** The webhook object; {@code token} only when the caller may see it. */
    public ObjectNode toJson(MockUser creator, boolean withToken) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("type", 1);
        o.put("guild_id", Json.id(guildId));
        o.put("channel_id", Json.id(channelId));
        if (creator != null) {
            o.set("user", creator.toJson());
        }
        o.put("name", name);
        o.put("avatar", avatar);
        if (withToken) {
            o.put("token", token);
        }
        o.put("application_id", applicationId == 0 ? null : Json.id(applicationId));
        return o;
    }

    /** The pseudo-user its messages are authored by. */
    public ObjectNode author() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("username", name);
        o.put("discriminator", "0000");
        o.putNull("avatar");
        o.put("bot", true);
        return o;
    }
}
