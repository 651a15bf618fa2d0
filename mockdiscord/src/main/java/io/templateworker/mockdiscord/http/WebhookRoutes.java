package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockInteraction;
import io.templateworker.mockdiscord.state.MockMessage;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockWebhook;
import io.templateworker.mockdiscord.state.Permission;
import java.time.Duration;
import java.util.Locale;

/**
 * Webhooks (by id with the bot token, or by id and token), and interaction responses and follow-ups, which Discord
 * serves on the same {@code /webhooks/{application_id}/{interaction_token}} paths.
 */
final class WebhookRoutes {

    private final Duration callbackWindow;

    /** @param callbackWindow how long after an interaction its first response is accepted (Discord: 3 s) */
    WebhookRoutes(Duration callbackWindow) {
        this.callbackWindow = callbackWindow;
    }

    void register(Api api) {
        api.get("/webhooks/{webhook_id}", "webhooks", Auth.BOT, c -> {
            MockWebhook w = c.state.webhook(c.id("webhook_id"));
            Checks.channel(c.state, w.channelId, Permission.MANAGE_WEBHOOKS);
            return w.toJson(c.state.users.get(w.creatorId), true);
        });
        api.patch("/webhooks/{webhook_id}", "webhooks", Auth.BOT, c -> {
            MockWebhook w = c.state.webhook(c.id("webhook_id"));
            Checks.channel(c.state, w.channelId, Permission.MANAGE_WEBHOOKS);
            ObjectNode body = c.body();
            if (body.hasNonNull("channel_id")) {
                MockChannel to = Checks.channel(c.state, Json.snowflake(body.get("channel_id")), Permission.MANAGE_WEBHOOKS);
                if (to.guildId != w.guildId) {
                    throw DiscordError.unknownChannel();
                }
                w.channelId = to.id;
            }
            modify(w, body);
            c.state.audit(c.state.guild(w.guildId), c.state.bot.id, 51, w.id, c.reason());
            return w.toJson(c.state.users.get(w.creatorId), true);
        });
        api.delete("/webhooks/{webhook_id}", "webhooks", Auth.BOT, c -> {
            MockWebhook w = c.state.webhook(c.id("webhook_id"));
            Checks.channel(c.state, w.channelId, Permission.MANAGE_WEBHOOKS);
            c.state.webhooks.remove(w.id);
            c.state.audit(c.state.guild(w.guildId), c.state.bot.id, 52, w.id, c.reason());
            return null;
        });
        String byToken = "/webhooks/{webhook_id}/{webhook_token}";
        api.get(byToken, "webhooks.token", Auth.NONE, c -> tokenWebhook(c).toJson(null, true));
        api.patch(byToken, "webhooks.token", Auth.NONE, c -> {
            MockWebhook w = tokenWebhook(c);
            modify(w, c.body());
            return w.toJson(null, true);
        });
        api.delete(byToken, "webhooks.token", Auth.NONE, c -> {
            c.state.webhooks.remove(tokenWebhook(c).id);
            return null;
        });
        api.post(byToken, "webhooks.execute", Auth.NONE, this::execute);
        String original = byToken + "/messages/@original";
        api.get(original, "webhooks.messages", Auth.NONE, c -> ownMessage(c, true).toJson(0));
        api.patch(original, "webhooks.messages", Auth.NONE, c -> editOwn(c, true));
        api.delete(original, "webhooks.messages", Auth.NONE, c -> deleteOwn(c, true));
        String byId = byToken + "/messages/{message_id}";
        api.get(byId, "webhooks.messages", Auth.NONE, c -> ownMessage(c, false).toJson(0));
        api.patch(byId, "webhooks.messages", Auth.NONE, c -> editOwn(c, false));
        api.delete(byId, "webhooks.messages", Auth.NONE, c -> deleteOwn(c, false));
        api.post("/interactions/{interaction_id}/{interaction_token}/callback", "interactions.callback", Auth.NONE, this::callback);
    }

