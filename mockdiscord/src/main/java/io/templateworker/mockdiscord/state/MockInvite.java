package io.templateworker.mockdiscord.state;

import java.time.Instant;

/** A channel invite. */
public final class MockInvite {
    public final String code;
    public final long guildId;
    public final long channelId;
    public final long inviterId;
    public final int maxAge;
    public final int maxUses;
    public final boolean temporary;
    public final Instant createdAt;
    public int uses;

    public MockInvite(String code, long guildId, long channelId, long inviterId, int maxAge, int maxUses, boolean temporary,
                      Instant createdAt) {
        this.code = code;
        this.guildId = guildId;
        this.channelId = channelId;
        this.inviterId = inviterId;
        this.maxAge = maxAge;
        this.maxUses = maxUses;
        this.temporary = temporary;
        this.createdAt = createdAt;
    }

    public Instant expiresAt() {
        return maxAge == 0 ? null : createdAt.plusSeconds(maxAge);
    }
}
