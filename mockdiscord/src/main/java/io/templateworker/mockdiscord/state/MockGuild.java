package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A guild with everything in it. The {@code @everyone} role's id is the guild's id. */
public final class MockGuild {
    public final long id;
    public String name;
    public long ownerId;
    public String description;
    public String icon;
    public final List<String> features = new ArrayList<>();
    public final Map<Long, MockRole> roles = new LinkedHashMap<>();
    /** Channels and threads. */
    public final Map<Long, MockChannel> channels = new LinkedHashMap<>();
    public final Map<Long, MockMember> members = new LinkedHashMap<>();
    /** User id → ban reason (may be null). */
    public final Map<Long, String> bans = new LinkedHashMap<>();
    public final List<ObjectNode> auditLog = new ArrayList<>();
    public final Map<Long, ObjectNode> autoModerationRules = new LinkedHashMap<>();

    public MockGuild(long id, String name, long ownerId) {
        this.id = id;
        this.name = name;
        this.ownerId = ownerId;
    }

    public MockRole everyone() {
        return roles.get(id);
    }

    /** Discord's guild object (roles included, channels and members not, as {@code GET /guilds/{id}}). */
    public ObjectNode toJson(boolean withCounts) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("name", name);
        o.put("icon", icon);
        o.putNull("icon_hash");
        o.putNull("splash");
        o.putNull("discovery_splash");
        o.put("owner_id", Json.id(ownerId));
        o.putNull("afk_channel_id");
        o.put("afk_timeout", 300);
        o.put("verification_level", 0);
        o.put("default_message_notifications", 0);
        o.put("explicit_content_filter", 0);
        ArrayNode rs = o.putArray("roles");
        for (MockRole r : roles.values()) {
            rs.add(r.toJson());
        }
        o.putArray("emojis");
        ArrayNode fs = o.putArray("features");
        features.forEach(fs::add);
        o.put("mfa_level", 0);
        o.putNull("application_id");
        o.putNull("system_channel_id");
        o.put("system_channel_flags", 0);
        o.putNull("rules_channel_id");
        o.putNull("vanity_url_code");
        o.put("description", description);
        o.putNull("banner");
        o.put("premium_tier", 0);
        o.put("premium_subscription_count", 0);
        o.put("preferred_locale", "en-US");
        o.putNull("public_updates_channel_id");
        o.put("nsfw_level", 0);
        o.putArray("stickers");
        o.put("premium_progress_bar_enabled", false);
        if (withCounts) {
            o.put("approximate_member_count", members.size());
            o.put("approximate_presence_count", 0);
        }
        return o;
    }
}
