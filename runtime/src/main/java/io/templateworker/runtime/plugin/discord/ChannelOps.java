package io.templateworker.runtime.plugin.discord;

import static io.templateworker.runtime.discord.DiscordPermission.CREATE_INSTANT_INVITE;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_CHANNELS;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_ROLES;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_THREADS;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_WEBHOOKS;
import static io.templateworker.runtime.plugin.discord.AntiRaidOps.add;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Op;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import java.util.Map;

/** Channels of the tenant guild (and their permission overwrites and invites) and webhooks. */
final class ChannelOps {
  private ChannelOps() {
  }

  static void register(Map<String, Op> ops) {
    add(ops, "get_channel", c -> {
      long channel = c.req.snowflake("channel_id");
      JsonNode ch = c.fetch(DiscordRequest.get("/channels/{channel_id}", channel), "fetch channel");
      ownChannel(c, channel, ch);
      return Reply.lazy(Call.json(ch));
    });
    add(ops, "edit_channel", c -> {
      long channel = c.req.snowflake("channel_id");
      String reason = c.reason();
      Req data = c.req.object("data");
      channelFields(data);
      ChannelInfo info = c.checks.channel(channel);
      c.botIn(channel, info.isThread() ? MANAGE_THREADS.bit() : MANAGE_CHANNELS.bit());
      Reply r = c.lazy(DiscordRequest.of("PATCH", "/channels/{channel_id}", channel).withBody(Call.json(data.raw()))
          .withReason(reason), "edit channel");
      c.checks.invalidate();
      return r;
    });
    add(ops, "delete_channel", c -> {
      long channel = c.req.snowflake("channel_id");
      String reason = c.reason();
      ChannelInfo info = c.checks.channel(channel);
      c.botIn(channel, info.isThread() ? MANAGE_THREADS.bit() : MANAGE_CHANNELS.bit());
      Reply r = c.lazy(DiscordRequest.of("DELETE", "/channels/{channel_id}", channel).withReason(reason), "delete channel");
      c.checks.invalidate();
      return r;
    });
    add(ops, "edit_channel_permissions", c -> {
      long channel = c.req.snowflake("channel_id");
      long target = c.req.snowflake("target_id");
      Long allow = c.req.optPermissions("allow");
      Long deny = c.req.optPermissions("deny");
      long kind = c.req.has("kind") ? overwriteKind(c.req, "kind") : overwriteKind(c.req, "type");
      String reason = c.reason();
      GuildChecks.CheckedChannel bot = c.botIn(channel, MANAGE_ROLES.bit());
      if (allow != null && (allow & ~bot.permissions()) != 0) {
        throw new PluginError("Bot does not have permission to allow: " + GuildChecks.names(allow & ~bot.permissions()));
      }
      if (deny != null && (deny & ~bot.permissions()) != 0) {
        throw new PluginError("Bot does not have permission to deny: " + GuildChecks.names(deny & ~bot.permissions()));
      }
      ObjectNode body = DiscordPlugin.JSON.createObjectNode();
      body.put("allow", Long.toString(allow == null ? 0 : allow));
      body.put("deny", Long.toString(deny == null ? 0 : deny));
      body.put("type", kind);
      c.none(DiscordRequest.of("PUT", "/channels/{channel_id}/permissions/{overwrite_id}", channel, target)
          .withBody(Call.json(body)).withReason(reason), "edit channel permissions");
      c.checks.invalidate();
      return Reply.NONE;
    });
    add(ops, "delete_channel_permission", c -> {
      long channel = c.req.snowflake("channel_id");
      long overwrite = c.req.snowflake("overwrite_id");
      String reason = c.reason();
      c.botIn(channel, MANAGE_ROLES.bit());
      c.none(DiscordRequest.of("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}", channel, overwrite)
          .withReason(reason), "delete channel permission");
      c.checks.invalidate();
      return Reply.NONE;
    });
    add(ops, "create_channel_invite", c -> {
      long channel = c.req.snowflake("channel_id");
      Req data = c.req.has("data") ? c.req.object("data") : null;
      String reason = c.reason();
      c.botIn(channel, CREATE_INSTANT_INVITE.bit());
      String body = data == null ? "{}" : Call.json(data.raw());
      return c.lazy(DiscordRequest.post("/channels/{channel_id}/invites", body, channel).withReason(reason),
          "create channel invite");
    });
    webhooks(ops);
  }

  /** A channel object from Discord must be one of the tenant guild's (upstream compared a value with itself, §12 #14). */
  static void ownChannel(Call c, long channelId, JsonNode ch) {
    Long guild = Req.parseSnowflake(ch.get("guild_id"));
    if (guild == null) {
      throw new PluginError("Channel " + Call.id(channelId) + " does not belong to a guild");
    }
    if (guild != c.guildId) {
      throw new PluginError("Channel " + Call.id(channelId) + " does not belong to the guild");
    }
  }

  private static long overwriteKind(Req req, String field) {
    JsonNode v = req.raw().get(field);
    if (v == null || v.isNull()) {
      throw req.missing("kind");
    }
    if (v.isNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
      return v.asInt();
    }
    if (v.isTextual()) {
      switch (v.asText()) {
        case "Role", "role", "0" -> {
          return 0;
        }
        case "Member", "member", "1" -> {
          return 1;
        }
        default -> {
        }
      }
    }
    throw req.invalid(field, v, "0 (role) or 1 (member)");
  }

