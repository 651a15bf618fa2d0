package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Op;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import java.time.Instant;
import java.util.Map;

/** AntiRaid's helpers: permission checks of any member, and members with their resolved permissions. */
final class AntiRaidOps {
  private AntiRaidOps() {
  }

  static void register(Map<String, Op> ops) {
    add(ops, "antiraid_check_reason", c -> {
      Call.checkReason(c.req.string("reason"));
      return Reply.NONE;
    });
    add(ops, "antiraid_check_permissions", c -> {
      Req d = c.req.object("data");
      GuildChecks.Checked r = c.checks.permissions(d.snowflake("user_id"), d.permissions("needed_permissions"));
      return Reply.lazy(Call.json(checked(r.guild(), r.member(), r.permissions())));
    });
    add(ops, "antiraid_check_permissions_and_hierarchy", c -> {
      Req d = c.req.object("data");
      GuildChecks.Checked r = c.checks.permissionsAndHierarchy(d.snowflake("user_id"), d.snowflake("target_id"),
          d.permissions("needed_permissions"));
      return Reply.lazy(Call.json(checked(r.guild(), r.member(), r.permissions())));
    });
    add(ops, "antiraid_check_channel_permissions", c -> {
      Req d = c.req.object("data");
      GuildChecks.CheckedChannel r = c.checks.channelPermissions(d.snowflake("user_id"), d.snowflake("channel_id"),
          d.permissions("needed_permissions"));
      ObjectNode out = checked(r.guild(), r.member(), r.permissions());
      out.set("channel", r.channel().raw());
      return Reply.lazy(Call.json(out));
    });
    add(ops, "antiraid_get_fused_member", c -> {
      JsonNode ids = c.req.raw();
      if (!ids.isArray()) {
        if (ids.isObject() && ids.isEmpty()) {
          ids = DiscordPlugin.JSON.createArrayNode();
        } else {
          throw c.req.bad("", "list of user ids expected, got a table with fields");
        }
      }
      GuildInfo guild = c.checks.guild();
      ObjectNode out = DiscordPlugin.JSON.createObjectNode();
      out.set("guild", guild.raw());
      ArrayNode members = out.putArray("members");
      for (int i = 0; i < ids.size(); i++) {
        long id = c.req.snowflakeOf("[" + (i + 1) + "]", ids.get(i));
        MemberInfo m = c.checks.member(id);
        ObjectNode one = members.addObject();
        one.set("member", m.raw());
        one.put("resolved_perms", Long.toString(PermissionCalculator.base(guild, m, Instant.now())));
      }
      return Reply.lazy(Call.json(out));
    });
  }

  private static ObjectNode checked(GuildInfo guild, MemberInfo member, long permissions) {
    ObjectNode out = DiscordPlugin.JSON.createObjectNode();
    out.set("partial_guild", guild.raw());
    out.set("member", member.raw());
    out.put("permissions", Long.toString(permissions));
    return out;
  }

  static void add(Map<String, Op> ops, String name, DiscordPlugin.Handler h) {
    ops.put(name, new Op(name, name, h));
  }
}
