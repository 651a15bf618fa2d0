package io.templateworker.runtime.plugin.discord;

import static io.templateworker.runtime.discord.DiscordPermission.ADD_REACTIONS;
import static io.templateworker.runtime.discord.DiscordPermission.MANAGE_MESSAGES;
import static io.templateworker.runtime.discord.DiscordPermission.READ_MESSAGE_HISTORY;
import static io.templateworker.runtime.discord.DiscordPermission.SEND_MESSAGES;
import static io.templateworker.runtime.discord.DiscordPermission.VIEW_CHANNEL;
import static io.templateworker.runtime.plugin.discord.AntiRaidOps.add;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Op;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import io.templateworker.runtime.plugin.discord.GuildOps.Query;
import java.util.Map;

/** Messages and reactions in the tenant guild's channels. */
final class MessageOps {
  private static final String MESSAGE = "/channels/{channel_id}/messages/{message_id}";
  private static final String REACTIONS = MESSAGE + "/reactions";

  private MessageOps() {
  }

  static void register(Map<String, Op> ops) {
    add(ops, "get_channel_messages", c -> {
      long channel = c.req.snowflake("channel_id");
      Query q = new Query();
      Req target = c.req.optObject("target");
      if (target != null) {
        String type = target.string("type");
        long id = target.snowflake("id");
        switch (type) {
          case "After" -> q.add("after", id);
          case "Around" -> q.add("around", id);
          case "Before" -> q.add("before", id);
          default -> throw target.bad("type", "\"After\", \"Around\" or \"Before\" expected, got \"" + type + "\"");
        }
      }
      q.add("limit", c.req.optInteger("limit", 1, 100));
      c.botIn(channel, VIEW_CHANNEL.bit());
      return c.lazy(DiscordRequest.get("/channels/{channel_id}/messages", channel).withQuery(q.text()), "get channel messages");
    });
    add(ops, "get_channel_message", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      c.botIn(channel, VIEW_CHANNEL.bit());
      return c.lazy(DiscordRequest.get(MESSAGE, channel, message), "get channel message");
    });
    add(ops, "create_message", c -> {
      long channel = c.req.snowflake("channel_id");
      Req data = c.req.object("data");
      ObjectNode body = message(data);
      int embedChars = MessageRules.validate(data, body, MessageRules.Kind.CREATE);
      MessageRules.injectDisclaimer(body, embedChars, false);
      c.botIn(channel, SEND_MESSAGES.bit());
      return c.lazy(DiscordRequest.post("/channels/{channel_id}/messages", Call.json(body), channel), "create message");
    });
    add(ops, "crosspost_message", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      c.botIn(channel, SEND_MESSAGES.bit() | MANAGE_MESSAGES.bit());
      return c.lazy(DiscordRequest.post(MESSAGE + "/crosspost", null, channel, message), "crosspost message");
    });
    add(ops, "edit_message", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      Req data = c.req.object("data");
      ObjectNode body = message(data);
      int embedChars = MessageRules.validate(data, body, MessageRules.Kind.EDIT);
      MessageRules.injectDisclaimer(body, embedChars, true);
      c.botIn(channel, MANAGE_MESSAGES.bit());
      return c.lazy(DiscordRequest.of("PATCH", MESSAGE, channel, message).withBody(Call.json(body)), "edit message");
    });
    add(ops, "delete_message", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String reason = c.req.optString("reason");
      c.botIn(channel, MANAGE_MESSAGES.bit());
      return c.none(DiscordRequest.of("DELETE", MESSAGE, channel, message).withReason(emptyToNull(reason)), "delete message");
    });
    add(ops, "bulk_delete_messages", c -> {
      long channel = c.req.snowflake("channel_id");
      ArrayNode ids = c.req.array("messages");
      if (ids.size() < 2 || ids.size() > 100) {
        throw new PluginError("Bulk delete takes between 2 and 100 messages, got " + ids.size());
      }
      ArrayNode messages = DiscordPlugin.JSON.createArrayNode();
      for (int i = 0; i < ids.size(); i++) {
        messages.add(Call.id(c.req.snowflakeOf("messages[" + (i + 1) + "]", ids.get(i))));
      }
      String reason = c.req.optString("reason");
      c.botIn(channel, MANAGE_MESSAGES.bit());
      ObjectNode body = DiscordPlugin.JSON.createObjectNode();
      body.set("messages", messages);
      return c.none(DiscordRequest.post("/channels/{channel_id}/messages/bulk-delete", Call.json(body), channel)
          .withReason(emptyToNull(reason)), "bulk delete messages");
    });
    add(ops, "create_reaction", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String emoji = reaction(c.req);
      c.botIn(channel, ADD_REACTIONS.bit() | READ_MESSAGE_HISTORY.bit());
      return c.none(DiscordRequest.of("PUT", REACTIONS + "/{emoji}/@me", channel, message, emoji), "create reaction");
    });
    add(ops, "delete_own_reaction", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String emoji = reaction(c.req);
      c.botIn(channel, ADD_REACTIONS.bit() | READ_MESSAGE_HISTORY.bit());
      return c.none(DiscordRequest.of("DELETE", REACTIONS + "/{emoji}/@me", channel, message, emoji), "delete own reaction");
    });
    add(ops, "delete_user_reaction", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String emoji = reaction(c.req);
      long user = c.req.snowflake("user_id");
      c.botIn(channel, MANAGE_MESSAGES.bit());
      return c.none(DiscordRequest.of("DELETE", REACTIONS + "/{emoji}/{user_id}", channel, message, emoji, user),
          "delete user reaction");
    });
    add(ops, "get_reactions", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String emoji = reaction(c.req);
      Query q = new Query();
      boolean burst = Boolean.TRUE.equals(c.req.optBoolean("burst")) || "Burst".equals(c.req.raw().path("type").asText());
      if (burst) {
        q.add("type", 1);
      }
      q.add("after", c.req.optSnowflake("after"));
      q.add("limit", c.req.optInteger("limit", 1, 100));
      c.checks.channel(channel);
      return c.lazy(DiscordRequest.get(REACTIONS + "/{emoji}", channel, message, emoji).withQuery(q.text()), "get reactions");
    });
    add(ops, "delete_all_reactions", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      c.botIn(channel, MANAGE_MESSAGES.bit());
      return c.none(DiscordRequest.of("DELETE", REACTIONS, channel, message), "delete all reactions");
    });
    add(ops, "delete_all_reactions_for_emoji", c -> {
      long channel = c.req.snowflake("channel_id");
      long message = c.req.snowflake("message_id");
      String emoji = reaction(c.req);
      c.botIn(channel, MANAGE_MESSAGES.bit());
      return c.none(DiscordRequest.of("DELETE", REACTIONS + "/{emoji}", channel, message, emoji), "delete all reactions for emoji");
    });
  }

  /** The message body with list fields restored (see {@link MessageRules#normalizeLists}). */
  static ObjectNode message(Req data) {
    ObjectNode body = data.copy();
    MessageRules.normalizeLists(body);
    JsonNode attachments = body.get("attachments");
    if (attachments != null && attachments.isArray()) {
      for (JsonNode a : attachments) {
        if (a.has("data") || a.has("content")) {
          throw new PluginError("Uploading files with a message is not supported yet; attach files by URL in an embed instead");
        }
      }
    }
    return body;
  }

  /**
   * The emoji of a reaction in the form Discord's routes take: {@code {type = "Unicode", data = "👍"}} gives the emoji
   * itself, {@code {type = "Custom", id = "…", name = "blob"}} gives {@code blob:id}. A plain string is taken as is.
   */
  static String reaction(Req req) {
    JsonNode r = req.raw().get("reaction");
    if (r == null || r.isNull()) {
      throw req.missing("reaction");
    }
    if (r.isTextual() && !r.asText().isEmpty()) {
      return r.asText();
    }
    if (r.isObject()) {
      String type = r.path("type").asText("");
      if (type.equals("Unicode") && r.path("data").isTextual() && !r.path("data").asText().isEmpty()) {
        return r.path("data").asText();
      }
      if (type.equals("Custom")) {
        Long id = Req.parseSnowflake(r.get("id"));
        if (id == null) {
          throw req.bad("reaction", "missing field `reaction.id` (a custom emoji's id)");
        }
        String name = r.path("name").asText("_");
        return (name.isEmpty() ? "_" : name) + ":" + Call.id(id);
      }
    }
    throw req.invalid("reaction", r, "{type = \"Unicode\", data = emoji} or {type = \"Custom\", id = ..., name = ...}");
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
