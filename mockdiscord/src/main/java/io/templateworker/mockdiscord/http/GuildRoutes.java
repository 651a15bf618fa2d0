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
import io.templateworker.mockdiscord.state.MockWebhook;
import io.templateworker.mockdiscord.state.Overwrite;
import io.templateworker.mockdiscord.state.Permission;
import java.util.ArrayList;
import java.util.List;

/** The guild itself, its channel list, active threads, audit log, auto-moderation rules, webhooks and invites. */
final class GuildRoutes {

    private GuildRoutes() {
    }

    static void register(Api api) {
        api.get("/guilds/{guild_id}", "guilds.get", Auth.BOT, c ->
                c.state.botGuild(c.id("guild_id")).toJson(c.queryBool("with_counts")));
        api.get("/guilds/{guild_id}/preview", "guilds.preview", Auth.BOT, GuildRoutes::preview);
        api.patch("/guilds/{guild_id}", "guilds.modify", Auth.BOT, GuildRoutes::modify);
        api.get("/guilds/{guild_id}/channels", "guilds.channels", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            ArrayNode out = Json.arr();
            for (MockChannel ch : g.channels.values()) {
                if (!ch.isThread()) {
                    out.add(ch.toJson());
                }
            }
            return out;
        });
        api.post("/guilds/{guild_id}/channels", "guilds.channels.create", Auth.BOT, GuildRoutes::createChannel);
        api.patch("/guilds/{guild_id}/channels", "guilds.channels.positions", Auth.BOT, GuildRoutes::channelPositions);
        api.get("/guilds/{guild_id}/threads/active", "guilds.threads", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            ObjectNode o = Json.obj();
            ArrayNode threads = o.putArray("threads");
            ArrayNode members = o.putArray("members");
            for (MockChannel ch : g.channels.values()) {
                if (ch.isThread() && !ch.archived) {
                    threads.add(ch.toJson());
                    if (ch.threadMembers.contains(c.state.bot.id)) {
                        members.add(ChannelRoutes.threadMember(ch, c.state.bot.id, c.state));
                    }
                }
            }
            return o;
        });
        api.get("/guilds/{guild_id}/audit-logs", "guilds.audit", Auth.BOT, GuildRoutes::auditLog);
        api.get("/guilds/{guild_id}/auto-moderation/rules", "guilds.automod", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.MANAGE_GUILD);
            ArrayNode out = Json.arr();
            g.autoModerationRules.values().forEach(r -> out.add(r.deepCopy()));
            return out;
        });
        api.get("/guilds/{guild_id}/auto-moderation/rules/{rule_id}", "guilds.automod", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.MANAGE_GUILD);
            return rule(g, c.id("rule_id")).deepCopy();
        });
        api.post("/guilds/{guild_id}/auto-moderation/rules", "guilds.automod", Auth.BOT, c -> saveRule(c, 0));
        api.patch("/guilds/{guild_id}/auto-moderation/rules/{rule_id}", "guilds.automod", Auth.BOT, c -> saveRule(c, c.id("rule_id")));
        api.delete("/guilds/{guild_id}/auto-moderation/rules/{rule_id}", "guilds.automod", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.MANAGE_GUILD);
            long id = c.id("rule_id");
            rule(g, id);
            g.autoModerationRules.remove(id);
            c.state.audit(g, c.state.bot.id, 142, id, c.reason());
            return null;
        });
        api.get("/guilds/{guild_id}/webhooks", "guilds.webhooks", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.MANAGE_WEBHOOKS);
            ArrayNode out = Json.arr();
            for (MockWebhook w : c.state.webhooks.values()) {
                if (w.guildId == g.id) {
                    out.add(w.toJson(c.state.users.get(w.creatorId), true));
                }
            }
            return out;
        });
        api.get("/guilds/{guild_id}/invites", "guilds.invites", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            Checks.guild(c.state, g, Permission.MANAGE_GUILD);
            ArrayNode out = Json.arr();
            for (MockInvite i : c.state.invites.values()) {
                if (i.guildId == g.id) {
                    out.add(ChannelRoutes.invite(c.state, i, true, false));
                }
            }
            return out;
        });
    }

    private static ObjectNode preview(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        ObjectNode o = Json.obj();
        o.put("id", Json.id(g.id));
        o.put("name", g.name);
        o.put("icon", g.icon);
        o.putNull("splash");
        o.putNull("discovery_splash");
        o.putArray("emojis");
        ArrayNode fs = o.putArray("features");
        g.features.forEach(fs::add);
        o.put("approximate_member_count", g.members.size());
        o.put("approximate_presence_count", 0);
        o.put("description", g.description);
        o.putArray("stickers");
        return o;
    }

    private static ObjectNode modify(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        Checks.guild(c.state, g, Permission.MANAGE_GUILD);
        ObjectNode body = c.body();
        if (body.has("name")) {
            String name = body.get("name").asText();
            int n = name.codePointCount(0, name.length());
            if (n < 2 || n > 100) {
                throw DiscordError.badLength("name", 2, 100);
            }
        }
        if (body.has("description") && !body.get("description").isNull()
                && body.get("description").asText().length() > 300) {
            throw DiscordError.maxLength("description", 300);
        }
        if (body.has("owner_id")) {
            throw DiscordError.missingPermissions(); // only the owner may transfer ownership
        }
        if (body.has("name")) {
            g.name = body.get("name").asText();
        }
        if (body.has("description")) {
            g.description = body.get("description").isNull() ? null : body.get("description").asText();
        }
        if (body.has("features") && body.get("features").isArray()) {
            List<String> wanted = new ArrayList<>();
            body.get("features").forEach(f -> wanted.add(f.asText()));
            if (wanted.contains("COMMUNITY") != g.features.contains("COMMUNITY")) {
                Checks.guild(c.state, g, Permission.ADMINISTRATOR);
            }
            g.features.clear();
            g.features.addAll(wanted);
        }
        c.state.audit(g, c.state.bot.id, 1, g.id, c.reason());
        ObjectNode out = g.toJson(false);
        c.state.emit("GUILD_UPDATE", g.id, out);
        return out;
    }

    private static ObjectNode createChannel(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        Checks.guild(c.state, g, Permission.MANAGE_CHANNELS);
        ObjectNode body = c.body();
        if (!body.hasNonNull("name")) {
            throw DiscordError.required("name");
        }
        checkChannelFields(body);
        int type = body.path("type").asInt(MockChannel.GUILD_TEXT);
        if (type != MockChannel.GUILD_TEXT && type != MockChannel.GUILD_VOICE && type != MockChannel.GUILD_CATEGORY
                && type != MockChannel.GUILD_ANNOUNCEMENT && type != MockChannel.GUILD_FORUM) {
            throw DiscordError.invalidForm("type", "BASE_TYPE_CHOICES", "Value must be one of {0, 2, 4, 5, 13, 15, 16}.");
        }
        List<Overwrite> overwrites = overwrites(c, g, body.get("permission_overwrites"));
        long parent = Math.max(0, Json.snowflake(body.get("parent_id")));
        if (parent != 0 && (g.channels.get(parent) == null || g.channels.get(parent).type != MockChannel.GUILD_CATEGORY)) {
            throw DiscordError.invalidForm("parent_id", "CHANNEL_PARENT_INVALID", "Category does not exist");
        }
        MockChannel ch = new MockChannel(c.state.nextId(), g.id, type, body.get("name").asText());
        ch.topic = Json.text(body, "topic", null);
        ch.nsfw = body.path("nsfw").asBoolean(false);
        ch.rateLimitPerUser = body.path("rate_limit_per_user").asInt(0);
        ch.parentId = parent;
        ch.position = body.has("position") ? body.get("position").asInt() : g.channels.size();
        overwrites.forEach(o -> ch.overwrites.put(o.id(), o));
        g.channels.put(ch.id, ch);
        c.state.audit(g, c.state.bot.id, 10, ch.id, c.reason());
        c.state.emit("CHANNEL_CREATE", g.id, ch.toJson());
        c.status(201);
        return ch.toJson();
    }

    private static JsonNode channelPositions(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        Checks.guild(c.state, g, Permission.MANAGE_CHANNELS);
        JsonNode body = c.json();
        if (body == null || !body.isArray()) {
            throw DiscordError.invalidForm("_root", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
        }
        for (JsonNode p : body) {
            MockChannel ch = g.channels.get(Json.snowflake(p.get("id")));
            if (ch == null) {
                throw DiscordError.unknownChannel();
            }
        }
        for (JsonNode p : body) {
            MockChannel ch = g.channels.get(Json.snowflake(p.get("id")));
            if (p.hasNonNull("position")) {
                ch.position = p.get("position").asInt();
            }
            if (p.has("parent_id")) {
                ch.parentId = Math.max(0, Json.snowflake(p.get("parent_id")));
            }
            c.state.emit("CHANNEL_UPDATE", g.id, ch.toJson());
        }
        return null;
    }

    private static ObjectNode auditLog(Call c) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        Checks.guild(c.state, g, Permission.VIEW_AUDIT_LOG);
        long user = c.queryId("user_id");
        String actionType = c.query("action_type");
        long before = c.queryId("before");
        long after = c.queryId("after");
        int limit = c.queryInt("limit", 50, 1, 100);
        ObjectNode o = Json.obj();
        ArrayNode entries = o.putArray("audit_log_entries");
        List<ObjectNode> all = new ArrayList<>(g.auditLog);
        java.util.Collections.reverse(all);
        List<Long> userIds = new ArrayList<>();
        for (ObjectNode e : all) {
            long id = Json.snowflake(e.get("id"));
            if ((user != 0 && Json.snowflake(e.get("user_id")) != user)
                    || (actionType != null && !actionType.equals(e.get("action_type").asText()))
                    || (before != 0 && Long.compareUnsigned(id, before) >= 0)
                    || (after != 0 && Long.compareUnsigned(id, after) <= 0)) {
                continue;
            }
            if (entries.size() >= limit) {
                break;
            }
            entries.add(e.deepCopy());
            long uid = Json.snowflake(e.get("user_id"));
            if (!userIds.contains(uid)) {
                userIds.add(uid);
            }
        }
        ArrayNode users = o.putArray("users");
        for (long uid : userIds) {
            if (c.state.users.containsKey(uid)) {
                users.add(c.state.users.get(uid).toJson());
            }
        }
        for (String empty : new String[] {"integrations", "webhooks", "guild_scheduled_events", "threads",
            "application_commands", "auto_moderation_rules"}) {
            o.putArray(empty);
        }
        return o;
    }

    private static ObjectNode rule(MockGuild g, long id) {
        ObjectNode r = g.autoModerationRules.get(id);
        if (r == null) {
            throw DiscordError.unknown(10066, "auto moderation rule");
        }
        return r;
    }

    private static ObjectNode saveRule(Call c, long id) {
        MockGuild g = c.state.botGuild(c.id("guild_id"));
        Checks.guild(c.state, g, Permission.MANAGE_GUILD);
        ObjectNode body = c.body();
        ObjectNode rule;
        if (id == 0) {
            for (String f : new String[] {"name", "event_type", "trigger_type", "actions"}) {
                if (!body.hasNonNull(f)) {
                    throw DiscordError.required(f);
                }
            }
            rule = Json.obj();
            rule.put("id", Json.id(c.state.nextId()));
            rule.put("guild_id", Json.id(g.id));
            rule.put("creator_id", Json.id(c.state.bot.id));
            rule.putObject("trigger_metadata");
            rule.put("enabled", false);
            rule.putArray("exempt_roles");
            rule.putArray("exempt_channels");
        } else {
            rule = rule(g, id);
        }
        if (body.path("exempt_roles").size() > 20) {
            throw DiscordError.invalidForm("exempt_roles", "BASE_TYPE_MAX_LENGTH", "Must be 20 or fewer in length.");
        }
        if (body.path("exempt_channels").size() > 50) {
            throw DiscordError.invalidForm("exempt_channels", "BASE_TYPE_MAX_LENGTH", "Must be 50 or fewer in length.");
        }
        body.properties().forEach(e -> {
            if (!e.getKey().equals("id") && !e.getKey().equals("guild_id") && !e.getKey().equals("creator_id")) {
                rule.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        long ruleId = Json.snowflake(rule.get("id"));
        g.autoModerationRules.put(ruleId, rule);
        c.state.audit(g, c.state.bot.id, id == 0 ? 140 : 141, ruleId, c.reason());
        return rule.deepCopy();
    }

    /** Overwrites from a create or modify body; setting them needs MANAGE_ROLES and only grantable bits. */
    static List<Overwrite> overwrites(Call c, MockGuild g, JsonNode list) {
        List<Overwrite> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        Checks.guild(c.state, g, Permission.MANAGE_ROLES);
        for (JsonNode o : list) {
            long id = Json.snowflake(o.get("id"));
            if (id < 0) {
                throw DiscordError.required("permission_overwrites.id");
            }
            long allow = Json.bits(o.get("allow"), 0);
            long deny = Json.bits(o.get("deny"), 0);
            Checks.grantable(c.state, g, allow | deny);
            out.add(new Overwrite(id, o.path("type").asInt(g.roles.containsKey(id) ? 0 : 1), allow, deny));
        }
        return out;
    }

    static void checkChannelFields(ObjectNode body) {
        if (body.has("name")) {
            String name = body.get("name").asText();
            int n = name.codePointCount(0, name.length());
            if (n < 1 || n > 100) {
                throw DiscordError.badLength("name", 1, 100);
            }
        }
        if (body.hasNonNull("topic") && body.get("topic").asText().length() > 1024) {
            throw DiscordError.maxLength("topic", 1024);
        }
        if (body.hasNonNull("rate_limit_per_user")) {
            int s = body.get("rate_limit_per_user").asInt();
            if (s < 0 || s > 21600) {
                throw DiscordError.invalidForm("rate_limit_per_user", "NUMBER_TYPE_MAX", "int value should be less than or equal to 21600.");
            }
        }
    }
}
