package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockInvite;
import io.templateworker.mockdiscord.state.MockMessage;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockWebhook;
import io.templateworker.mockdiscord.state.Overwrite;
import io.templateworker.mockdiscord.state.Permission;
import java.util.List;

/** Channels and threads: get, modify, delete, overwrites, invites, typing, webhooks, threads and thread members. */
final class ChannelRoutes {

    private ChannelRoutes() {
    }

    static void register(Api api) {
        api.get("/channels/{channel_id}", "channels.get", Auth.BOT, c -> Checks.channel(c.state, c.id("channel_id")).toJson());
        api.patch("/channels/{channel_id}", "channels.modify", Auth.BOT, ChannelRoutes::modify);
        api.delete("/channels/{channel_id}", "channels.delete", Auth.BOT, ChannelRoutes::delete);
        api.put("/channels/{channel_id}/permissions/{overwrite_id}", "channels.permissions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"));
            MockGuild g = s.guild(ch.guildId);
            Checks.guild(s, g, Permission.MANAGE_ROLES);
            ObjectNode body = c.body();
            long id = c.id("overwrite_id");
            if (!body.has("type")) {
                throw DiscordError.required("type");
            }
            long allow = Json.bits(body.get("allow"), 0);
            long deny = Json.bits(body.get("deny"), 0);
            Checks.grantable(s, g, allow | deny);
            boolean existed = ch.overwrites.containsKey(id);
            ch.overwrites.put(id, new Overwrite(id, body.get("type").asInt(), allow, deny));
            s.audit(g, s.bot.id, existed ? 14 : 13, ch.id, c.reason());
            s.emit("CHANNEL_UPDATE", g.id, ch.toJson());
            return null;
        });
        api.delete("/channels/{channel_id}/permissions/{overwrite_id}", "channels.permissions", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"));
            MockGuild g = s.guild(ch.guildId);
            Checks.guild(s, g, Permission.MANAGE_ROLES);
            if (ch.overwrites.remove(c.id("overwrite_id")) != null) {
                s.audit(g, s.bot.id, 15, ch.id, c.reason());
                s.emit("CHANNEL_UPDATE", g.id, ch.toJson());
            }
            return null;
        });
        api.post("/channels/{channel_id}/typing", "channels.typing", Auth.BOT, c -> {
            Checks.channel(c.state, c.id("channel_id"), Permission.SEND_MESSAGES);
            return null;
        });
        registerInvites(api);
        registerWebhooks(api);
        registerThreads(api);
        registerPins(api);
    }

    private static ObjectNode modify(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        MockGuild g = s.guild(ch.guildId);
        ObjectNode body = c.body();
        GuildRoutes.checkChannelFields(body);
        if (ch.isThread()) {
            boolean ownerOnlyFields = !body.has("locked") && !body.has("rate_limit_per_user");
            if (!(ownerOnlyFields && ch.ownerId == s.bot.id)) {
                Checks.channel(s, ch.id, Permission.MANAGE_THREADS);
            }
            if (body.has("archived")) {
                ch.archived = body.get("archived").asBoolean();
                ch.archiveTimestamp = s.now();
            }
            if (body.has("locked")) {
                ch.locked = body.get("locked").asBoolean();
            }
            if (body.has("auto_archive_duration")) {
                ch.autoArchiveDuration = body.get("auto_archive_duration").asInt();
            }
        } else {
            Checks.channel(s, ch.id, Permission.MANAGE_CHANNELS);
            if (body.has("permission_overwrites")) {
                List<Overwrite> overwrites = GuildRoutes.overwrites(c, g, body.get("permission_overwrites"));
                ch.overwrites.clear();
                overwrites.forEach(o -> ch.overwrites.put(o.id(), o));
            }
            if (body.has("topic")) {
                ch.topic = body.get("topic").isNull() ? null : body.get("topic").asText();
            }
            if (body.has("nsfw")) {
                ch.nsfw = body.get("nsfw").asBoolean();
            }
            if (body.has("position")) {
                ch.position = body.get("position").asInt();
            }
            if (body.has("parent_id")) {
                ch.parentId = Math.max(0, Json.snowflake(body.get("parent_id")));
            }
            if (body.has("type")) {
                ch.type = body.get("type").asInt();
            }
        }
        if (body.has("name")) {
            ch.name = body.get("name").asText();
        }
        if (body.has("rate_limit_per_user")) {
            ch.rateLimitPerUser = body.get("rate_limit_per_user").asInt();
        }
        s.audit(g, s.bot.id, ch.isThread() ? 111 : 11, ch.id, c.reason());
        s.emit(ch.isThread() ? "THREAD_UPDATE" : "CHANNEL_UPDATE", g.id, ch.toJson());
        return ch.toJson();
    }

    private static ObjectNode delete(Call c) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        MockGuild g = s.guild(ch.guildId);
        Checks.channel(s, ch.id, ch.isThread() ? Permission.MANAGE_THREADS : Permission.MANAGE_CHANNELS);
        g.channels.remove(ch.id);
        if (!ch.isThread()) {
            g.channels.values().removeIf(t -> t.isThread() && t.parentId == ch.id);
        }
        s.audit(g, s.bot.id, ch.isThread() ? 112 : 12, ch.id, c.reason());
        s.emit(ch.isThread() ? "THREAD_DELETE" : "CHANNEL_DELETE", g.id, ch.toJson());
        return ch.toJson();
    }

    // ---- invites ----

    private static void registerInvites(Api api) {
        api.post("/channels/{channel_id}/invites", "channels.invites", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.CREATE_INSTANT_INVITE);
            ObjectNode body = c.body();
            int maxAge = body.path("max_age").asInt(86400);
            int maxUses = body.path("max_uses").asInt(0);
            if (maxAge < 0 || maxAge > 604800) {
                throw DiscordError.invalidForm("max_age", "NUMBER_TYPE_MAX", "int value should be less than or equal to 604800.");
            }
            if (maxUses < 0 || maxUses > 100) {
                throw DiscordError.invalidForm("max_uses", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.");
            }
            String code = s.newToken(5).substring(0, 8);
            MockInvite inv = new MockInvite(code, ch.guildId, ch.id, s.bot.id, maxAge, maxUses, body.path("temporary").asBoolean(false), s.now());
            s.invites.put(code, inv);
            s.audit(s.guild(ch.guildId), s.bot.id, 40, 0, c.reason());
            return invite(s, inv, true, false);
        });
        api.get("/channels/{channel_id}/invites", "channels.invites", Auth.BOT, c -> {
            MockChannel ch = Checks.channel(c.state, c.id("channel_id"), Permission.MANAGE_CHANNELS);
            ArrayNode out = Json.arr();
            for (MockInvite i : c.state.invites.values()) {
                if (i.channelId == ch.id) {
                    out.add(invite(c.state, i, true, false));
                }
            }
            return out;
        });
        api.get("/invites/{invite_code}", "invites.get", Auth.BOT, c -> {
            MockInvite i = c.state.invites.get(c.path("invite_code"));
            if (i == null || (i.expiresAt() != null && i.expiresAt().isBefore(c.state.now()))) {
                throw DiscordError.unknownInvite();
            }
            return invite(c.state, i, false, c.queryBool("with_counts"));
        });
        api.delete("/invites/{invite_code}", "invites.delete", Auth.BOT, c -> {
            MockState s = c.state;
            MockInvite i = s.invites.get(c.path("invite_code"));
            if (i == null) {
                throw DiscordError.unknownInvite();
            }
            MockGuild g = s.guild(i.guildId);
            long inChannel = Checks.botPermissionsIn(s, s.channel(i.channelId));
            if (!Permission.MANAGE_CHANNELS.in(inChannel)) {
                Checks.guild(s, g, Permission.MANAGE_GUILD);
            }
            s.invites.remove(i.code);
            s.audit(g, s.bot.id, 42, 0, c.reason());
            return invite(s, i, false, false);
        });
    }

    static ObjectNode invite(MockState s, MockInvite i, boolean metadata, boolean counts) {
        ObjectNode o = Json.obj();
        o.put("type", 0);
        o.put("code", i.code);
        MockGuild g = s.guilds.get(i.guildId);
        if (g != null) {
            ObjectNode pg = o.putObject("guild");
            pg.put("id", Json.id(g.id));
            pg.put("name", g.name);
            pg.put("icon", g.icon);
            ArrayNode fs = pg.putArray("features");
            g.features.forEach(fs::add);
            MockChannel ch = g.channels.get(i.channelId);
            if (ch != null) {
                ObjectNode pc = o.putObject("channel");
                pc.put("id", Json.id(ch.id));
                pc.put("type", ch.type);
                pc.put("name", ch.name);
            }
            if (counts) {
                o.put("approximate_member_count", g.members.size());
                o.put("approximate_presence_count", 0);
            }
        }
        if (s.users.containsKey(i.inviterId)) {
            o.set("inviter", s.users.get(i.inviterId).toJson());
        }
        o.put("expires_at", Json.time(i.expiresAt()));
        if (metadata) {
            o.put("uses", i.uses);
            o.put("max_uses", i.maxUses);
            o.put("max_age", i.maxAge);
            o.put("temporary", i.temporary);
            o.put("created_at", Json.time(i.createdAt));
        }
        return o;
    }

    // ---- webhooks ----

    private static void registerWebhooks(Api api) {
        api.post("/channels/{channel_id}/webhooks", "channels.webhooks", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel ch = Checks.channel(s, c.id("channel_id"), Permission.MANAGE_WEBHOOKS);
            ObjectNode body = c.body();
            String name = Json.text(body, "name", null);
            if (name == null) {
                throw DiscordError.required("name");
            }
            WebhookRoutes.checkName("name", name);
            MockWebhook w = new MockWebhook(s.nextId(), ch.guildId, ch.id, name, s.newToken(34), s.bot.id, 0);
            s.webhooks.put(w.id, w);
            s.audit(s.guild(ch.guildId), s.bot.id, 50, w.id, c.reason());
            return w.toJson(s.bot, true);
        });
        api.get("/channels/{channel_id}/webhooks", "channels.webhooks", Auth.BOT, c -> {
            MockChannel ch = Checks.channel(c.state, c.id("channel_id"), Permission.MANAGE_WEBHOOKS);
            ArrayNode out = Json.arr();
            for (MockWebhook w : c.state.webhooks.values()) {
                if (w.channelId == ch.id) {
                    out.add(w.toJson(c.state.users.get(w.creatorId), true));
                }
            }
            return out;
        });
    }

    // ---- threads ----

    private static void registerThreads(Api api) {
        api.post("/channels/{channel_id}/messages/{message_id}/threads", "channels.threads.create", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel parent = Checks.channel(s, c.id("channel_id"), Permission.CREATE_PUBLIC_THREADS);
            MockMessage m = s.message(parent, c.id("message_id"));
            if (parent.guildId != 0 && s.guild(parent.guildId).channels.containsKey(m.id)) {
                throw new DiscordError(400, 160004, "A thread has already been created for this message");
            }
            return createThread(c, parent, m.id,
                    parent.type == MockChannel.GUILD_ANNOUNCEMENT ? MockChannel.ANNOUNCEMENT_THREAD : MockChannel.PUBLIC_THREAD);
        });
        api.post("/channels/{channel_id}/threads", "channels.threads.create", Auth.BOT, c -> {
            MockState s = c.state;
            MockChannel parent = Checks.channel(s, c.id("channel_id"));
            int type = c.body().path("type").asInt(MockChannel.PRIVATE_THREAD);
            Checks.channel(s, parent.id, type == MockChannel.PRIVATE_THREAD ? Permission.CREATE_PRIVATE_THREADS
                    : Permission.CREATE_PUBLIC_THREADS);
            return createThread(c, parent, s.nextId(), type);
        });
        api.get("/channels/{channel_id}/threads/archived/public", "channels.threads.archived", Auth.BOT, c -> {
            MockChannel parent = Checks.channel(c.state, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            ObjectNode o = Json.obj();
            ArrayNode threads = o.putArray("threads");
            for (MockChannel t : c.state.guild(parent.guildId).channels.values()) {
                if (t.isThread() && t.parentId == parent.id && t.archived && t.type != MockChannel.PRIVATE_THREAD) {
                    threads.add(t.toJson());
                }
            }
            o.putArray("members");
            o.put("has_more", false);
            return o;
        });
        api.put("/channels/{channel_id}/thread-members/@me", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            if (t.threadMembers.add(c.state.bot.id)) {
                threadMembersChanged(c.state, t);
            }
            return null;
        });
        api.delete("/channels/{channel_id}/thread-members/@me", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            if (t.threadMembers.remove(c.state.bot.id)) {
                threadMembersChanged(c.state, t);
            }
            return null;
        });
        api.get("/channels/{channel_id}/thread-members", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            ArrayNode out = Json.arr();
            t.threadMembers.forEach(u -> out.add(threadMember(t, u, c.state)));
            return out;
        });
        api.get("/channels/{channel_id}/thread-members/{user_id}", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            long u = c.id("user_id");
            if (!t.threadMembers.contains(u)) {
                throw DiscordError.unknownMember();
            }
            return threadMember(t, u, c.state);
        });
        api.put("/channels/{channel_id}/thread-members/{user_id}", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            MockGuild g = c.state.guild(t.guildId);
            c.state.member(g, c.id("user_id"));
            Checks.channel(c.state, t.id, Permission.SEND_MESSAGES_IN_THREADS);
            if (t.threadMembers.add(c.id("user_id"))) {
                threadMembersChanged(c.state, t);
            }
            return null;
        });
        api.delete("/channels/{channel_id}/thread-members/{user_id}", "channels.threads.members", Auth.BOT, c -> {
            MockChannel t = thread(c);
            if (t.ownerId != c.state.bot.id) {
                Checks.channel(c.state, t.id, Permission.MANAGE_THREADS);
            }
            if (t.threadMembers.remove(c.id("user_id"))) {
                threadMembersChanged(c.state, t);
            }
            return null;
        });
    }

    private static MockChannel thread(Call c) {
        MockChannel t = Checks.channel(c.state, c.id("channel_id"));
        if (!t.isThread()) {
            throw new DiscordError(400, 50024, "Cannot execute action on this channel type");
        }
        return t;
    }

    private static ObjectNode createThread(Call c, MockChannel parent, long id, int type) {
        MockState s = c.state;
        if (parent.isThread() || !(parent.type == MockChannel.GUILD_TEXT || parent.type == MockChannel.GUILD_ANNOUNCEMENT
                || parent.type == MockChannel.GUILD_FORUM)) {
            throw new DiscordError(400, 50024, "Cannot execute action on this channel type");
        }
        ObjectNode body = c.body();
        String name = Json.text(body, "name", null);
        if (name == null) {
            throw DiscordError.required("name");
        }
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 100) {
            throw DiscordError.badLength("name", 1, 100);
        }
        MockChannel t = new MockChannel(id, parent.guildId, type, name);
        t.parentId = parent.id;
        t.ownerId = s.bot.id;
        t.autoArchiveDuration = body.path("auto_archive_duration").asInt(parent.type == MockChannel.GUILD_FORUM ? 4320 : 1440);
        t.rateLimitPerUser = body.path("rate_limit_per_user").asInt(0);
        t.threadMembers.add(s.bot.id);
        MockGuild g = s.guild(parent.guildId);
        g.channels.put(t.id, t);
        if (parent.type == MockChannel.GUILD_FORUM) {
            ObjectNode first = body.path("message") instanceof ObjectNode m ? m : Json.obj();
            MessageRules.validate(first, false);
            MockMessage msg = new MockMessage(t.id, t.id, g.id, s.bot.toJson(), s.bot.id, s.now());
            MessageRules.apply(msg, first);
            t.messages.put(msg.id, msg);
        }
        s.audit(g, s.bot.id, 110, t.id, c.reason());
        ObjectNode d = t.toJson();
        d.put("newly_created", true);
        s.emit("THREAD_CREATE", g.id, d);
        c.status(201);
        return t.toJson();
    }

    static ObjectNode threadMember(MockChannel t, long userId, MockState s) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(t.id));
        o.put("user_id", Json.id(userId));
        o.put("join_timestamp", Json.time(s.now()));
        o.put("flags", 0);
        return o;
    }

    private static void threadMembersChanged(MockState s, MockChannel t) {
        ObjectNode d = Json.obj();
        d.put("id", Json.id(t.id));
        d.put("guild_id", Json.id(t.guildId));
        d.put("member_count", t.threadMembers.size());
        s.emit("THREAD_MEMBERS_UPDATE", t.guildId, d);
    }

    // ---- pins (the older /pins routes and the newer /messages/pins ones) ----

    private static void registerPins(Api api) {
        api.get("/channels/{channel_id}/pins", "channels.pins", Auth.BOT, c -> {
            MockChannel ch = Checks.channel(c.state, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            ArrayNode out = Json.arr();
            for (int i = ch.pins.size() - 1; i >= 0; i--) {
                out.add(ch.messages.get(ch.pins.get(i)).toJson(c.state.bot.id));
            }
            return out;
        });
        api.get("/channels/{channel_id}/messages/pins", "channels.pins", Auth.BOT, c -> {
            MockChannel ch = Checks.channel(c.state, c.id("channel_id"), Permission.READ_MESSAGE_HISTORY);
            ObjectNode o = Json.obj();
            ArrayNode items = o.putArray("items");
            for (int i = ch.pins.size() - 1; i >= 0; i--) {
                ObjectNode item = items.addObject();
                item.put("pinned_at", Json.time(c.state.now()));
                item.set("message", ch.messages.get(ch.pins.get(i)).toJson(c.state.bot.id));
            }
            o.put("has_more", false);
            return o;
        });
        for (String path : new String[] {"/channels/{channel_id}/pins/{message_id}", "/channels/{channel_id}/messages/pins/{message_id}"}) {
            api.put(path, "channels.pins.modify", Auth.BOT, c -> pin(c, true));
            api.delete(path, "channels.pins.modify", Auth.BOT, c -> pin(c, false));
        }
    }

    private static JsonNode pin(Call c, boolean pin) {
        MockState s = c.state;
        MockChannel ch = Checks.channel(s, c.id("channel_id"));
        long perms = Checks.botPermissionsIn(s, ch);
        if (!Permission.MANAGE_MESSAGES.in(perms) && !Permission.PIN_MESSAGES.in(perms)) {
            throw DiscordError.missingPermissions();
        }
        MockMessage m = s.message(ch, c.id("message_id"));
        if (pin && !m.pinned) {
            if (ch.pins.size() >= 250) {
                throw new DiscordError(400, 30003, "Maximum number of pins reached (250)");
            }
            m.pinned = true;
            ch.pins.add(m.id);
        } else if (!pin && m.pinned) {
            m.pinned = false;
            ch.pins.remove(m.id);
        } else {
            return null;
        }
        s.audit(s.guild(ch.guildId), s.bot.id, pin ? 74 : 75, m.authorId, c.reason());
        ObjectNode d = Json.obj();
        d.put("guild_id", Json.id(ch.guildId));
        d.put("channel_id", Json.id(ch.id));
        d.put("last_pin_timestamp", Json.time(s.now()));
        s.emit("CHANNEL_PINS_UPDATE", ch.guildId, d);
        return null;
    }
}
