package io.templateworker.mockdiscord.state;

import java.time.Instant;

/** Discord's permission algorithm: base permissions, channel overwrites, timeouts, role hierarchy. */
public final class Permissions {

    private Permissions() {
    }

    /** Guild-level permissions: the owner and administrators have all; timed-out members keep only viewing. */
    public static long base(MockGuild guild, MockMember member, Instant now) {
        if (member.user.id == guild.ownerId) {
            return Permission.ALL;
        }
        long perms = guild.everyone() == null ? 0 : guild.everyone().permissions;
        for (long roleId : member.roles) {
            MockRole role = guild.roles.get(roleId);
            if (role != null) {
                perms |= role.permissions;
            }
        }
        if (Permission.ADMINISTRATOR.in(perms)) {
            return Permission.ALL;
        }
        if (member.timedOut(now)) {
            perms &= Permission.of(Permission.VIEW_CHANNEL, Permission.READ_MESSAGE_HISTORY);
        }
        return perms;
    }

    /** Permissions in a channel (a thread uses its parent's overwrites). */
    public static long inChannel(MockGuild guild, MockChannel channel, MockMember member, Instant now) {
        long base = base(guild, member, now);
        if (Permission.ADMINISTRATOR.in(base) || member.user.id == guild.ownerId) {
            return Permission.ALL;
        }
        MockChannel source = channel.isThread() ? guild.channels.getOrDefault(channel.parentId, channel) : channel;
        long perms = base;
        Overwrite everyone = source.overwrites.get(guild.id);
        if (everyone != null) {
            perms &= ~everyone.deny();
            perms |= everyone.allow();
        }
        long allow = 0;
        long deny = 0;
        for (long roleId : member.roles) {
            Overwrite o = source.overwrites.get(roleId);
            if (o != null && o.type() == Overwrite.ROLE) {
                allow |= o.allow();
                deny |= o.deny();
            }
        }
        perms &= ~deny;
        perms |= allow;
        Overwrite own = source.overwrites.get(member.user.id);
        if (own != null && own.type() == Overwrite.MEMBER) {
            perms &= ~own.deny();
            perms |= own.allow();
        }
        // Without VIEW_CHANNEL nothing else in the channel applies.
        if (!Permission.VIEW_CHANNEL.in(perms)) {
            return 0;
        }
        return perms;
    }

    /** The position of the member's highest role (0 for @everyone only); the owner ranks above everyone. */
    public static int highest(MockGuild guild, MockMember member) {
        if (member.user.id == guild.ownerId) {
            return Integer.MAX_VALUE;
        }
        int top = 0;
        for (long roleId : member.roles) {
            MockRole role = guild.roles.get(roleId);
            if (role != null && role.position > top) {
                top = role.position;
            }
        }
        return top;
    }

    /** True when {@code actor}'s highest role is above {@code target}'s (the owner is above everyone). */
    public static boolean outranks(MockGuild guild, MockMember actor, MockMember target) {
        if (target.user.id == guild.ownerId) {
            return false;
        }
        return highest(guild, actor) > highest(guild, target);
    }

    /** True when {@code actor}'s highest role is above {@code role}. */
    public static boolean above(MockGuild guild, MockMember actor, MockRole role) {
        return highest(guild, actor) > role.position;
    }
}
