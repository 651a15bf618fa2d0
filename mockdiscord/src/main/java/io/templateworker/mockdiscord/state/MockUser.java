package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Discord user (a bot when {@link #bot}). */
public final class MockUser {
    public final long id;
    public String username;
    public String globalName;
    public final boolean bot;

    public MockUser(long id, String username, String globalName, boolean bot) {
        this.id = id;
        this.username = username;
        this.globalName = globalName;
        this.bot = bot;
    }

    /** Discord's user object. */
    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("username", username);
        o.put("discriminator", "0");
        o.put("global_name", globalName);
        o.putNull("avatar");
        if (bot) {
            o.put("bot", true);
        }
        o.put("public_flags", 0);
        return o;
    }
}
