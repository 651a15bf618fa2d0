package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What people (not the bot) do in the mock: create a guild from a description, join, post a message, run a slash
 * command. The admin routes and in-process tests use these; each raises the events Discord would. Call under the
 * state lock.
 */
public final class MockActions {

    private final MockState state;

    public MockActions(MockState state) {
        this.state = state;
    }

    /**
     * Creates a guild from a description: {@code {id?, name, owner_id?, everyone_permissions?, roles: [{id?, name,
     * permissions?, position?, color?, hoist?, mentionable?}], channels: [{id?, name, type?, parent_id?, topic?,
     * permission_overwrites?}], members: [{user: {id?, username, bot?}, roles: [id or name], nick?}], bot_roles:
     * [id or name], include_bot?}}. Roles are referenced by id or name; the owner is {@code owner_id} or else the
     * first member. The bot joins with {@code bot_roles} unless {@code include_bot} is false.
     */
    public MockGuild createGuild(ObjectNode spec) {
        String name = Json.text(spec, "name", null);
        if (name == null || name.isBlank()) {
            throw DiscordError.required("name");
        }
        long id = spec.hasNonNull("id") ? parseId(spec.get("id"), "id") : state.nextId();
        JsonNode members = spec.path("members");
        long ownerId = spec.hasNonNull("owner_id") ? parseId(spec.get("owner_id"), "owner_id")
                : members.size() > 0 && members.get(0).path("user").hasNonNull("id") ? parseId(members.get(0).path("user").get("id"), "members.0.user.id")
                : -1;
        long everyone = Json.bits(spec.get("everyone_permissions"), Permission.of(Permission.VIEW_CHANNEL,
                Permission.SEND_MESSAGES, Permission.READ_MESSAGE_HISTORY, Permission.ADD_REACTIONS, Permission.EMBED_LINKS,
                Permission.ATTACH_FILES, Permission.CREATE_INSTANT_INVITE, Permission.CHANGE_NICKNAME,
                Permission.USE_APPLICATION_COMMANDS, Permission.CONNECT, Permission.SPEAK, Permission.SEND_MESSAGES_IN_THREADS,
                Permission.CREATE_PUBLIC_THREADS, Permission.USE_EXTERNAL_EMOJIS));
        MockGuild g = state.createGuild(id, name, Math.max(ownerId, 0), everyone);
        try {
            fill(g, spec, members);
        } catch (RuntimeException e) {
            state.guilds.remove(g.id); // all or nothing
            throw e;
        }
        state.emit("GUILD_CREATE", g.id, guildCreate(g));
        return g;
    }

    private void fill(MockGuild g, ObjectNode spec, JsonNode members) {
        g.description = Json.text(spec, "description", null);
        spec.path("features").forEach(f -> g.features.add(f.asText()));
        int position = 1;
        for (JsonNode r : spec.path("roles")) {
            long rid = r.hasNonNull("id") ? parseId(r.get("id"), "roles.id") : state.nextId();
            MockRole role = new MockRole(rid, Json.text(r, "name", "new role"), r.path("position").asInt(position),
                    Json.bits(r.get("permissions"), 0));
            role.color = r.path("color").asInt(0);
            role.hoist = r.path("hoist").asBoolean(false);
            role.mentionable = r.path("mentionable").asBoolean(false);
            g.roles.put(rid, role);
            position = Math.max(position, role.position) + 1;
        }
        for (JsonNode c : spec.path("channels")) {
            long cid = c.hasNonNull("id") ? parseId(c.get("id"), "channels.id") : state.nextId();
            MockChannel ch = new MockChannel(cid, g.id, c.path("type").asInt(MockChannel.GUILD_TEXT), Json.text(c, "name", "channel"));
            ch.topic = Json.text(c, "topic", null);
            ch.position = c.path("position").asInt(g.channels.size());
            ch.parentId = c.hasNonNull("parent_id") ? parseId(c.get("parent_id"), "channels.parent_id") : 0;
            for (JsonNode o : c.path("permission_overwrites")) {
                long target = resolveTarget(g, o.get("id"));
                int type = o.path("type").asInt(g.roles.containsKey(target) ? Overwrite.ROLE : Overwrite.MEMBER);
                ch.overwrites.put(target, new Overwrite(target, type, Json.bits(o.get("allow"), 0), Json.bits(o.get("deny"), 0)));
            }
            g.channels.put(cid, ch);
        }
        for (JsonNode m : members) {
            JsonNode u = m.path("user");
            long uid = u.hasNonNull("id") ? parseId(u.get("id"), "members.user.id") : state.nextId();
            MockUser user = state.putUser(uid, Json.text(u, "username", null), u.path("bot").asBoolean(false));
            MockMember member = state.addMember(g, user, roleIds(g, m.path("roles")), false);
            member.nick = Json.text(m, "nick", null);
            if (g.ownerId == 0) {
                g.ownerId = uid;
            }
        }
        if (spec.path("include_bot").asBoolean(true)) {
            state.addMember(g, state.bot, roleIds(g, spec.path("bot_roles")), false);
        }
        if (g.ownerId == 0 || !g.members.containsKey(g.ownerId)) {
            throw DiscordError.invalidForm("owner_id", "GUILD_OWNER_INVALID", "The owner must be one of the members");
        }
    }

