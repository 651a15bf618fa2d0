package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** A user's membership of a guild. {@link #roles} never holds the {@code @everyone} role. */
public final class MockMember {
    public final long guildId;
    public final MockUser user;
    public String nick;
    public final Set<Long> roles = new LinkedHashSet<>();
    public final Instant joinedAt;
    public boolean deaf;
    public boolean mute;
    public Instant communicationDisabledUntil;
    public int flags;

    public MockMember(long guildId, MockUser user, Instant joinedAt) {
        this.guildId = guildId;
        this.user = user;
        this.joinedAt = joinedAt;
    }

    public boolean timedOut(Instant now) {
        return communicationDisabledUntil != null && communicationDisabledUntil.isAfter(now);
    }

    /** Discord's guild member object with its {@code user}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.set("user", user.toJson());
        o.put("nick", nick);
        o.putNull("avatar");
        o.putNull("banner");
        o.set("roles", Json.ids(roles));
        o.put("joined_at", Json.time(joinedAt));
        o.putNull("premium_since");
        o.put("deaf", deaf);
        o.put("mute", mute);
        o.put("flags", flags);
        o.put("pending", false);
        o.put("communication_disabled_until", Json.time(communicationDisabledUntil));
        return o;
    }
}
