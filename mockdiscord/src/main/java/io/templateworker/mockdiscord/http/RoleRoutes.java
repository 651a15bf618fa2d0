package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockMember;
import io.templateworker.mockdiscord.state.MockRole;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.Permission;
import io.templateworker.mockdiscord.state.Permissions;

/** Guild roles: list, get, create, modify, reorder, delete — with Discord's hierarchy rules. */
final class RoleRoutes {

    private RoleRoutes() {
    }

    static void register(Api api) {
        api.get("/guilds/{guild_id}/roles", "guilds.roles", Auth.BOT, c -> roles(c.state.botGuild(c.id("guild_id"))));
        api.get("/guilds/{guild_id}/roles/{role_id}", "guilds.roles", Auth.BOT, c -> {
            MockGuild g = c.state.botGuild(c.id("guild_id"));
            return c.state.role(g, c.id("role_id")).toJson();
        });
        api.post("/guilds/{guild_id}/roles", "guilds.roles.create", Auth.BOT, RoleRoutes::create);
        api.patch("/guilds/{guild_id}/roles", "guilds.roles.positions", Auth.BOT, RoleRoutes::positions);
        api.patch("/guilds/{guild_id}/roles/{role_id}", "guilds.roles.modify", Auth.BOT, RoleRoutes::modify);
        api.delete("/guilds/{guild_id}/roles/{role_id}", "guilds.roles.delete", Auth.BOT, c -> {
            MockState s = c.state;
            MockGuild g = s.botGuild(c.id("guild_id"));
            MockRole role = s.role(g, c.id("role_id"));
            Checks.guild(s, g, Permission.MANAGE_ROLES);
            Checks.above(s, g, role);
            if (role.managed || role.id == g.id) {
                throw new DiscordError(400, 50028, "Invalid Role");
            }
            g.roles.remove(role.id);
            for (MockMember m : g.members.values()) {
                m.roles.remove(role.id);
            }
            s.audit(g, s.bot.id, 32, role.id, c.reason());
            ObjectNode d = Json.obj();
            d.put("guild_id", Json.id(g.id));
            d.put("role_id", Json.id(role.id));
            s.emit("GUILD_ROLE_DELETE", g.id, d);
            return null;
        });
    }

    private static ArrayNode roles(MockGuild g) {
        ArrayNode out = Json.arr();
        g.roles.values().forEach(r -> out.add(r.toJson()));
        return out;
    }

    private static void checkName(ObjectNode body) {
        if (body.has("name")) {
            String n = body.get("name").asText();
            int len = n.codePointCount(0, n.length());
            if (len < 1 || len > 100) {
                throw DiscordError.badLength("name", 1, 100);
            }
        }
    }

    private static void apply(MockRole role, ObjectNode body) {
        if (body.has("name")) {
            role.name = body.get("name").asText();
        }
        if (body.has("color")) {
            role.color = body.get("color").asInt();
        }
        if (body.has("colors")) {
            role.color = body.get("colors").path("primary_color").asInt(role.color);
        }
        if (body.has("hoist")) {
            role.hoist = body.get("hoist").asBoolean();
        }
        if (body.has("mentionable")) {
            role.mentionable = body.get("mentionable").asBoolean();
        }
        if (body.has("unicode_emoji")) {
            role.unicodeEmoji = body.get("unicode_emoji").isNull() ? null : body.get("unicode_emoji").asText();
        }
        if (body.has("icon")) {
            role.icon = body.get("icon").isNull() ? null : Integer.toHexString(body.get("icon").asText().hashCode());
        }
    }

    private static ObjectNode create(Call c) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        Checks.guild(s, g, Permission.MANAGE_ROLES);
        ObjectNode body = c.body();
        checkName(body);
        long perms = Json.bits(body.get("permissions"), g.everyone().permissions);
        Checks.grantable(s, g, perms);
        if (body.hasNonNull("icon") && !g.features.contains("ROLE_ICONS")) {
            throw DiscordError.invalidForm("icon", "MISSING_FEATURE", "This server needs more boosts to perform this action");
        }
        // A new role goes just above @everyone; the others move up.
        for (MockRole r : g.roles.values()) {
            if (r.id != g.id) {
                r.position++;
            }
        }
        MockRole role = new MockRole(s.nextId(), "new role", 1, perms);
        apply(role, body);
        g.roles.put(role.id, role);
        s.audit(g, s.bot.id, 30, role.id, c.reason());
        emitRole(s, g, role, "GUILD_ROLE_CREATE");
        return role.toJson();
    }

    private static ObjectNode modify(Call c) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        MockRole role = s.role(g, c.id("role_id"));
        Checks.guild(s, g, Permission.MANAGE_ROLES);
        Checks.above(s, g, role);
        ObjectNode body = c.body();
        checkName(body);
        if (body.has("permissions")) {
            long perms = Json.bits(body.get("permissions"), role.permissions);
            Checks.grantable(s, g, perms & ~role.permissions);
            role.permissions = perms;
        }
        apply(role, body);
        s.audit(g, s.bot.id, 31, role.id, c.reason());
        emitRole(s, g, role, "GUILD_ROLE_UPDATE");
        return role.toJson();
    }

    private static ArrayNode positions(Call c) {
        MockState s = c.state;
        MockGuild g = s.botGuild(c.id("guild_id"));
        Checks.guild(s, g, Permission.MANAGE_ROLES);
        JsonNode body = c.json();
        if (body == null || !body.isArray()) {
            throw DiscordError.invalidForm("_root", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
        }
        MockMember bot = Checks.botMember(s, g);
        int top = Permissions.highest(g, bot);
        for (JsonNode p : body) {
            MockRole r = s.role(g, Json.snowflake(p.get("id")));
            int to = p.path("position").asInt(r.position);
            if (r.id == g.id || (bot.user.id != g.ownerId && (r.position >= top || to >= top))) {
                throw DiscordError.missingPermissions();
            }
        }
        for (JsonNode p : body) {
            MockRole r = g.roles.get(Json.snowflake(p.get("id")));
            r.position = p.path("position").asInt(r.position);
            emitRole(s, g, r, "GUILD_ROLE_UPDATE");
        }
        s.audit(g, s.bot.id, 31, 0, c.reason());
        return roles(g);
    }

    private static void emitRole(MockState s, MockGuild g, MockRole role, String type) {
        ObjectNode d = Json.obj();
        d.put("guild_id", Json.id(g.id));
        d.set("role", role.toJson());
        s.emit(type, g.id, d);
    }
}
