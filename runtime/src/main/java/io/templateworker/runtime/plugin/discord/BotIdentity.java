package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.plugin.PluginError;
import java.io.IOException;

/**
 * The bot's own user id (whose permissions the checks test, and the application id of its interaction webhooks), read
 * once from {@code GET /users/@me} and kept; a failed read is retried on the next call.
 */
final class BotIdentity {
  private final DiscordRest rest;
  private volatile long id;

  BotIdentity(DiscordRest rest) {
    this.rest = rest;
  }

  long id() {
    long known = id;
    if (known != 0) {
      return known;
    }
    String body = rest.execute(DiscordRequest.get("/users/@me")).body();
    try {
      JsonNode me = DiscordPlugin.JSON.readTree(body);
      Long parsed = Req.parseSnowflake(me.get("id"));
      if (parsed == null) {
        throw new PluginError("Internal error: Current user not found (GET /users/@me has no id)");
      }
      id = parsed;
      return parsed;
    } catch (IOException e) {
      throw new PluginError("Internal error: Current user not found (GET /users/@me answered invalid JSON)");
    }
  }

  /** A bot's application id is its user id. */
  long applicationId() {
    return id();
  }
}
