package io.templateworker.runtime.plugin.discord;

import static io.templateworker.runtime.discord.DiscordPermission.ADMINISTRATOR;
import static io.templateworker.runtime.discord.DiscordPermission.BAN_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.DEAFEN_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.KICK_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_CHANNELS;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_GUILD;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_NICKNAMES;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_ROLES;
import static io.templateworker.runtime.discord.DiscordPermission.MODERATE_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.MOVE_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.MUTE_MEMBERS;
import static io.templateworker.runtime.discord.DiscordPermission.VIEW_AUDIT_LOG;
import static io.templateworker.runtime.plugin.discord.AntiRaidOps.add;
import static io.templateworker.runtime.plugin.discord.Call.id;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.RoleInfo;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Op;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The tenant guild itself: audit log, auto-moderation, guild settings, members, bans, roles, invites. */
final class GuildOps {
  private GuildOps() {
  }

  static void register(Map<String, Op> ops) {
    auditAndAutomod(ops);
    guild(ops);
    members(ops);
    bans(ops);
    roles(ops);
    invites(ops);
  }

  private static void auditAndAutomod(Map<String, Op> ops) {
    DiscordPlugin.Handler auditLog = c -> {
      Req d = c.req.has("data") ? c.req.object("data") : c.req;
      Query q = new Query();
      q.add("action_type", d.optInteger("action_type", 0, 65535));
      q.add("user_id", d.optSnowflake("user_id"));
      q.add("before", d.optSnowflake("before"));
      q.add("limit", d.optInteger("limit", 1, 100));
      c.bot(VIEW_AUDIT_LOG.bit());
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/audit-logs", c.guildId).withQuery(q.text()), "fetch audit logs");
    };
    add(ops, "get_audit_log", auditLog);
    add(ops, "get_audit_logs", auditLog); // the 2025 name, kept for templates written against it
    add(ops, "list_auto_moderation_rules", c -> {
      c.bot(MANAGE_GUILD.bit());
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/auto-moderation/rules", c.guildId), "fetch automod rules");
    });
    add(ops, "get_auto_moderation_rule", c -> {
      long rule = c.req.snowflake("rule_id");
      c.bot(MANAGE_GUILD.bit());
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/auto-moderation/rules/{rule_id}", c.guildId, rule),
          "fetch automod rule");
    });
    add(ops, "create_auto_moderation_rule", c -> {
      String reason = c.reason();
      Req data = c.req.object("data");
      automodLists(data);
      c.bot(MANAGE_GUILD.bit());
      return c.lazy(DiscordRequest.post("/guilds/{guild_id}/auto-moderation/rules", Call.json(data.raw()), c.guildId)
          .withReason(reason), "create automod rule");
    });
    add(ops, "edit_auto_moderation_rule", c -> {
      long rule = c.req.snowflake("rule_id");
      String reason = c.reason();
      Req data = c.req.object("data");
      automodLists(data);
      c.bot(MANAGE_GUILD.bit());
      return c.lazy(DiscordRequest.of("PATCH", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", c.guildId, rule)
          .withBody(Call.json(data.raw())).withReason(reason), "edit automod rule");
    });
    add(ops, "delete_auto_moderation_rule", c -> {
      long rule = c.req.snowflake("rule_id");
      String reason = c.reason();
      c.bot(MANAGE_GUILD.bit());
      return c.none(DiscordRequest.of("DELETE", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", c.guildId, rule)
          .withReason(reason), "delete automod rule");
    });
  }

  private static void automodLists(Req data) {
    JsonNode roles = data.optArray("exempt_roles");
    if (roles != null && roles.size() > 20) {
      throw new PluginError("A maximum of 20 exempt_roles can be provided");
    }
    JsonNode channels = data.optArray("exempt_channels");
    if (channels != null && channels.size() > 20) {
      throw new PluginError("A maximum of 20 exempt_channels can be provided");
    }
  }

  private static void guild(Map<String, Op> ops) {
    add(ops, "get_guild", c -> c.lazy(DiscordRequest.get("/guilds/{guild_id}", c.guildId).withQuery("with_counts=true"),
        "fetch guild"));
    add(ops, "get_guild_preview", c -> c.lazy(DiscordRequest.get("/guilds/{guild_id}/preview", c.guildId), "fetch guild preview"));
    add(ops, "modify_guild", c -> {
      String reason = c.reason();
      Req data = c.req.object("data");
      String name = data.optString("name");
      if (name != null && (MessageRules.length(name) < 2 || MessageRules.length(name) > 100)) {
        throw new PluginError("Name must be between 2 and 100 characters");
      }
      String description = data.optString("description");
      if (description != null && MessageRules.length(description) > 300) {
        throw new PluginError("Description must be less than 300 characters");
      }
      GuildChecks.Checked bot = c.bot(MANAGE_GUILD.bit());
      GuildInfo guild = bot.guild();
      JsonNode features = data.optArray("features");
      if (features != null) {
        boolean wants = false;
        for (JsonNode f : features) {
          wants |= "COMMUNITY".equals(f.asText());
        }
        if (wants != guild.features().contains("COMMUNITY") && !ADMINISTRATOR.in(bot.permissions())) {
          throw new PluginError("Enabling/disabling the community feature requires the bot to have the Administrator permission");
        }
      }
      if (data.has("splash") && !guild.features().contains("INVITE_SPLASH")) {
        throw new PluginError("Guild does not have the Invite Splash feature and as such cannot have an invite splash");
      }
      if (data.has("discovery_splash") && !guild.features().contains("DISCOVERABLE")) {
        throw new PluginError("Guild does not have the Discoverable feature and as such cannot have a discovery splash");
      }
      Reply r = c.lazy(DiscordRequest.of("PATCH", "/guilds/{guild_id}", c.guildId).withBody(Call.json(data.raw()))
          .withReason(reason), "modify guild");
      c.checks.invalidate();
      return r;
    });
    add(ops, "get_guild_channels", c -> c.lazy(DiscordRequest.get("/guilds/{guild_id}/channels", c.guildId),
        "fetch guild channels"));
    add(ops, "create_guild_channel", c -> {
      String reason = c.reason();
      Req data = c.req.object("data");
      ChannelOps.channelFields(data);
      c.bot(MANAGE_CHANNELS.bit());
      Reply r = c.lazy(DiscordRequest.post("/guilds/{guild_id}/channels", Call.json(data.raw()), c.guildId).withReason(reason),
          "create guild channel");
      c.checks.invalidate();
      return r;
    });
    add(ops, "modify_guild_channel_positions", c -> {
      ArrayNode data = c.req.array("data");
      c.bot(MANAGE_CHANNELS.bit());
      c.none(DiscordRequest.of("PATCH", "/guilds/{guild_id}/channels", c.guildId).withBody(Call.json(data)),
          "modify guild channel positions");
      c.checks.invalidate();
      return Reply.NONE;
    });
    add(ops, "list_active_guild_threads", c -> c.lazy(DiscordRequest.get("/guilds/{guild_id}/threads/active", c.guildId),
        "list active threads"));
  }

  private static void members(Map<String, Op> ops) {
    add(ops, "get_guild_member", c -> {
      long user = c.req.snowflake("user_id");
      return c.lazyOrNull(DiscordRequest.get("/guilds/{guild_id}/members/{user_id}", c.guildId, user), "fetch member");
    });
    add(ops, "list_guild_members", c -> {
      Query q = new Query();
      q.add("limit", c.req.optInteger("limit", 1, 1000));
      q.add("after", c.req.optSnowflake("after"));
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/members", c.guildId).withQuery(q.text()), "list guild members");
    });
    add(ops, "search_guild_members", c -> {
      Query q = new Query();
      q.add("query", c.req.string("query"));
      q.add("limit", c.req.optInteger("limit", 1, 1000));
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/members/search", c.guildId).withQuery(q.text()),
          "search guild members");
    });
    add(ops, "modify_guild_member", GuildOps::modifyMember);
    add(ops, "add_guild_member_role", c -> memberRole(c, "PUT", "add", "add role to member"));
    add(ops, "remove_guild_member_role", c -> memberRole(c, "DELETE", "remove", "remove role from member"));
    ops.put("remove_guild_member", new Op("remove_guild_member", "remove_guild_member", c -> {
      long user = c.req.snowflake("user_id");
      String reason = c.reason();
      c.checks.permissionsAndHierarchy(c.botId(), user, KICK_MEMBERS.bit());
      c.none(DiscordRequest.of("DELETE", "/guilds/{guild_id}/members/{user_id}", c.guildId, user).withReason(reason),
          "remove member");
      c.checks.invalidate();
      return Reply.NONE;
    }));
  }