    /** The guild as the admin state and a gateway's GUILD_CREATE show it: with channels, threads and members. */
    public ObjectNode guildCreate(MockGuild g) {
        ObjectNode o = g.toJson(false);
        ArrayNode channels = o.putArray("channels");
        ArrayNode threads = o.putArray("threads");
        for (MockChannel c : g.channels.values()) {
            (c.isThread() ? threads : channels).add(c.toJson());
        }
        ArrayNode members = o.putArray("members");
        g.members.values().forEach(m -> members.add(m.toJson()));
        o.put("member_count", g.members.size());
        o.put("joined_at", Json.time(g.members.containsKey(state.bot.id) ? g.members.get(state.bot.id).joinedAt : state.now()));
        o.put("large", false);
        o.put("unavailable", false);
        return o;
    }

    /** A member posts a message in a channel (MESSAGE_CREATE). */
    public MockMessage memberMessage(long guildId, long channelId, long authorId, ObjectNode body) {
        MockGuild g = state.guild(guildId);
        MockChannel ch = g.channels.get(channelId);
        if (ch == null) {
            throw DiscordError.unknownChannel();
        }
        MockMember member = state.member(g, authorId);
        MockMessage m = state.addMessage(ch, member.user.toJson(), authorId, null);
        if (body.has("content")) {
            m.content = body.get("content").asText();
        }
        if (body.has("embeds")) {
            m.embeds = Json.array(body.get("embeds"));
        }
        state.messageCreated(m);
        return m;
    }

    /**
     * A member runs a slash command (INTERACTION_CREATE). {@code command} need not be registered; when a command of
     * that name is (for the guild or globally), the interaction carries its id.
     */
    public MockInteraction slashCommand(long guildId, long channelId, long userId, String command, JsonNode options) {
        MockGuild g = state.guild(guildId);
        MockChannel ch = g.channels.get(channelId);
        if (ch == null) {
            throw DiscordError.unknownChannel();
        }
        MockMember member = state.member(g, userId);
        long commandId = 0;
        for (MockCommand c : state.commands.values()) {
            if (c.name().equals(command) && (c.guildId == guildId || (c.guildId == 0 && commandId == 0))) {
                commandId = c.id;
            }
        }
        ObjectNode data = Json.obj();
        data.put("id", Json.id(commandId != 0 ? commandId : state.nextId()));
        data.put("name", command);
        data.put("type", 1);
        data.put("guild_id", Json.id(guildId));
        data.set("options", options == null || options.isNull() ? Json.arr() : options.deepCopy());
        MockInteraction i = new MockInteraction(state.nextId(), "interaction." + state.newToken(32), state.applicationId, guildId,
                channelId, userId, data, state.now());
        state.interactionsByToken.put(i.token, i);
        state.emit("INTERACTION_CREATE", guildId, interactionJson(i, g, ch, member));
        return i;
    }

    /** Discord's interaction object. */
    public ObjectNode interactionJson(MockInteraction i) {
        MockGuild g = state.guild(i.guildId);
        return interactionJson(i, g, g.channels.get(i.channelId), g.members.get(i.userId));
    }

    private ObjectNode interactionJson(MockInteraction i, MockGuild g, MockChannel ch, MockMember member) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(i.id));
        o.put("application_id", Json.id(i.applicationId));
        o.put("type", 2);
        o.set("data", i.data.deepCopy());
        o.put("guild_id", Json.id(g.id));
        ObjectNode pg = o.putObject("guild");
        pg.put("id", Json.id(g.id));
        pg.put("locale", "en-US");
        pg.putArray("features");
        if (ch != null) {
            o.set("channel", ch.toJson());
            o.put("channel_id", Json.id(ch.id));
        }
        if (member != null) {
            ObjectNode m = member.toJson();
            m.put("permissions", Long.toString(ch == null ? Permissions.base(g, member, state.now())
                    : Permissions.inChannel(g, ch, member, state.now())));
            o.set("member", m);
        }
        o.put("token", i.token);
        o.put("version", 1);
        MockMember bot = g.members.get(state.bot.id);
        o.put("app_permissions", Long.toString(bot == null || ch == null ? 0 : Permissions.inChannel(g, ch, bot, state.now())));
        o.put("locale", "en-US");
        o.put("guild_locale", "en-US");
        o.putArray("entitlements");
        o.putObject("authorizing_integration_owners").put("0", Json.id(g.id));
        o.put("context", 0);
        return o;
    }

    private List<Long> roleIds(MockGuild g, JsonNode refs) {
        List<Long> out = new ArrayList<>();
        for (JsonNode r : refs) {
            out.add(resolveRole(g, r));
        }
        return out;
    }

    private static long resolveRole(MockGuild g, JsonNode ref) {
        String text = ref.asText();
        for (MockRole r : g.roles.values()) {
            if (Json.id(r.id).equals(text) || r.name.equalsIgnoreCase(text)) {
                return r.id;
            }
        }
        throw DiscordError.invalidForm("roles", "ROLE_UNKNOWN", "Unknown role '" + text + "' (give a role's id or name)");
    }

    /** An overwrite target: a role (by id or name, {@code @everyone} too) or a user id. */
    private static long resolveTarget(MockGuild g, JsonNode ref) {
        String text = ref == null ? "" : ref.asText();
        if (text.toLowerCase(Locale.ROOT).equals("@everyone")) {
            return g.id;
        }
        for (MockRole r : g.roles.values()) {
            if (Json.id(r.id).equals(text) || r.name.equalsIgnoreCase(text)) {
                return r.id;
            }
        }
        return parseId(ref, "permission_overwrites.id");
    }

    private static long parseId(JsonNode node, String field) {
        long id = Json.snowflake(node);
        if (id <= 0) {
            throw DiscordError.invalidForm(field, "NUMBER_TYPE_COERCE", "Value \"" + (node == null ? "" : node.asText()) + "\" is not snowflake.");
        }
        return id;
    }
}
