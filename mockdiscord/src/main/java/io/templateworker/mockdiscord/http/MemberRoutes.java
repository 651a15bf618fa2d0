package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockMember;
import io.templateworker.mockdiscord.state.MockMessage;
import io.templateworker.mockdiscord.state.MockRole;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.Permission;
import io.templateworker.mockdiscord.state.Permissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Guild members, their roles, kicks and bans. */
final class MemberRoutes {

    private MemberRoutes() {
    }

    static void register(Api api) {
        api.get("/guilds/{guild_id}/members/search", "guilds.members.search", Auth.BOT, MemberRoutes::search);
        api.patch("/guilds/{guild_id}/members/@me", "guilds.members.me", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            ObjectNode body = c.body();
            MockMember me = Checks.botMember(c.state, g);
            if (body.has("nick")) {
                Checks.guild(c.state, g, Permission.CHANGE_NICKNAME);
                me.nick = nick(body.get("nick"));
            }
            memberUpdated(c.state, g, me);
            return me.toJson();
        });
        api.get("/guilds/{guild_id}/members/{user_id}", "guilds.members.get", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            return c.state.member(g, c.id("user_id")).toJson();
        });
        api.get("/guilds/{guild_id}/members", "guilds.members.list", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            int limit = c.queryInt("limit", 1, 1, 1000);
            long after = c.queryId("after");
            ArrayNode out = Json.arr();
            g.members.values().stream()
                    .filter(m -> Long.compareUnsigned(m.user.id, after) > 0)
                    .sorted((a, b) -> Long.compareUnsigned(a.user.id, b.user.id))
                    .limit(limit)
                    .forEach(m -> out.add(m.toJson()));
            return out;
        });
        api.patch("/guilds/{guild_id}/members/{user_id}", "guilds.members.modify", Auth.BOT, MemberRoutes::modify);
        api.put("/guilds/{guild_id}/members/{user_id}/roles/{role_id}", "guilds.members.roles", Auth.BOT, c -> memberRole(c, true));
        api.delete("/guilds/{guild_id}/members/{user_id}/roles/{role_id}", "guilds.members.roles", Auth.BOT, c -> memberRole(c, false));
        api.delete("/guilds/{guild_id}/members/{user_id}", "guilds.members.kick", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            MockMember target = c.state.member(g, c.id("user_id"));
            Checks.guild(c.state, g, Permission.KICK_MEMBERS);
            Checks.outranks(c.state, g, target);
            removeMember(c.state, g, target);
            c.state.audit(g, c.state.bot.id, 20, target.user.id, c.reason());
            return null;
        });
        api.get("/guilds/{guild_id}/bans", "guilds.bans.list", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.BAN_MEMBERS);
            int limit = c.queryInt("limit", 1000, 1, 1000);
            long before = c.queryId("before");
            long after = c.queryId("after");
            ArrayNode out = Json.arr();
            g.bans.keySet().stream().sorted(Long::compareUnsigned)
                    .filter(id -> (before == 0 || Long.compareUnsigned(id, before) < 0) && Long.compareUnsigned(id, after) > 0)
                    .limit(limit)
                    .forEach(id -> out.add(ban(c.state, g, id)));
            return out;
        });
        api.get("/guilds/{guild_id}/bans/{user_id}", "guilds.bans.get", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.BAN_MEMBERS);
            long id = c.id("user_id");
            if (!g.bans.containsKey(id)) {
                throw DiscordError.unknownBan();
            }
            return ban(c.state, g, id);
        });
        api.put("/guilds/{guild_id}/bans/{user_id}", "guilds.bans.create", Auth.BOT, MemberRoutes::createBan);
        api.delete("/guilds/{guild_id}/bans/{user_id}", "guilds.bans.remove", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.BAN_MEMBERS);
            long id = c.id("user_id");
            if (!g.bans.containsKey(id)) {
                throw DiscordError.unknownBan();
            }
            g.bans.remove(id);
            c.state.audit(g, c.state.bot.id, 23, id, c.reason());
            ObjectNode d = Json.obj();
            d.put("guild_id", Json.id(g.id));
            d.set("user", c.state.user(id).toJson());
            c.state.emit("GUILD_BAN_REMOVE", g.id, d);
            return null;
        });
    }

    private static ArrayNode search(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        String query = c.query("query");
        if (query == null) {
            throw DiscordError.required("query");
        }
        int limit = c.queryInt("limit", 1, 1, 1000);
        String q = query.toLowerCase(Locale.ROOT);
        ArrayNode out = Json.arr();
        for (MockMember m : g.members.values()) {
            if (out.size() >= limit) {
                break;
            }
            boolean matches = m.user.username.toLowerCase(Locale.ROOT).startsWith(q)
                    || (m.nick != null && m.nick.toLowerCase(Locale.ROOT).startsWith(q))
                    || (m.user.globalName != null && m.user.globalName.toLowerCase(Locale.ROOT).startsWith(q));
            if (matches) {
                out.add(m.toJson());
            }
        }
        return out;
    }

    private static ObjectNode modify(Call c) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        MockMember target = s.member(g, c.id("user_id"));
        ObjectNode body = c.body();
        boolean self = target.user.id == s.bot.id;
        // Validate and check everything first: Discord applies all of a PATCH or nothing.
        String nick = target.nick;
        if (body.has("nick")) {
            Checks.guild(s, g, self ? Permission.CHANGE_NICKNAME : Permission.MANAGE_NICKNAMES);
            if (!self) {
                Checks.outranks(s, g, target);
            }
            nick = nick(body.get("nick"));
        }
        Set<Long> roles = target.roles;
        if (body.has("roles") && !body.get("roles").isNull()) {
            Checks.guild(s, g, Permission.MANAGE_ROLES);
            roles = new LinkedHashSet<>();
            for (JsonNode r : body.get("roles")) {
                long id = Json.snowflake(r);
                MockRole role = g.roles.get(id);
                if (role == null) {
                    throw DiscordError.invalidForm("roles", "BASE_TYPE_CHOICES", "Value \"" + r.asText() + "\" is not a valid role.");
                }
                if (id != g.id) {
                    roles.add(id);
                }
            }
            Set<Long> changed = new LinkedHashSet<>(roles);
            changed.addAll(target.roles);
            for (long id : changed) {
                if (roles.contains(id) != target.roles.contains(id)) {
                    MockRole role = g.roles.get(id);
                    if (role.managed) {
                        throw new DiscordError(400, 50028, "Invalid Role");
                    }
                    Checks.above(s, g, role);
                }
            }
        }
        if (body.has("mute")) {
            Checks.guild(s, g, Permission.MUTE_MEMBERS);
        }
        if (body.has("deaf")) {
            Checks.guild(s, g, Permission.DEAFEN_MEMBERS);
        }
        if (body.has("channel_id")) {
            Checks.guild(s, g, Permission.MOVE_MEMBERS);
            if (!body.get("channel_id").isNull()) {
                throw new DiscordError(400, 40032, "Target user is not connected to voice.");
            }
        }
        Instant timeout = target.communicationDisabledUntil;
        if (body.has("communication_disabled_until")) {
            Checks.guild(s, g, Permission.MODERATE_MEMBERS);
            Checks.outranks(s, g, target);
            if (Permission.ADMINISTRATOR.in(Permissions.base(g, target, s.now()))) {
                throw DiscordError.missingPermissions();
            }
            JsonNode v = body.get("communication_disabled_until");
            if (v.isNull()) {
                timeout = null;
            } else {
                try {
                    timeout = OffsetDateTime.parse(v.asText()).toInstant();
                } catch (DateTimeParseException e) {
                    throw DiscordError.invalidForm("communication_disabled_until", "DATE_TIME_TYPE_PARSE",
                            "Could not parse " + v.asText() + ". Should be ISO8601.");
                }
                if (timeout.isAfter(s.now().plus(Duration.ofDays(28)))) {
                    throw DiscordError.invalidForm("communication_disabled_until", "BASE_TYPE_BAD_TIME",
                            "Cannot timeout members for more than 28 days");
                }
            }
        }
        if (body.has("flags")) {
            Checks.guildAny(s, g, Permission.MANAGE_GUILD, Permission.MANAGE_ROLES);
        }
        target.nick = nick;
        if (roles != target.roles) {
            target.roles.clear();
            target.roles.addAll(roles);
            s.audit(g, s.bot.id, 25, target.user.id, c.reason());
        }
        if (body.has("mute")) {
            target.mute = body.get("mute").asBoolean();
        }
        if (body.has("deaf")) {
            target.deaf = body.get("deaf").asBoolean();
        }
        target.communicationDisabledUntil = timeout;
        if (body.has("flags")) {
            target.flags = body.get("flags").asInt();
        }
        if (body.has("nick") || body.has("communication_disabled_until") || body.has("mute") || body.has("deaf")) {
            s.audit(g, s.bot.id, 24, target.user.id, c.reason());
        }
        memberUpdated(s, g, target);
        return target.toJson();
    }

    private static String nick(JsonNode v) {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        String n = v.asText();
        if (n.codePointCount(0, n.length()) > 32) {
            throw DiscordError.badLength("nick", 1, 32);
        }
        return n;
    }

    private static JsonNode memberRole(Call c, boolean add) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        MockMember target = s.member(g, c.id("user_id"));
        MockRole role = s.role(g, c.id("role_id"));
        Checks.guild(s, g, Permission.MANAGE_ROLES);
        Checks.above(s, g, role);
        if (role.managed || role.id == g.id) {
            throw new DiscordError(400, 50028, "Invalid Role");
        }
        boolean changed = add ? target.roles.add(role.id) : target.roles.remove(role.id);
        if (changed) {
            s.audit(g, s.bot.id, 25, target.user.id, c.reason());
            memberUpdated(s, g, target);
        }
        return null;
    }

    private static JsonNode createBan(Call c) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        long userId = c.id("user_id");
        s.user(userId);
        Checks.guild(s, g, Permission.BAN_MEMBERS);
        ObjectNode body = c.body();
        int seconds = body.path("delete_message_seconds").asInt(body.path("delete_message_days").asInt(0) * 86400);
        if (seconds < 0 || seconds > 604800) {
            throw DiscordError.invalidForm("delete_message_seconds", "NUMBER_TYPE_MAX", "int value should be less than or equal to 604800.");
        }
        MockMember target = g.members.get(userId);
        if (userId == g.ownerId || userId == s.bot.id) {
            throw DiscordError.missingPermissions();
        }
        if (target != null) {
            Checks.outranks(s, g, target);
        }
        g.bans.put(userId, c.reason());
        if (target != null) {
            removeMember(s, g, target);
        }
        if (seconds > 0) {
            Instant since = s.now().minusSeconds(seconds);
            for (MockChannel ch : g.channels.values()) {
                for (Iterator<MockMessage> it = ch.messages.values().iterator(); it.hasNext(); ) {
                    MockMessage m = it.next();
                    if (m.authorId == userId && !m.timestamp.isBefore(since)) {
                        it.remove();
                        MessageRoutes.deleted(s, ch, m.id);
                    }
                }
            }
        }
        s.audit(g, s.bot.id, 22, userId, c.reason());
        ObjectNode d = Json.obj();
        d.put("guild_id", Json.id(g.id));
        d.set("user", s.user(userId).toJson());
        s.emit("GUILD_BAN_ADD", g.id, d);
        return null;
    }

    private static ObjectNode ban(MockState s, MockGuild g, long userId) {
        ObjectNode o = Json.obj();
        o.put("reason", g.bans.get(userId));
        o.set("user", s.user(userId).toJson());
        return o;
    }

    static void removeMember(MockState s, MockGuild g, MockMember m) {
        g.members.remove(m.user.id);
        ObjectNode d = Json.obj();
        d.put("guild_id", Json.id(g.id));
        d.set("user", m.user.toJson());
        s.emit("GUILD_MEMBER_REMOVE", g.id, d);
    }

    static void memberUpdated(MockState s, MockGuild g, MockMember m) {
        ObjectNode d = m.toJson();
        d.put("guild_id", Json.id(g.id));
        s.emit("GUILD_MEMBER_UPDATE", g.id, d);
    }
}
