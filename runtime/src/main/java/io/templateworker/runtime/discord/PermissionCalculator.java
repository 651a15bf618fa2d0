package io.templateworker.runtime.discord;

import java.time.Instant;

/**
 * Discord's permission algorithm over {@link GuildState} records: base permissions (owner, @everyone, roles,
 * administrator, timeout), channel overwrites (threads use their parent's), and the role hierarchy.
 */
public final class PermissionCalculator {

    private static final long TIMED_OUT_KEEPS = DiscordPermission.VIEW_CHANNEL.bit() | DiscordPermission.READ_MESSAGE_HISTORY.bit();

    private PermissionCalculator() {
    }

    /** Guild-level permissions of a member. */
    public static long base(GuildInfo guild, MemberInfo member, Instant now) {
        if (member.userId() == guild.ownerId()) {
            return DiscordPermission.ALL;
        }
        RoleInfo everyone = guild.everyone();
        long perms = everyone == null ? 0 : everyone.permissions();
        for (long roleId : member.roles()) {
            RoleInfo role = guild.roles().get(roleId);
            if (role != null) {
                perms |= role.permissions();
            }
        }
        if (DiscordPermission.ADMINISTRATOR.in(perms)) {
            return DiscordPermission.ALL;
        }
        return member.timedOut(now) ? perms & TIMED_OUT_KEEPS : perms;
    }

    /**
     * Permissions of a member in a channel.
     *
     * @param overwritesOf the channel whose overwrites apply: the channel itself, or a thread's parent
     */
    public static long inChannel(GuildInfo guild, ChannelInfo overwritesOf, MemberInfo member, Instant now) {
        long perms = base(guild, member, now);
        if (perms == DiscordPermission.ALL && (member.userId() == guild.ownerId() || DiscordPermission.ADMINISTRATOR.in(perms))) {
            return DiscordPermission.ALL;
        }
        long everyoneAllow = 0;
        long everyoneDeny = 0;
        long roleAllow = 0;
        long roleDeny = 0;
        long memberAllow = 0;
        long memberDeny = 0;
        for (PermissionOverwrite o : overwritesOf.overwrites()) {
            if (o.type() == 0 && o.id() == guild.id()) {
                everyoneAllow = o.allow();
                everyoneDeny = o.deny();
            } else if (o.type() == 0 && member.roles().contains(o.id())) {
                roleAllow |= o.allow();
                roleDeny |= o.deny();
            } else if (o.type() == 1 && o.id() == member.userId()) {
                memberAllow = o.allow();
                memberDeny = o.deny();
            }
        }
        perms = (perms & ~everyoneDeny) | everyoneAllow;
        perms = (perms & ~roleDeny) | roleAllow;
        perms = (perms & ~memberDeny) | memberAllow;
        return DiscordPermission.VIEW_CHANNEL.in(perms) ? perms : 0;
    }

    /** The position of the member's highest role; the owner ranks above every role. */
    public static int highestPosition(GuildInfo guild, MemberInfo member) {
        if (member.userId() == guild.ownerId()) {
            return Integer.MAX_VALUE;
        }
        int top = 0;
        for (long roleId : member.roles()) {
            RoleInfo role = guild.roles().get(roleId);
            if (role != null && role.position() > top) {
                top = role.position();
            }
        }
        return top;
    }

    /** True when {@code actor}'s highest role is above {@code target}'s (nobody outranks the owner). */
    public static boolean outranks(GuildInfo guild, MemberInfo actor, MemberInfo target) {
        return target.userId() != guild.ownerId() && highestPosition(guild, actor) > highestPosition(guild, target);
    }

    /** True when {@code actor}'s highest role is above {@code role}. */
    public static boolean above(GuildInfo guild, MemberInfo actor, RoleInfo role) {
        return highestPosition(guild, actor) > role.position();
    }
}
