package io.templateworker.runtime.plugin.discord;

import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import io.templateworker.runtime.discord.RoleInfo;
import io.templateworker.runtime.plugin.PluginError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Permission and hierarchy checks against the tenant guild's state (the {@link GuildState} port: REST with a short
 * cache, or the gateway's cache), with upstream's error texts. They run before anything is sent, so a call the bot
 * may not make never reaches Discord. Runs off the VM thread (state reads may go to Discord).
 */
final class GuildChecks {
  private final GuildState state;
  private final long guildId;

  GuildChecks(GuildState state, long guildId) {
    this.state = state;
    this.guildId = guildId;
  }

  /** A member with the guild and their guild-level permissions. */
  record Checked(GuildInfo guild, MemberInfo member, long permissions) {
  }

  /** The same in a channel; {@code channel} is the one asked about, {@code overwritesOf} a thread's parent. */
  record CheckedChannel(GuildInfo guild, MemberInfo member, ChannelInfo channel, long permissions) {
  }

  GuildInfo guild() {
    GuildInfo g = state.guild(guildId);
    if (g == null) {
      throw new PluginError("Failed to fetch guild: the bot is not in guild " + Long.toUnsignedString(guildId));
    }
    return g;
  }

  MemberInfo member(long userId) {
    MemberInfo m = state.member(guildId, userId);
    if (m == null) {
      throw new PluginError("User not found in guild: <@" + Long.toUnsignedString(userId) + ">");
    }
    return m;
  }

  /** Null when the user is not a member. */
  MemberInfo memberOrNull(long userId) {
    return state.member(guildId, userId);
  }

  Checked permissions(long userId, long needed) {
    GuildInfo g = guild();
    MemberInfo m = member(userId);
    long perms = PermissionCalculator.base(g, m, Instant.now());
    if ((perms & needed) != needed) {
      throw new PluginError("User does not have the required permissions: " + names(needed & ~perms) + ": user_id="
          + Long.toUnsignedString(userId));
    }
    return new Checked(g, m, perms);
  }

  /** Permissions, then the user's highest role above the target's (the owner outranks everyone). */
  Checked permissionsAndHierarchy(long userId, long targetId, long needed) {
    Checked c = permissions(userId, needed);
    MemberInfo target = member(targetId);
    hierarchy(c, userId, target);
    return new Checked(c.guild(), target, c.permissions());
  }

  void hierarchy(Checked actor, long userId, MemberInfo target) {
    if (!PermissionCalculator.outranks(actor.guild(), actor.member(), target)) {
      throw new PluginError("User does not have a higher role than the target user: user_id=" + Long.toUnsignedString(userId)
          + ", target_id=" + Long.toUnsignedString(target.userId()));
    }
  }

  /**
   * Channel-level permissions. The channel must be one of this guild's (a channel of another guild reads as not found:
   * upstream's check compared a value with itself, §12 #14); a thread's permissions are its parent's.
   */
  CheckedChannel channelPermissions(long userId, long channelId, long needed) {
    ChannelInfo channel = channel(channelId);
    GuildInfo g = guild();
    MemberInfo m = member(userId);
    ChannelInfo overwrites = channel;
    if (channel.isThread()) {
      overwrites = state.channel(guildId, channel.parentId());
      if (overwrites == null) {
        throw new PluginError("Channel " + Long.toUnsignedString(channel.parentId()) + " (the thread's parent) does not belong"
            + " to the guild");
      }
    }
    long perms = PermissionCalculator.inChannel(g, overwrites, m, Instant.now());
    if ((perms & needed) != needed) {
      throw new PluginError("User does not have the required permissions: " + names(needed & ~perms) + ": user_id="
          + Long.toUnsignedString(userId) + ", channel_id=" + Long.toUnsignedString(channelId));
    }
    return new CheckedChannel(g, m, channel, perms);
  }

  /** A channel or thread of this guild, or upstream's error. */
  ChannelInfo channel(long channelId) {
    ChannelInfo c = state.channel(guildId, channelId);
    if (c == null) {
      throw new PluginError("Channel " + Long.toUnsignedString(channelId) + " does not belong to the guild (or does not exist)");
    }
    return c;
  }

  /** The role of this guild, or "Role not found in guild". */
  RoleInfo role(GuildInfo g, long roleId) {
    RoleInfo r = g.roles().get(roleId);
    if (r == null) {
      throw new PluginError("Role not found in guild: " + Long.toUnsignedString(roleId));
    }
    return r;
  }

  /** The bot may only hand out, change or remove roles below its own highest role. */
  void roleBelow(Checked bot, RoleInfo role, String action) {
    if (!PermissionCalculator.above(bot.guild(), bot.member(), role)) {
      throw new PluginError("Bot does not have permission to " + action + " the requested role (" + Long.toUnsignedString(role.id())
          + ", ``" + role.name().replace("`", "\\`") + "``): it is not below the bot's highest role");
    }
  }

  /** Permission names joined as Rust's bitflags print them ({@code SEND_MESSAGES | MANAGE_MESSAGES}). */
  static String names(long bits) {
    List<String> names = new ArrayList<>(DiscordPermission.names(bits));
    return names.isEmpty() ? "(none)" : String.join(" | ", names);
  }

  void invalidate() {
    state.invalidate(guildId);
  }
}