  /** UPSTREAM.md §8.4 (f): each field needs its permission; roles below the bot's; timeouts under 28 days. */
  private static Reply modifyMember(Call c) {
    long user = c.req.snowflake("user_id");
    String reason = c.reason();
    Req data = c.req.object("data");
    if (user == c.botId()) {
      throw new PluginError("Cannot modify self");
    }
    long needed = 0;
    boolean rankMatters = false;
    String nick = data.optString("nick");
    if (nick != null) {
      if (nick.isEmpty()) {
        throw new PluginError("Nickname cannot be empty string if provided");
      }
      if (MessageRules.length(nick) > 32) {
        throw new PluginError("Nickname must be less than 32 characters");
      }
      needed |= MANAGE_NICKNAMES.bit();
      rankMatters = true;
    }
    JsonNode roles = data.optArray("roles");
    if (roles != null) {
      if (roles.isEmpty()) {
        throw new PluginError("Roles cannot be empty if provided");
      }
      needed |= MANAGE_ROLES.bit();
      rankMatters = true;
    }
    if (Boolean.TRUE.equals(data.optBoolean("mute"))) {
      needed |= MUTE_MEMBERS.bit();
    }
    if (Boolean.TRUE.equals(data.optBoolean("deaf"))) {
      needed |= DEAFEN_MEMBERS.bit();
    }
    if (data.has("channel_id")) {
      data.optSnowflake("channel_id");
      needed |= MOVE_MEMBERS.bit();
    }
    if (data.raw().has("communication_disabled_until")) {
      String until = data.optString("communication_disabled_until");
      if (until != null) {
        Instant at;
        try {
          at = OffsetDateTime.parse(until).toInstant();
        } catch (DateTimeParseException e) {
          throw data.bad("communication_disabled_until", "ISO 8601 timestamp expected, got \"" + until + "\"");
        }
        if (at.isAfter(Instant.now().plusSeconds(28L * 24 * 3600 + 10))) {
          throw new PluginError("Communication disabled until must be less than 28 days in the future");
        }
      }
      needed |= MODERATE_MEMBERS.bit();
      rankMatters = true;
    }
    GuildChecks.Checked bot = c.bot(needed);
    if (data.has("flags") && !(MANAGE_GUILD.in(bot.permissions()) || MANAGE_ROLES.in(bot.permissions())
        || (MODERATE_MEMBERS.in(bot.permissions()) && KICK_MEMBERS.in(bot.permissions()) && BAN_MEMBERS.in(bot.permissions())))) {
      throw new PluginError("Modifying member flags requires either MANAGE_GUILD, MANAGE_ROLES, or (MODERATE_MEMBERS and"
          + " KICK_MEMBERS and BAN_MEMBERS)");
    }
    if (roles != null) {
      for (int i = 0; i < roles.size(); i++) {
        RoleInfo role = c.checks.role(bot.guild(), data.snowflakeOf("roles[" + (i + 1) + "]", roles.get(i)));
        c.checks.roleBelow(bot, role, "add");
      }
    }
    if (rankMatters) {
      // Discord refuses nickname, role and timeout changes on members ranked at or above the bot: say so before sending.
      MemberInfo target = c.checks.member(user);
      c.checks.hierarchy(bot, c.botId(), target);
    }
    Reply r = c.lazy(DiscordRequest.of("PATCH", "/guilds/{guild_id}/members/{user_id}", c.guildId, user)
        .withBody(Call.json(data.raw())).withReason(reason), "modify guild member");
    c.checks.invalidate();
    return r;
  }

