package io.templateworker.mockdiscord.http;

import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockMember;
import io.templateworker.mockdiscord.state.MockRole;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.Permission;
import io.templateworker.mockdiscord.state.Permissions;

/** The permission and hierarchy checks Discord makes before acting for the bot. */
final class Checks {

    private Checks() {
    }

    static MockMember botMember(MockState s, MockGuild g) {
        MockMember m = g.members.get(s.bot.id);
        if (m == null) {
            throw DiscordError.missingAccess();
        }
        return m;
    }

    /** The bot's guild-level permissions must include all of {@code needed}: else 403 Missing Permissions. */
    static void guild(MockState s, MockGuild g, Permission... needed) {
        long have = Permissions.base(g, botMember(s, g), s.now());
        for (Permission p : needed) {
            if (!p.in(have)) {
                throw DiscordError.missingPermissions();
            }
        }
    }

    /** The bot's guild-level permissions must include at least one of {@code anyOf}. */
    static void guildAny(MockState s, MockGuild g, Permission... anyOf) {
        long have = Permissions.base(g, botMember(s, g), s.now());
        for (Permission p : anyOf) {
            if (p.in(have)) {
                return;
            }
        }
        throw DiscordError.missingPermissions();
    }

    static long botPermissionsIn(MockState s, MockChannel c) {
        MockGuild g = s.guild(c.guildId);
        return Permissions.inChannel(g, c, botMember(s, g), s.now());
    }

    /**
     * The channel, which the bot must see (else 403 Missing Access, as Discord answers for channels it cannot view)
     * and in which it must have all of {@code needed} (else 403 Missing Permissions).
     */
    static MockChannel channel(MockState s, long channelId, Permission... needed) {
        MockChannel c = s.channel(channelId);
        MockGuild g = s.guild(c.guildId);
        if (!g.members.containsKey(s.bot.id)) {
            throw DiscordError.missingAccess();
        }
        long have = Permissions.inChannel(g, c, botMember(s, g), s.now());
        if (!Permission.VIEW_CHANNEL.in(have)) {
            throw DiscordError.missingAccess();
        }
        for (Permission p : needed) {
            if (!p.in(have)) {
                throw DiscordError.missingPermissions();
            }
        }
        return c;
    }

    /** The bot's highest role must be above the target member's (kick, ban, nickname, timeout). */
    static void outranks(MockState s, MockGuild g, MockMember target) {
        if (!Permissions.outranks(g, botMember(s, g), target)) {
            throw DiscordError.missingPermissions();
        }
    }

    /** The bot's highest role must be above the role it assigns, edits or deletes. */
    static void above(MockState s, MockGuild g, MockRole role) {
        MockMember bot = botMember(s, g);
        if (bot.user.id != g.ownerId && !Permissions.above(g, bot, role)) {
            throw DiscordError.missingPermissions();
        }
    }

    /** A bot may only grant permissions it has itself (administrators may grant any). */
    static void grantable(MockState s, MockGuild g, long permissions) {
        long have = Permissions.base(g, botMember(s, g), s.now());
        if ((permissions & ~have) != 0) {
            throw DiscordError.missingPermissions();
        }
    }
}
