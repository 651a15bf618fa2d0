package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** An application command, global ({@link #guildId} 0) or of one guild. Its body is kept as Discord returns it. */
public final class MockCommand {
    public final long id;
    public final long applicationId;
    public final long guildId;
    public final ObjectNode body;

    public MockCommand(long id, long applicationId, long guildId, ObjectNode body) {
        this.id = id;
        this.applicationId = applicationId;
        this.guildId = guildId;
        this.body = body;
    }

    public String name() {
        return body.path("name").asText();
    }

    public int type() {
        return body.path("type").asInt(1);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("application_id", Json.id(applicationId));
        if (guildId != 0) {
            o.put("guild_id", Json.id(guildId));
        }
        o.put("version", Json.id(id));
        o.put("type", 1);
        o.put("description", "");
        o.putNull("default_member_permissions");
        o.put("nsfw", false);
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            o.set(e.getKey(), e.getValue().deepCopy());
        }
        return o;
    }
}
