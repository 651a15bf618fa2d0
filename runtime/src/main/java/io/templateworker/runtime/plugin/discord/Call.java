package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import java.io.IOException;

/** One operation in progress, off the VM thread: its request, the tenant guild, and the ways to check and send. */
final class Call {
  static final int REASON_LIMIT = 512;

  final String op;
  final Req req;
  final long guildId;
  final GuildChecks checks;
  private final DiscordRest rest;
  private final BotIdentity bot;
  private final PluginContext ctx;

  Call(String op, Req req, long guildId, DiscordRest rest, GuildChecks checks, BotIdentity bot, PluginContext ctx) {
    this.op = op;
    this.req = req;
    this.guildId = guildId;
    this.rest = rest;
    this.checks = checks;
    this.bot = bot;
    this.ctx = ctx;
  }

  long botId() {
    return bot.id();
  }

  long applicationId() {
    return bot.applicationId();
  }

  PluginContext context() {
    return ctx;
  }

  /** The audit-log reason (R): required, non-empty, at most 512 characters. */
  String reason() {
    return checkReason(req.string("reason"));
  }

  static String checkReason(String reason) {
    if (MessageRules.length(reason) > REASON_LIMIT) {
      throw new PluginError("Reason is too long");
    }
    if (reason.isEmpty()) {
      throw new PluginError("Reason is empty");
    }
    return reason;
  }

  /** Bot-level permission check. */
  GuildChecks.Checked bot(long needed) {
    return checks.permissions(botId(), needed);
  }

  GuildChecks.CheckedChannel botIn(long channelId, long needed) {
    return checks.channelPermissions(botId(), channelId, needed);
  }

  /** Sends a request; a Discord error becomes "Failed to {what}: …" for the template. */
  DiscordResponse send(DiscordRequest request, String what) {
    try {
      return rest.execute(request);
    } catch (DiscordException e) {
      throw new PluginError("Failed to " + what + ": " + e.getMessage());
    }
  }

  /** Sends and returns the answer as a Lazy. */
  Reply lazy(DiscordRequest request, String what) {
    return Reply.lazy(send(request, what).body());
  }

  /** Sends and returns nothing. */
  Reply none(DiscordRequest request, String what) {
    send(request, what);
    return Reply.NONE;
  }

  /** Sends a GET whose 404 means "none": a Lazy of nil then. */
  Reply lazyOrNull(DiscordRequest request, String what) {
    try {
      return Reply.lazy(rest.execute(request).body());
    } catch (DiscordException e) {
      if (e.kind() == DiscordException.Kind.HTTP && e.status() == 404) {
        return Reply.lazy("null");
      }
      throw new PluginError("Failed to " + what + ": " + e.getMessage());
    }
  }

  /** The answer of a GET, parsed (for checks that need to look at an object first). */
  JsonNode fetch(DiscordRequest request, String what) {
    return parse(send(request, what).body());
  }

  static JsonNode parse(String body) {
    try {
      return DiscordPlugin.JSON.readTree(body.isEmpty() ? "null" : body);
    } catch (IOException e) {
      throw new PluginError("Discord answered with invalid JSON: " + e.getMessage());
    }
  }

  static String json(Object node) {
    try {
      return DiscordPlugin.JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new PluginError("could not write the request body: " + e.getMessage());
    }
  }

  static String id(long id) {
    return Long.toUnsignedString(id);
  }
}
