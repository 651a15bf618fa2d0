package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockMessage;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.Permission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Messages and reactions in a channel. */
final class MessageRoutes {

    /** Ephemeral messages are only seen by their recipient, never listed through the API. */
    static final int EPHEMERAL = 64;

    private MessageRoutes() {
    }

    static void register(Api api) {
        api.get("/channels/{channel_id}/messages", "messages.list", Auth.BOT, MessageRoutes::list);
        api.post("/channels/{channel_id}/messages/bulk-delete", "messages.bulk", Auth.BOT, MessageRoutes::bulkDelete);
        api.get("/channels/{channel_id}/messages/{message_id}", "messages.get", Auth.BOT, c -> {
            MockChannel ch = Checks.channel(c.state, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            MockMessage m = c.state.message(ch, c.id("message_id"));
            if ((m.flags & EPHEMERAL) != 0) {
                throw DiscordError.unknownMessage();
            }
            return m.toJson(c.state.bot.id);
        });
        api.post("/channels/{channel_id}/messages", "messages.create", Auth.BOT, MessageRoutes::create);
        api.patch("/channels/{channel_id}/messages/{message_id}", "messages.edit", Auth.BOT, MessageRoutes::edit);
        api.delete("/channels/{channel_id}/messages/{message_id}", "messages.delete", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"));
            MockMessage m = s.message(ch, c.id("message_id"));
            if (m.authorId != s.bot.id) {
                Checks.channel(s, ch.id, Permission.MANAGE_MESSAGES);
                s.audit(s.guild(ch.guildId), s.bot.id, 72, m.authorId, c.reason());
            }
            ch.messages.remove(m.id);
            ch.pins.remove(m.id);
            deleted(s, ch, m.id);
            return null;
        });
        api.post("/channels/{channel_id}/messages/{message_id}/crosspost", "messages.crosspost", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.SEND_MESSAGES);
            MockMessage m = s.message(ch, c.id("message_id"));
            if (ch.type != MockChannel.GUILD_ANNOUNCEMENT) {
                throw new DiscordError(400, 50024, "Cannot execute action on this channel type");
            }
            if (m.authorId != s.bot.id) {
                Checks.channel(s, ch.id, Permission.MANAGE_MESSAGES);
            }
            if ((m.flags & 1) != 0) {
                throw new DiscordError(400, 40033, "This message has already been crossposted.");
            }
            m.flags |= 1;
            return m.toJson(s.bot.id);
        });
        registerReactions(api);
    }

    private static ArrayNode list(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        int limit = c.queryInt("limit", 50, 1, 100);
        long around = c.queryId("around");
        long before = c.queryId("before");
        long after = c.queryId("after");
        ArrayNode out = Json.arr();
        if (!Permission.READ_MESSAGE_HISTORY.in(Checks.botPermissionsIn(s, ch))) {
            return out; // Discord answers an empty list without READ_MESSAGE_HISTORY
        }
        List<MockMessage> all = new ArrayList<>();
        for (MockMessage m : ch.messages.values()) {
            if ((m.flags & EPHEMERAL) == 0) {
                all.add(m);
            }
        }
        List<MockMessage> picked = new ArrayList<>();
        if (after != 0) {
            for (MockMessage m : all) {
                if (Long.compareUnsigned(m.id, after) > 0 && picked.size() < limit) {
                    picked.add(m);
                }
            }
        } else if (around != 0) {
            int at = 0;
            while (at < all.size() && Long.compareUnsigned(all.get(at).id, around) < 0) {
                at++;
            }
            int from = Math.max(0, at - limit / 2);
            picked.addAll(all.subList(from, Math.min(all.size(), from + limit)));
        } else {
            for (int i = all.size() - 1; i >= 0 && picked.size() < limit; i--) {
                MockMessage m = all.get(i);
                if (before == 0 || Long.compareUnsigned(m.id, before) < 0) {
                    picked.add(0, m);
                }
            }
        }
        // Newest first, as Discord lists them.
        for (int i = picked.size() - 1; i >= 0; i--) {
            out.add(picked.get(i).toJson(s.bot.id));
        }
        return out;
    }

    private static ObjectNode create(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        if (!ch.isTextLike()) {
            throw new DiscordError(400, 50008, "Cannot send messages in a non-text channel");
        }
        long perms = Checks.botPermissionsIn(s, ch);
        Permission send = ch.isThread() ? Permission.SEND_MESSAGES_IN_THREADS : Permission.SEND_MESSAGES;
        if (!send.in(perms) || (ch.isThread() && ch.locked && !Permission.MANAGE_THREADS.in(perms))) {
            throw DiscordError.missingPermissions();
        }
        ObjectNode body = c.body();
        MessageRules.validate(body, false);
        if (body.path("embeds").size() > 0 && !Permission.EMBED_LINKS.in(perms)) {
            throw DiscordError.missingPermissions();
        }
        if ((body.path("flags").asInt() & EPHEMERAL) != 0) {
            throw DiscordError.invalidForm("flags", "MESSAGE_FLAGS_INVALID", "Invalid flags: ephemeral messages need an interaction");
        }
        JsonNode ref = body.get("message_reference");
        if (ref != null && !ref.isNull()) {
            long refId = Json.snowflake(ref.get("message_id"));
            long refChannel = ref.hasNonNull("channel_id") ? Json.snowflake(ref.get("channel_id")) : ch.id;
            boolean exists = refChannel == ch.id && ch.messages.containsKey(refId);
            if (!exists && ref.path("fail_if_not_exists").asBoolean(true)) {
                throw DiscordError.invalidForm("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
            }
        }
        MockMessage m = s.addMessage(ch, s.bot.toJson(), s.bot.id, null);
        MessageRules.apply(m, body);
        m.tts = body.path("tts").asBoolean(false) && Permission.SEND_TTS_MESSAGES.in(perms);
        if (ref != null && !ref.isNull()) {
            m.type = 19; // REPLY
        }
        s.messageCreated(m);
        return m.toJson(s.bot.id);
    }

    private static ObjectNode edit(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        MockMessage m = s.message(ch, c.id("message_id"));
        ObjectNode body = c.body();
        if (m.authorId != s.bot.id) {
            // Others' messages: only the SUPPRESS_EMBEDS flag may change, and that needs MANAGE_MESSAGES.
            for (var e : body.properties()) {
                if (!e.getKey().equals("flags")) {
                    throw new DiscordError(403, 50005, "Cannot edit a message authored by another user");
                }
            }
            Checks.channel(s, ch.id, Permission.MANAGE_MESSAGES);
        }
        MessageRules.validate(body, true);
        MessageRules.apply(m, body);
        m.editedTimestamp = s.now();
        s.emit("MESSAGE_UPDATE", ch.guildId, m.toJson(0));
        return m.toJson(s.bot.id);
    }

    private static JsonNode bulkDelete(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.MANAGE_MESSAGES);
        JsonNode ids = c.body().get("messages");
        if (ids == null || !ids.isArray()) {
            throw DiscordError.required("messages");
        }
        if (ids.size() < 2 || ids.size() > 100) {
            throw new DiscordError(400, 50016,
                    "You must provide at least 2 and fewer than 100 messages to delete.");
        }
        Set<Long> wanted = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            wanted.add(Json.snowflake(id));
        }
        long twoWeeksAgo = (s.now().minus(Duration.ofDays(14)).toEpochMilli() - MockState.DISCORD_EPOCH) << 22;
        for (long id : wanted) {
            if (id > 0 && Long.compareUnsigned(id, twoWeeksAgo) < 0) {
                throw new DiscordError(400, 50034, "You can only bulk delete messages that are under 14 days old.");
            }
        }
        ArrayNode deleted = Json.arr();
        for (long id : wanted) {
            if (ch.messages.remove(id) != null) {
                ch.pins.remove(id);
                deleted.add(Json.id(id));
            }
        }
        s.audit(s.guild(ch.guildId), s.bot.id, 73, ch.id, c.reason());
        ObjectNode d = Json.obj();
        d.set("ids", deleted);
        d.put("channel_id", Json.id(ch.id));
        d.put("guild_id", Json.id(ch.guildId));
        s.emit("MESSAGE_DELETE_BULK", ch.guildId, d);
        return null;
    }

    static void deleted(MockState s, MockChannel ch, long id) {
        ObjectNode d = Json.obj();
        d.put("id", Json.id(id));
        d.put("channel_id", Json.id(ch.id));
        d.put("guild_id", Json.id(ch.guildId));
        s.emit("MESSAGE_DELETE", ch.guildId, d);
    }

    // ---- reactions: every reaction route shares one bucket, as on Discord ----

    private static void registerReactions(Api api) {
        String base = "/channels/{channel_id}/messages/{message_id}/reactions";
        api.put(base + "/{emoji}/@me", "reactions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            MockMessage m = s.message(ch, c.id("message_id"));
            ObjectNode emoji = emoji(c.path("emoji"));
            String key = key(emoji);
            MockMessage.Reaction r = m.reactions.get(key);
            if (r == null) {
                Checks.channel(s, ch.id, Permission.ADD_REACTIONS);
                if (m.reactions.size() >= 20) {
                    throw new DiscordError(400, 30010, "Maximum number of reactions reached (20)");
                }
                r = new MockMessage.Reaction(emoji);
                m.reactions.put(key, r);
            }
            if (r.users.add(s.bot.id)) {
                reactionEvent(s, "MESSAGE_REACTION_ADD", ch, m, s.bot.id, emoji);
            }
            return null;
        });
        api.delete(base + "/{emoji}/@me", "reactions", Auth.BOT, c -> removeReaction(c, c.state.bot.id));
        api.get(base + "/{emoji}", "reactions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            MockMessage m = s.message(ch, c.id("message_id"));
            MockMessage.Reaction r = m.reactions.get(key(emoji(c.path("emoji"))));
            long after = c.queryId("after");
            int limit = c.queryInt("limit", 25, 1, 100);
            ArrayNode out = Json.arr();
            if (r != null) {
                r.users.stream().filter(u -> Long.compareUnsigned(u, after) > 0).sorted(Long::compareUnsigned).limit(limit)
                        .forEach(u -> out.add(s.users.get(u).toJson()));
            }
            return out;
        });
        api.delete(base + "/{emoji}/{user_id}", "reactions", Auth.BOT, c -> {
            Checks.channel(c.state, c.id("channel_id"), Permission.MANAGE_MESSAGES);
            return removeReaction(c, c.id("user_id"));
        });
        api.delete(base + "/{emoji}", "reactions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.MANAGE_MESSAGES);
            MockMessage m = s.message(ch, c.id("message_id"));
            ObjectNode emoji = emoji(c.path("emoji"));
            if (m.reactions.remove(key(emoji)) != null) {
                ObjectNode d = ids(ch, m);
                d.set("emoji", emoji);
                s.emit("MESSAGE_REACTION_REMOVE_EMOJI", ch.guildId, d);
            }
            return null;
        });
        api.delete(base, "reactions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.MANAGE_MESSAGES);
            MockMessage m = s.message(ch, c.id("message_id"));
            m.reactions.clear();
            s.emit("MESSAGE_REACTION_REMOVE_ALL", ch.guildId, ids(ch, m));
            return null;
        });
    }

    private static JsonNode removeReaction(Call c, long userId) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        MockMessage m = s.message(ch, c.id("message_id"));
        ObjectNode emoji = emoji(c.path("emoji"));
        MockMessage.Reaction r = m.reactions.get(key(emoji));
        if (r != null && r.users.remove(userId)) {
            if (r.users.isEmpty()) {
                m.reactions.remove(key(emoji));
            }
            reactionEvent(s, "MESSAGE_REACTION_REMOVE", ch, m, userId, emoji);
        }
        return null;
    }

    /** Parses a path emoji: a unicode emoji, or {@code name:id} for a custom one (the mock has none: 10014). */
    static ObjectNode emoji(String raw) {
        ObjectNode e = Json.obj();
        int colon = raw.lastIndexOf(':');
        if (colon > 0 && raw.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            throw DiscordError.unknownEmoji();
        }
        if (raw.isEmpty() || raw.chars().allMatch(ch -> ch < 128 && Character.isLetterOrDigit(ch))) {
            throw DiscordError.unknownEmoji();
        }
        e.putNull("id");
        e.put("name", raw);
        return e;
    }

    private static String key(ObjectNode emoji) {
        return emoji.path("name").asText();
    }

    private static ObjectNode ids(MockChannel ch, MockMessage m) {
        ObjectNode d = Json.obj();
        d.put("channel_id", Json.id(ch.id));
        d.put("message_id", Json.id(m.id));
        d.put("guild_id", Json.id(ch.guildId));
        return d;
    }

    static void reactionEvent(MockState s, String type, MockChannel ch, MockMessage m, long userId, ObjectNode emoji) {
        ObjectNode d = ids(ch, m);
        d.put("user_id", Json.id(userId));
        d.set("emoji", emoji.deepCopy());
        d.put("burst", false);
        d.put("type", 0);
        if (type.equals("MESSAGE_REACTION_ADD")) {
            MockGuild g = s.guilds.get(ch.guildId);
            if (g != null && g.members.containsKey(userId)) {
                d.set("member", g.members.get(userId).toJson());
            }
            d.put("message_author_id", Json.id(m.authorId));
        }
        s.emit(type, ch.guildId, d);
    }
}
