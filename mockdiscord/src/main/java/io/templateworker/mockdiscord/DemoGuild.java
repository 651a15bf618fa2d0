package io.templateworker.mockdiscord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.Permission;

/**
 * The demo guild local mode seeds, with the same ids on every start: a category with the text channels
 * {@code general} and {@code mod-log}, the roles Moderator and Member, the owner, two members (alice, a moderator, and
 * bob; neither has MANAGE_GUILD or ADMINISTRATOR) and the bot with a role above theirs that may send messages and
 * moderate.
 */
public final class DemoGuild {

    public static final long GUILD_ID = 1064135068928454766L;
    public static final long CATEGORY_ID = 1064135068928454779L;
    public static final long GENERAL_CHANNEL_ID = 1064135068928454780L;
    public static final long MOD_LOG_CHANNEL_ID = 1064135068928454781L;
    public static final long MEMBER_ROLE_ID = 1064135068928454770L;
    public static final long MODERATOR_ROLE_ID = 1064135068928454771L;
    public static final long BOT_ROLE_ID = 1064135068928454772L;
    public static final long OWNER_ID = 1064135068928454790L;
    public static final long ALICE_ID = 1064135068928454791L;
    public static final long BOB_ID = 1064135068928454792L;

    /** What the bot's role may do: talk, read, react, manage messages and threads, moderate members, manage roles. */
    public static final long BOT_PERMISSIONS = Permission.of(Permission.VIEW_CHANNEL, Permission.SEND_MESSAGES,
            Permission.SEND_MESSAGES_IN_THREADS, Permission.EMBED_LINKS, Permission.ATTACH_FILES, Permission.READ_MESSAGE_HISTORY,
            Permission.ADD_REACTIONS, Permission.MANAGE_MESSAGES, Permission.MANAGE_THREADS, Permission.CREATE_PUBLIC_THREADS,
            Permission.KICK_MEMBERS, Permission.BAN_MEMBERS, Permission.MODERATE_MEMBERS, Permission.MANAGE_ROLES,
            Permission.MANAGE_NICKNAMES, Permission.MANAGE_WEBHOOKS, Permission.VIEW_AUDIT_LOG, Permission.CREATE_INSTANT_INVITE);

    private DemoGuild() {
    }

    /** Adds the demo guild to a running mock (once; a second call changes nothing). */
    public static MockGuild seed(MockDiscord discord) {
        return discord.locked(actions -> {
            MockGuild existing = discord.state().guilds.get(GUILD_ID);
            return existing != null ? existing : actions.createGuild(spec());
        });
    }

    /** The description {@code POST /__mock/guilds} takes for the demo guild. */
    public static ObjectNode spec() {
        ObjectNode g = Json.obj();
        g.put("id", Json.id(GUILD_ID));
        g.put("name", "Template Worker demo");
        g.put("owner_id", Json.id(OWNER_ID));
        ArrayNode roles = g.putArray("roles");
        role(roles, MEMBER_ROLE_ID, "Member", 1, 0);
        role(roles, MODERATOR_ROLE_ID, "Moderator", 2, Permission.of(Permission.KICK_MEMBERS, Permission.MANAGE_MESSAGES,
                Permission.MODERATE_MEMBERS, Permission.VIEW_AUDIT_LOG));
        role(roles, BOT_ROLE_ID, "Template Worker", 3, BOT_PERMISSIONS);
        ArrayNode channels = g.putArray("channels");
        channel(channels, CATEGORY_ID, "Text Channels", 4, 0).putArray("permission_overwrites");
        channel(channels, GENERAL_CHANNEL_ID, "general", 0, CATEGORY_ID).put("topic", "Say hello; templates answer here");
        ObjectNode modLog = channel(channels, MOD_LOG_CHANNEL_ID, "mod-log", 0, CATEGORY_ID);
        modLog.put("topic", "Moderators and the bot only");
        ArrayNode overwrites = modLog.putArray("permission_overwrites");
        overwrite(overwrites, GUILD_ID, 0, 0, Permission.VIEW_CHANNEL.bit());
        overwrite(overwrites, MODERATOR_ROLE_ID, 0, Permission.VIEW_CHANNEL.bit(), 0);
        overwrite(overwrites, BOT_ROLE_ID, 0, Permission.VIEW_CHANNEL.bit(), 0);
        ArrayNode members = g.putArray("members");
        member(members, OWNER_ID, "demo-owner", null);
        member(members, ALICE_ID, "alice", MODERATOR_ROLE_ID).withArray("roles").add(Json.id(MEMBER_ROLE_ID));
        member(members, BOB_ID, "bob", MEMBER_ROLE_ID);
        g.putArray("bot_roles").add(Json.id(BOT_ROLE_ID));
        return g;
    }

    private static void role(ArrayNode roles, long id, String name, int position, long permissions) {
        ObjectNode r = roles.addObject();
        r.put("id", Json.id(id));
        r.put("name", name);
        r.put("position", position);
        r.put("permissions", Long.toString(permissions));
        r.put("hoist", true);
    }

    private static ObjectNode channel(ArrayNode channels, long id, String name, int type, long parent) {
        ObjectNode c = channels.addObject();
        c.put("id", Json.id(id));
        c.put("name", name);
        c.put("type", type);
        if (parent != 0) {
            c.put("parent_id", Json.id(parent));
        }
        return c;
    }

    private static void overwrite(ArrayNode list, long id, int type, long allow, long deny) {
        ObjectNode o = list.addObject();
        o.put("id", Json.id(id));
        o.put("type", type);
        o.put("allow", Long.toString(allow));
        o.put("deny", Long.toString(deny));
    }

    private static ObjectNode member(ArrayNode members, long id, String username, Long role) {
        ObjectNode m = members.addObject();
        ObjectNode u = m.putObject("user");
        u.put("id", Json.id(id));
        u.put("username", username);
        ArrayNode roles = m.putArray("roles");
        if (role != null) {
            roles.add(Json.id(role));
        }
        return m;
    }
}
