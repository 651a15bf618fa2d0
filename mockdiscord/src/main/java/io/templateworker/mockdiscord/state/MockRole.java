package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A guild role; the {@code @everyone} role has the guild's id. */
public final class MockRole {
    public final long id;
    public String name;
    public int color;
    public boolean hoist;
    public int position;
    public long permissions;
    public boolean managed;
    public boolean mentionable;
    public String icon;
    public String unicodeEmoji;
    /** For a bot's managed role: the bot's user id, else 0. */
    public long botId;

    public MockRole(long id, String name, int position, long permissions) {
        this.id = id;
        this.name = name;
        this.position = position;
        this.permissions = permissions;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("name", name);
        o.put("color", color);
        ObjectNode colors = o.putObject("colors");
        colors.put("primary_color", color);
        colors.putNull("secondary_color");
        colors.putNull("tertiary_color");
        o.put("hoist", hoist);
        o.put("icon", icon);
        o.put("unicode_emoji", unicodeEmoji);
        o.put("position", position);
        o.put("permissions", Long.toString(permissions));
        o.put("managed", managed);
        o.put("mentionable", mentionable);
        o.put("flags", 0);
        if (botId != 0) {
            o.putObject("tags").put("bot_id", Json.id(botId));
        }
        return o;
    }
}
