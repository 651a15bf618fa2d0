package io.templateworker.runtime.plugin.discord;

import static io.templateworker.runtime.plugin.discord.AntiRaidOps.add;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Op;
import io.templateworker.runtime.plugin.discord.DiscordPlugin.Reply;
import io.templateworker.runtime.store.TenantStateStore;
import java.util.Map;

/**
 * Interaction responses and follow-ups (token-based: no bot authorization, no message validation or disclaimer, as
 * upstream: Discord enforces its own limits there) and the guild's application commands.
 */
final class InteractionOps {
  private static final String ORIGINAL = "/webhooks/{application_id}/{interaction_token}/messages/@original";
  private static final String FOLLOWUP = "/webhooks/{application_id}/{interaction_token}/messages/{message_id}";
  private static final String COMMANDS = "/applications/{application_id}/guilds/{guild_id}/commands";

  private InteractionOps() {
  }

  static void register(Map<String, Op> ops) {
    add(ops, "create_interaction_response", c -> {
      long interaction = c.req.snowflake("interaction_id");
      String token = c.req.string("interaction_token");
      Req data = c.req.object("data");
      return c.none(DiscordRequest.post("/interactions/{interaction_id}/{interaction_token}/callback", Call.json(data.raw()),
          interaction, token).withoutBotAuth(), "create interaction response");
    });
    add(ops, "get_original_interaction_response", c -> {
      String token = c.req.string("interaction_token");
      return c.lazy(DiscordRequest.get(ORIGINAL, c.applicationId(), token).withoutBotAuth(), "get original interaction response");
    });
    add(ops, "edit_original_interaction_response", c -> {
      String token = c.req.string("interaction_token");
      Req data = c.req.object("data");
      return c.lazy(DiscordRequest.of("PATCH", ORIGINAL, c.applicationId(), token).withBody(Call.json(MessageOps.message(data)))
          .withoutBotAuth(), "edit original interaction response");
    });
    add(ops, "delete_original_interaction_response", c -> {
      String token = c.req.string("interaction_token");
      return c.none(DiscordRequest.of("DELETE", ORIGINAL, c.applicationId(), token).withoutBotAuth(),
          "delete original interaction response");
    });
    add(ops, "create_followup_message", c -> {
      String token = c.req.string("interaction_token");
      Req data = c.req.object("data");
      return c.lazy(DiscordRequest.post("/webhooks/{application_id}/{interaction_token}", Call.json(MessageOps.message(data)),
          c.applicationId(), token).withoutBotAuth(), "create followup message");
    });
    add(ops, "get_followup_message", c -> {
      String token = c.req.string("interaction_token");
      long message = c.req.snowflake("message_id");
      return c.lazy(DiscordRequest.get(FOLLOWUP, c.applicationId(), token, message).withoutBotAuth(), "get followup message");
    });
    add(ops, "edit_followup_message", c -> {
      String token = c.req.string("interaction_token");
      long message = c.req.snowflake("message_id");
      Req data = c.req.object("data");
      return c.lazy(DiscordRequest.of("PATCH", FOLLOWUP, c.applicationId(), token, message)
          .withBody(Call.json(MessageOps.message(data))).withoutBotAuth(), "edit followup message");
    });
    add(ops, "delete_followup_message", c -> {
      String token = c.req.string("interaction_token");
      long message = c.req.snowflake("message_id");
      return c.none(DiscordRequest.of("DELETE", FOLLOWUP, c.applicationId(), token, message).withoutBotAuth(),
          "delete followup message");
    });

    add(ops, "get_guild_commands", c -> c.lazy(DiscordRequest.get(COMMANDS, c.applicationId(), c.guildId), "get guild commands"));
    add(ops, "get_guild_command", c -> {
      long command = c.req.snowflake("command_id");
      return c.lazy(DiscordRequest.get(COMMANDS + "/{command_id}", c.applicationId(), c.guildId, command), "get guild command");
    });
    add(ops, "create_guild_command", c -> {
      Req data = c.req.object("data");
      CommandRules.validate(c.req, "data", data.raw());
      gate(c);
      return c.lazy(DiscordRequest.post(COMMANDS, Call.json(data.raw()), c.applicationId(), c.guildId), "create guild command");
    });
    // One bucket with create_guild_command: creating many at once must not be a way around its 1 / 300 s (§12 #12).
    ops.put("create_guild_commands", new Op("create_guild_commands", "create_guild_command", c -> {
      ArrayNode data = c.req.array("data");
      for (int i = 0; i < data.size(); i++) {
        CommandRules.validate(c.req, "data[" + (i + 1) + "]", data.get(i));
      }
      gate(c);
      return c.lazy(DiscordRequest.of("PUT", COMMANDS, c.applicationId(), c.guildId).withBody(Call.json(data)),
          "create guild commands");
    }));
  }

  /**
   * Guild commands only for tenants staff allowed (HEAD's CAN_MANAGE_GUILD_COMMANDS, §12 #29: upstream REF refused
   * them always, so its limits for them guarded a dead feature).
   */
  private static void gate(Call c) {
    TenantStateStore states = c.context().services() == null ? null : c.context().services().tenantStates();
    if (states == null || !states.get(c.context().tenant()).canManageGuildCommands()) {
      throw new PluginError("Cannot create this guild command: not authorized (the tenant's state does not carry"
          + " can_manage_guild_commands; staff grant it)");
    }
  }
}
