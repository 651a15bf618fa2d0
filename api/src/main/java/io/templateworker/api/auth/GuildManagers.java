package io.templateworker.api.auth;

/**
 * Whether a user may manage a guild (owner, or ADMINISTRATOR or MANAGE_GUILD through their roles), from the guild
 * state. {@code app} adapts the Discord guild-state port to this; routes with
 * {@link io.templateworker.api.Access#GUILD} use it.
 */
@FunctionalInterface
public interface GuildManagers {

    /** The answer for one user and guild. */
    enum Verdict {
        /** The user may manage the guild. */
        MANAGER,
        /** The user is in the guild but lacks the permissions, or is not a member. */
        NOT_MANAGER,
        /** The bot is not in the guild (or its state is unknown): nothing to manage here. */
        UNKNOWN_GUILD
    }

    /**
     * @param guildId the guild's snowflake (unsigned 64-bit)
     * @param userId  the user's snowflake (unsigned 64-bit)
     */
    Verdict check(long guildId, long userId);

    /** No guild state available: only root users pass {@code GUILD} routes. */
    GuildManagers NONE = (guild, user) -> Verdict.UNKNOWN_GUILD;
}
