package io.templateworker.api.guilds;

import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import java.time.InstantSource;

/**
 * The guild directory over the Discord guild state: the bot is in a guild when the state knows it; a user may manage
 * it when they own it or their roles give ADMINISTRATOR or MANAGE_GUILD (Discord's own rule for server settings).
 */
public final class GuildStateDirectory implements GuildDirectory {

    private static final long MANAGE = DiscordPermission.ADMINISTRATOR.bit() | DiscordPermission.MANAGE_GUILD.bit();

    private final GuildState state;
    private final InstantSource clock;

    public GuildStateDirectory(GuildState state, InstantSource clock) {
        this.state = state;
        this.clock = clock;
    }

    @Override
    public boolean hasBot(long guildId) {
        return state.guild(guildId) != null;
    }

    @Override
    public long guildCount() {
        return -1;
    }

    @Override
    public Verdict check(long guildId, long userId) {
        GuildInfo guild = state.guild(guildId);
        if (guild == null) {
            return Verdict.UNKNOWN_GUILD;
        }
        if (guild.ownerId() == userId) {
            return Verdict.MANAGER;
        }
        MemberInfo member = state.member(guildId, userId);
        if (member == null) {
            return Verdict.NOT_MANAGER;
        }
        long perms = PermissionCalculator.base(guild, member, clock.instant());
        return (perms & MANAGE) != 0 ? Verdict.MANAGER : Verdict.NOT_MANAGER;
    }
}