    static void checkName(String field, String name) {
        int n = name.codePointCount(0, name.length());
        if (n < 1 || n > 80) {
            throw DiscordError.badLength(field, 1, 80);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("clyde") || lower.contains("discord")) {
            throw DiscordError.invalidForm(field, "USERNAME_INVALID_CONTAINS", "Username cannot contain \"" + (lower.contains("clyde") ? "clyde" : "discord") + "\"");
        }
    }

    private static void modify(MockWebhook w, ObjectNode body) {
        if (body.has("name")) {
            checkName("name", body.get("name").asText());
            w.name = body.get("name").asText();
        }
        if (body.has("avatar")) {
            w.avatar = body.get("avatar").isNull() ? null : Integer.toHexString(body.get("avatar").asText().hashCode());
        }
    }

    /** The interaction when the path's id is the application and its token an interaction token, else null. */
    private static MockInteraction interaction(Call c) {
        long id = c.id("webhook_id");
        if (id != c.state.applicationId) {
            return null;
        }
        MockInteraction i = c.state.interactionsByToken.get(c.path("webhook_token"));
        if (i == null || i.expired(c.state.now())) {
            throw DiscordError.unknownWebhook();
        }
        return i;
    }

    private static MockWebhook tokenWebhook(Call c) {
        MockWebhook w = c.state.webhooks.get(c.id("webhook_id"));
        if (w == null) {
            throw DiscordError.unknownWebhook();
        }
        if (!w.token.equals(c.path("webhook_token"))) {
            throw new DiscordError(401, 50027, "Invalid Webhook Token");
        }
        return w;
    }

    private ObjectNode execute(Call c) {
        MockState s = c.state;
        ObjectNode body = c.body();
        MockInteraction i = interaction(c);
        if (i != null) {
            // A follow-up message of an interaction (needs the interaction answered first).
            if (i.callbackType == 0) {
                throw DiscordError.unknownWebhook();
            }
            MessageRules.validate(body, false);
            MockMessage m = interactionMessage(s, i, body);
            i.followups.add(m.id);
            return m.toJson(0);
        }
        MockWebhook w = tokenWebhook(c);
        MessageRules.validate(body, false);
        if (body.hasNonNull("username")) {
            checkName("username", body.get("username").asText());
        }
        MockGuild g = s.guild(w.guildId);
        MockChannel target = g.channels.get(w.channelId);
        long threadId = c.queryId("thread_id");
        if (threadId != 0) {
            target = g.channels.get(threadId);
            if (target == null || !target.isThread() || target.parentId != w.channelId) {
                throw DiscordError.unknownChannel();
            }
        }
        ObjectNode author = w.author();
        if (body.hasNonNull("username")) {
            author.put("username", body.get("username").asText());
        }
        MockMessage m = s.addMessage(target, author, w.id, null);
        m.webhookId = w.id;
        MessageRules.apply(m, body);
        m.flags &= ~MessageRoutes.EPHEMERAL;
        s.messageCreated(m);
        return c.queryBool("wait") ? m.toJson(0) : null;
    }

    private static MockMessage interactionMessage(MockState s, MockInteraction i, ObjectNode body) {
        MockChannel ch = s.channel(i.channelId);
        MockMessage m = s.addMessage(ch, s.bot.toJson(), s.bot.id, null);
        m.webhookId = i.applicationId;
        m.applicationId = i.applicationId;
        m.type = 20; // CHAT_INPUT_COMMAND
        MessageRules.apply(m, body);
        ObjectNode meta = m.extra.putObject("interaction_metadata");
        meta.put("id", Json.id(i.id));
        meta.put("type", 2);
        meta.set("user", s.user(i.userId).toJson());
        meta.putObject("authorizing_integration_owners").put("0", Json.id(i.guildId));
        s.messageCreated(m);
        return m;
    }