  /** Channel field limits shared by edit_channel and create_guild_channel. */
  static void channelFields(Req data) {
    String topic = data.optString("topic");
    if (topic != null && MessageRules.length(topic) > 1024) {
      throw new PluginError("Topic must be less than 1024 characters");
    }
    Long slowmode = data.optInteger("rate_limit_per_user", 0, Long.MAX_VALUE);
    if (slowmode != null && slowmode > 21600) {
      throw new PluginError("Rate limit per user must be less than 21600 seconds");
    }
    JsonNode tags = data.optArray("available_tags");
    if (tags != null) {
      for (JsonNode tag : tags) {
        if (MessageRules.length(tag.path("name").asText("")) > 20) {
          throw new PluginError("Forum tag name must be less than 20 characters");
        }
      }
    }
    Long threadSlowmode = data.optInteger("default_thread_rate_limit_per_user", 0, Long.MAX_VALUE);
    if (threadSlowmode != null && threadSlowmode > 21600) {
      throw new PluginError("Default thread rate limit per user must be less than 21600 seconds");
    }
  }

  private static void webhooks(Map<String, Op> ops) {
    add(ops, "create_webhook", c -> {
      long channel = c.req.snowflake("channel_id");
      String reason = c.reason();
      Req data = c.req.object("data");
      c.botIn(channel, MANAGE_WEBHOOKS.bit());
      return c.lazy(DiscordRequest.post("/channels/{channel_id}/webhooks", Call.json(data.raw()), channel).withReason(reason),
          "create webhook");
    });
    add(ops, "get_channel_webhooks", c -> {
      long channel = c.req.snowflake("channel_id");
      c.botIn(channel, MANAGE_WEBHOOKS.bit());
      return c.lazy(DiscordRequest.get("/channels/{channel_id}/webhooks", channel), "get channel webhooks");
    });
    add(ops, "get_guild_webhooks", c -> {
      c.bot(MANAGE_WEBHOOKS.bit());
      return c.lazy(DiscordRequest.get("/guilds/{guild_id}/webhooks", c.guildId), "get guild webhooks");
    });
    add(ops, "get_webhook", c -> {
      long webhook = c.req.snowflake("webhook_id");
      JsonNode w = c.fetch(DiscordRequest.get("/webhooks/{webhook_id}", webhook), "get webhook");
      ownWebhook(c, webhook, w);
      return Reply.lazy(Call.json(w));
    });
    add(ops, "modify_webhook", c -> {
      long webhook = c.req.snowflake("webhook_id");
      Req data = c.req.object("data");
      String reason = c.reason();
      c.bot(MANAGE_WEBHOOKS.bit());
      JsonNode w = c.fetch(DiscordRequest.get("/webhooks/{webhook_id}", webhook), "get webhook");
      ownWebhook(c, webhook, w);
      Long moveTo = data.optSnowflake("channel_id");
      if (moveTo != null) {
        c.botIn(moveTo, MANAGE_WEBHOOKS.bit());
      }
      return c.lazy(DiscordRequest.of("PATCH", "/webhooks/{webhook_id}", webhook).withBody(Call.json(data.raw()))
          .withReason(reason), "modify webhook");
    });
    add(ops, "delete_webhook", c -> {
      long webhook = c.req.snowflake("webhook_id");
      String reason = c.reason();
      c.bot(MANAGE_WEBHOOKS.bit());
      JsonNode w = c.fetch(DiscordRequest.get("/webhooks/{webhook_id}", webhook), "get webhook");
      ownWebhook(c, webhook, w);
      return c.none(DiscordRequest.of("DELETE", "/webhooks/{webhook_id}", webhook).withReason(reason), "delete webhook");
    });
    add(ops, "execute_webhook", c -> {
      long webhook = c.req.snowflake("webhook_id");
      String token = c.req.string("webhook_token");
      Long thread = c.req.optSnowflake("thread_id");
      Req data = c.req.object("data");
      ObjectNode body = data.copy();
      MessageRules.normalizeLists(body);
      MessageRules.validate(data, body, MessageRules.Kind.WEBHOOK);
      JsonNode w = c.fetch(DiscordRequest.get("/webhooks/{webhook_id}/{webhook_token}", webhook, token).withoutBotAuth(),
          "get webhook");
      ownWebhook(c, webhook, w);
      GuildOps.Query q = new GuildOps.Query();
      q.add("wait", Boolean.TRUE);
      q.add("thread_id", thread);
      return c.lazy(DiscordRequest.post("/webhooks/{webhook_id}/{webhook_token}", Call.json(body), webhook, token)
          .withQuery(q.text()).withoutBotAuth(), "execute webhook");
    });
  }

  private static void ownWebhook(Call c, long webhookId, JsonNode w) {
    Long guild = Req.parseSnowflake(w.get("guild_id"));
    if (guild == null) {
      throw new PluginError("Webhook " + Call.id(webhookId) + " does not belong to a guild");
    }
    if (guild != c.guildId) {
      throw new PluginError("Webhook " + Call.id(webhookId) + " does not belong to the guild");
    }
  }
}
