package io.templateworker.api.guilds;

import io.templateworker.api.auth.GuildManagers;

/**
 * The guilds the bot is in, from the guild state. Snowflakes are unsigned 64-bit values in a {@code long}.
 */
public interface GuildDirectory extends GuildManagers {

    /** Whether the bot is in the guild (upstream asked Sandwich's {@code bulk-has-guild}). */
    boolean hasBot(long guildId);

    /** How many guilds the bot is in, or -1 when unknown. */
    long guildCount();

    /** No guild state: the bot is in no guild, only root users pass guild checks. */
    GuildDirectory NONE = new GuildDirectory() {
        @Override
        public boolean hasBot(long guildId) {
            return false;
        }

        @Override
        public long guildCount() {
            return -1;
        }

        @Override
        public Verdict check(long guildId, long userId) {
            return Verdict.UNKNOWN_GUILD;
        }
    };
}