    private static MockMessage ownMessage(Call c, boolean original) {
        MockState s = c.state;
        MockInteraction i = interaction(c);
        long messageId;
        MockChannel ch;
        if (i != null) {
            messageId = original ? i.originalMessageId : c.id("message_id");
            if (messageId == 0 || (!original && !i.followups.contains(messageId) && messageId != i.originalMessageId)) {
                throw DiscordError.unknownMessage();
            }
            ch = s.channel(i.channelId);
        } else {
            MockWebhook w = tokenWebhook(c);
            if (original) {
                throw DiscordError.unknownMessage();
            }
            messageId = c.id("message_id");
            long threadId = c.queryId("thread_id");
            ch = s.channel(threadId != 0 ? threadId : w.channelId);
            MockMessage m = s.message(ch, messageId);
            if (m.webhookId != w.id) {
                throw DiscordError.unknownMessage();
            }
        }
        return s.message(ch, messageId);
    }

    private static ObjectNode editOwn(Call c, boolean original) {
        MockMessage m = ownMessage(c, original);
        ObjectNode body = c.body();
        MessageRules.validate(body, true);
        MessageRules.apply(m, body);
        m.flags &= ~128; // a deferred ("thinking") response stops loading once edited
        m.editedTimestamp = c.state.now();
        c.state.emit("MESSAGE_UPDATE", m.guildId, m.toJson(0));
        return m.toJson(0);
    }

    private static JsonNode deleteOwn(Call c, boolean original) {
        MockMessage m = ownMessage(c, original);
        MockChannel ch = c.state.channel(m.channelId);
        ch.messages.remove(m.id);
        MessageRoutes.deleted(c.state, ch, m.id);
        return null;
    }

    /** {@code POST /interactions/{id}/{token}/callback}: the first (and only) response to an interaction. */
    private ObjectNode callback(Call c) {
        MockState s = c.state;
        MockInteraction i = s.interactionsByToken.get(c.path("interaction_token"));
        if (i == null || i.id != c.id("interaction_id") || i.createdAt.plus(callbackWindow).isBefore(s.now())) {
            throw DiscordError.unknownInteraction();
        }
        if (i.callbackType != 0) {
            throw new DiscordError(400, 40060, "Interaction has already been acknowledged.");
        }
        ObjectNode body = c.body();
        if (!body.has("type")) {
            throw DiscordError.required("type");
        }
        int type = body.get("type").asInt();
        ObjectNode data = body.path("data") instanceof ObjectNode d ? d : Json.obj();
        switch (type) {
            case 4 -> {
                MessageRules.validate(data, false);
                MockMessage m = interactionMessage(s, i, data);
                i.originalMessageId = m.id;
                i.ephemeral = (m.flags & MessageRoutes.EPHEMERAL) != 0;
            }
            case 5 -> {
                ObjectNode loading = Json.obj();
                loading.put("flags", data.path("flags").asInt(0) | 128);
                MockMessage m = interactionMessage(s, i, loading);
                m.flags |= 128 | (data.path("flags").asInt(0) & MessageRoutes.EPHEMERAL);
                i.originalMessageId = m.id;
                i.ephemeral = (m.flags & MessageRoutes.EPHEMERAL) != 0;
            }
            case 9 -> {
                if (!data.hasNonNull("custom_id") || !data.hasNonNull("title")) {
                    throw DiscordError.required(data.hasNonNull("custom_id") ? "data.title" : "data.custom_id");
                }
            }
            case 1, 6, 7, 8 -> throw new DiscordError(400, 50035,
                    "Invalid Form Body: callback type " + type + " does not apply to an application command");
            default -> throw DiscordError.invalidForm("type", "BASE_TYPE_CHOICES", "Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.");
        }
        i.callbackType = type;
        if (!c.queryBool("with_response")) {
            return null;
        }
        ObjectNode o = Json.obj();
        ObjectNode ic = o.putObject("interaction");
        ic.put("id", Json.id(i.id));
        ic.put("type", 2);
        ObjectNode resource = o.putObject("resource");
        resource.put("type", type);
        if (i.originalMessageId != 0) {
            resource.set("message", s.message(s.channel(i.channelId), i.originalMessageId).toJson(0));
        }
        return o;
    }
}