  private static Reply memberRole(Call c, String method, String action, String what) {
    long user = c.req.snowflake("user_id");
    long roleId = c.req.snowflake("role_id");
    String reason = c.reason();
    GuildChecks.Checked bot = c.bot(MANAGE_ROLES.bit());
    RoleInfo role = c.checks.role(bot.guild(), roleId);
    c.checks.roleBelow(bot, role, action);
    c.none(DiscordRequest.of(method, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", c.guildId, user, roleId)
        .withReason(reason), what);
    c.checks.invalidate();
    return Reply.NONE;
  }

  private static void bans(Map<String, Op> ops) {
    add(ops, "get_guild_bans", c -> {
      Query q = new Query();
      q.add("limit", c.req.optInteger("limit", 1, 1000));
      Long before = c.req.optSnowflake("before");
      q.add("before", before);
      q.add("after", before == null ? c.req.optSnowflake("after") : null); // before wins when both are given
      c.bot(BAN_MEMBERS.bit());
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/bans", c.guildId).withQuery(q.text()), "get guild bans");
    });
    add(ops, "get_guild_ban", c -> {
      long user = c.req.snowflake("user_id");
      c.bot(BAN_MEMBERS.bit());
      return c.lazyOrNull(DiscordRequest.get("/guilds/{guild_id}/bans/{user_id}", c.guildId, user), "get guild ban");
    });
    ops.put("create_guild_ban", new Op("create_guild_ban", "create_guild_ban", c -> {
      long user = c.req.snowflake("user_id");
      String reason = c.reason();
      Long seconds = c.req.optInteger("delete_message_seconds", 0, 604800);
      GuildChecks.Checked bot = c.bot(BAN_MEMBERS.bit());
      // Hierarchy applies to members; a user who already left can still be banned (upstream refused: "not found").
      MemberInfo target = c.checks.memberOrNull(user);
      if (target != null) {
        c.checks.hierarchy(bot, c.botId(), target);
      }
      ObjectNode body = DiscordPlugin.JSON.createObjectNode().put("delete_message_seconds", seconds == null ? 0 : seconds);
      c.none(DiscordRequest.of("PUT", "/guilds/{guild_id}/bans/{user_id}", c.guildId, user).withBody(Call.json(body))
          .withReason(reason), "ban member");
      c.checks.invalidate();
      return Reply.NONE;
    }));
    add(ops, "remove_guild_ban", c -> {
      long user = c.req.snowflake("user_id");
      String reason = c.reason();
      c.bot(BAN_MEMBERS.bit());
      return c.none(DiscordRequest.of("DELETE", "/guilds/{guild_id}/bans/{user_id}", c.guildId, user).withReason(reason),
          "unban member");
    });
  }

  private static void roles(Map<String, Op> ops) {
    add(ops, "get_guild_roles", c -> {
      // A map from role id to role, as the template API's type says (Discord answers a list).
      JsonNode list = c.fetch(DiscordRequest.get("/guilds/{guild_id}/roles", c.guildId), "fetch guild roles");
      ObjectNode byId = DiscordPlugin.JSON.createObjectNode();
      for (JsonNode role : list) {
        byId.set(role.path("id").asText(), role);
      }
      return Reply.lazy(Call.json(byId));
    });
    add(ops, "get_guild_role", c -> {
      long role = c.req.snowflake("role_id");
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/roles/{role_id}", c.guildId, role), "fetch guild role");
    });
    add(ops, "create_guild_role", c -> {
      String reason = c.reason();
      Req data = c.req.object("data");
      roleName(data);
      Long perms = data.optPermissions("permissions");
      GuildChecks.Checked bot = c.bot(MANAGE_ROLES.bit());
      grantable(bot, perms);
      String icon = data.optString("icon");
      if (icon != null) {
        if (!bot.guild().features().contains("ROLE_ICONS")) {
          throw new PluginError("Guild does not have the Role Icons feature and as such cannot create a role with a role icon");
        }
        if (!(icon.startsWith("data:image/png;base64,") || icon.startsWith("data:image/jpeg;base64,")
            || icon.startsWith("data:image/gif;base64,"))) {
          throw new PluginError("Icon must be a PNG, JPEG or GIF data URI (data:image/png;base64,...)");
        }
      }
      ObjectNode body = data.copy();
      if (perms != null) {
        body.put("permissions", Long.toString(perms));
      }
      Reply r = c.lazy(DiscordRequest.post("/guilds/{guild_id}/roles", Call.json(body), c.guildId).withReason(reason),
          "create guild role");
      c.checks.invalidate();
      return r;
    });
    add(ops, "modify_guild_role", c -> {
      long roleId = c.req.snowflake("role_id");
      String reason = c.reason();
      Req data = c.req.object("data");
      roleName(data);
      Long perms = data.optPermissions("permissions");
      GuildChecks.Checked bot = c.bot(MANAGE_ROLES.bit());
      c.checks.roleBelow(bot, c.checks.role(bot.guild(), roleId), "modify");
      grantable(bot, perms);
      ObjectNode body = data.copy();
      if (perms != null) {
        body.put("permissions", Long.toString(perms));
      }
      Reply r = c.lazy(DiscordRequest.of("PATCH", "/guilds/{guild_id}/roles/{role_id}", c.guildId, roleId)
          .withBody(Call.json(body)).withReason(reason), "modify guild role");
      c.checks.invalidate();
      return r;
    });
    add(ops, "modify_guild_role_positions", c -> {
      ArrayNode data = c.req.array("data");
      String reason = c.reason();
      GuildChecks.Checked bot = c.bot(MANAGE_ROLES.bit());
      for (int i = 0; i < data.size(); i++) {
        Long id = Req.parseSnowflake(data.get(i).get("id"));
        if (id == null) {
          throw c.req.bad("data", "missing field `data[" + (i + 1) + "].id`");
        }
        c.checks.roleBelow(bot, c.checks.role(bot.guild(), id), "move");
      }
      Reply r = c.lazy(DiscordRequest.of("PATCH", "/guilds/{guild_id}/roles", c.guildId).withBody(Call.json(data))
          .withReason(reason), "modify guild role positions");
      c.checks.invalidate();
      return r;
    });
    ops.put("delete_guild_role", new Op("delete_guild_role", "delete_guild_role", c -> {
      long roleId = c.req.snowflake("role_id");
      String reason = c.reason();
      GuildChecks.Checked bot = c.bot(MANAGE_ROLES.bit());
      c.checks.roleBelow(bot, c.checks.role(bot.guild(), roleId), "delete");
      c.none(DiscordRequest.of("DELETE", "/guilds/{guild_id}/roles/{role_id}", c.guildId, roleId).withReason(reason),
          "delete guild role");
      c.checks.invalidate();
      return Reply.NONE;
    }));
  }

  private static void roleName(Req data) {
    String name = data.optString("name");
    if (name != null && (name.isEmpty() || MessageRules.length(name) > 100)) {
      throw new PluginError("Role name must be between 1 and 100 characters");
    }
  }

  /** The bot can only grant permissions it has itself (Discord's rule too). */
  private static void grantable(GuildChecks.Checked bot, Long perms) {
    if (perms != null && (perms & ~bot.permissions()) != 0) {
      throw new PluginError("Bot does not have permissions: " + GuildChecks.names(perms & ~bot.permissions()));
    }
  }

  private static void invites(Map<String, Op> ops) {
    add(ops, "get_invite", c -> {
      String code = c.req.string("code");
      Query q = new Query();
      q.add("with_counts", c.req.optBoolean("with_counts"));
      q.add("with_expiration", c.req.optBoolean("with_expiration"));
      q.add("guild_scheduled_event_id", c.req.optSnowflake("guild_scheduled_event_id"));
      return c.lazy(DiscordRequest.get("/invites/{invite_code}", code).withQuery(q.text()), "get invite");
    });
    add(ops, "delete_invite", c -> {
      String code = c.req.string("code");
      String reason = c.reason();
      JsonNode invite = c.fetch(DiscordRequest.get("/invites/{invite_code}", code), "get invite");
      Long inviteGuild = Req.parseSnowflake(invite.path("guild").get("id"));
      if (inviteGuild == null) {
        inviteGuild = Req.parseSnowflake(invite.get("guild_id"));
      }
      if (inviteGuild == null || inviteGuild != c.guildId) {
        throw new PluginError("Invite does not belong to the current guild");
      }
      GuildChecks.Checked bot = c.bot(0);
      if (!MANAGE_GUILD.in(bot.permissions())) {
        Long channel = Req.parseSnowflake(invite.path("channel").get("id"));
        if (channel == null) {
          throw new PluginError("User does not have the required permissions: MANAGE_GUILD: user_id=" + id(c.botId()));
        }
        c.botIn(channel, MANAGE_CHANNELS.bit());
      }
      return c.lazy(DiscordRequest.of("DELETE", "/invites/{invite_code}", code).withReason(reason), "delete invite");
    });
  }

  /** A query string from optional values (nulls left out, values URL-encoded). */
  static final class Query {
    private final StringBuilder text = new StringBuilder();

    void add(String key, Object value) {
      if (value == null) {
        return;
      }
      String v = value instanceof Long l ? Long.toUnsignedString(l) : String.valueOf(value);
      if (!text.isEmpty()) {
        text.append('&');
      }
      text.append(key).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    }

    String text() {
      return text.isEmpty() ? null : text.toString();
    }
  }
}
