package io.templateworker.runtime.discord;

import java.util.List;

/**
 * The guild state permission and hierarchy checks read: guild and roles, channels, members. Filled from REST with a
 * short cache now, from gateway events later. Lookups answer null for what does not exist (or is not visible to the
 * bot); failures to reach Discord are {@link DiscordException}s.
 */
public interface GuildState {

    /** The guild with its roles, or null when the bot is not in it. */
    GuildInfo guild(long guildId);

    /** The guild's channels (not threads), or an empty list when the bot is not in it. */
    List<ChannelInfo> channels(long guildId);

    /** A channel or thread of this guild; null when it does not exist or belongs to another guild. */
    ChannelInfo channel(long guildId, long channelId);

    /** The member, or null when the user is not in the guild. */
    MemberInfo member(long guildId, long userId);

    /** Forgets what is known about a guild (after a write changed it). */
    void invalidate(long guildId);
}
