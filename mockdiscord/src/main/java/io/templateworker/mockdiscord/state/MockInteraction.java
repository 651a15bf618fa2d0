package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An application command interaction and what the bot answered. Tokens stay valid for 15 minutes. */
public final class MockInteraction {
    public final long id;
    public final String token;
    public final long applicationId;
    public final long guildId;
    public final long channelId;
    public final long userId;
    /** {@code data}: {id, name, type, options}. */
    public final ObjectNode data;
    public final Instant createdAt;
    /** The callback type the bot answered with, 0 before it answered. */
    public int callbackType;
    /** The original response message, 0 until there is one. */
    public long originalMessageId;
    public boolean ephemeral;
    public final List<Long> followups = new ArrayList<>();

    public MockInteraction(long id, String token, long applicationId, long guildId, long channelId, long userId, ObjectNode data,
                           Instant createdAt) {
        this.id = id;
        this.token = token;
        this.applicationId = applicationId;
        this.guildId = guildId;
        this.channelId = channelId;
        this.userId = userId;
        this.data = data;
        this.createdAt = createdAt;
    }

    public boolean expired(Instant now) {
        return createdAt.plusSeconds(15 * 60).isBefore(now);
    }
}
