package io.templateworker.discord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.RoleInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guild state kept current from gateway events: {@code GUILD_CREATE} fills a guild (roles, channels, threads, the
 * members Discord includes), and guild, role, channel, thread and member events keep it up to date; message and
 * interaction events refresh their author's membership. Lookups the cache cannot answer (a guild not received yet,
 * a member of a large guild) go to {@code fallback} (REST with a short cache); members fetched that way are kept when
 * member events keep them current (the GUILD_MEMBERS intent).
 *
 * <p>Objects are kept parsed where the checks read them (ids, roles, permissions, overwrites) and otherwise as compact
 * JSON text ({@code raw()} parses it again for templates and the API); GUILD_CREATE's channel and member lists are not
 * kept inside the guild object. {@code bin/bench gateway} prints the bytes per guild and per member.
 *
 * <p>A guild belongs to one shard, and a shard delivers its events one at a time, so each guild has one writer;
 * readers on any thread see whole objects (records replaced, never changed).
 */
public final class GatewayGuildState implements GuildState {

    /** One guild's state. */
    private static final class Cached {
        volatile GuildInfo guild;
        final Map<Long, ChannelInfo> channels = new ConcurrentHashMap<>();
        final Map<Long, MemberInfo> members = new ConcurrentHashMap<>();

        Cached(GuildInfo guild) {
            this.guild = guild;
        }
    }

    private final Map<Long, Cached> guilds = new ConcurrentHashMap<>();
    private final GuildState fallback;
    private final boolean membersTracked;

    /**
     * @param fallback       answers what the cache does not hold (usually {@link RestGuildState})
     * @param membersTracked whether the gateway sends member events (the GUILD_MEMBERS intent), so fetched members stay
     *                       current and may be kept
     */
    public GatewayGuildState(GuildState fallback, boolean membersTracked) {
        this.fallback = fallback;
        this.membersTracked = membersTracked;
    }

    // ---- lookups ----

    @Override
    public GuildInfo guild(long guildId) {
        Cached c = guilds.get(guildId);
        return c != null ? c.guild : fallback.guild(guildId);
    }

    @Override
    public List<ChannelInfo> channels(long guildId) {
        Cached c = guilds.get(guildId);
        if (c == null) {
            return fallback.channels(guildId);
        }
        List<ChannelInfo> out = new ArrayList<>();
        for (ChannelInfo ch : c.channels.values()) {
            if (!ch.isThread()) {
                out.add(ch);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public ChannelInfo channel(long guildId, long channelId) {
        Cached c = guilds.get(guildId);
        if (c == null) {
            return fallback.channel(guildId, channelId);
        }
        ChannelInfo ch = c.channels.get(channelId);
        return ch != null ? ch : fallback.channel(guildId, channelId); // e.g. an archived thread
    }

    @Override
    public MemberInfo member(long guildId, long userId) {
        Cached c = guilds.get(guildId);
        if (c != null) {
            MemberInfo m = c.members.get(userId);
            if (m != null) {
                return m;
            }
        }
        MemberInfo fetched = fallback.member(guildId, userId);
        if (fetched != null && c != null && membersTracked) {
            c.members.putIfAbsent(userId, fetched);
        }
        return fetched;
    }

    /** Events keep cached guilds current; only what the fallback cached is forgotten. */
    @Override
    public void invalidate(long guildId) {
        fallback.invalidate(guildId);
    }

    /** Whether the gateway delivered this guild (the bot is in it). */
    public boolean knows(long guildId) {
        return guilds.containsKey(guildId);
    }

    /** How many guilds the gateway delivered. */
    public int guildCount() {
        return guilds.size();
    }

    /** How many members are cached for a guild (tests, statistics). */
    public int cachedMembers(long guildId) {
        Cached c = guilds.get(guildId);
        return c == null ? 0 : c.members.size();
    }

    // ---- events ----

    /** Learns from one dispatch ({@code type}, {@code d}); unknown types are ignored. */
    public void apply(String type, JsonNode d) {
        switch (type) {
            case "GUILD_CREATE" -> guildCreate(d);
            case "GUILD_UPDATE" -> {
                Cached c = guilds.get(id(d.get("id")));
                if (c != null) {
                    c.guild = RestGuildState.guildOf(d);
                }
            }
            case "GUILD_DELETE" -> {
                if (!d.path("unavailable").asBoolean(false)) {
                    guilds.remove(id(d.get("id"))); // the bot left or was removed; an outage keeps the last state
                }
            }
            case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE" -> withGuild(d, c -> {
                JsonNode r = d.path("role");
                RoleInfo role = new RoleInfo(id(r.get("id")), r.path("name").asText(), r.path("position").asInt(),
                        bits(r.get("permissions")), r.path("managed").asBoolean());
                Map<Long, RoleInfo> roles = new LinkedHashMap<>(c.guild.roles());
                roles.put(role.id(), role);
                c.guild = withRoles(c.guild, roles, role.id(), r);
            });
            case "GUILD_ROLE_DELETE" -> withGuild(d, c -> {
                long roleId = id(d.get("role_id"));
                Map<Long, RoleInfo> roles = new LinkedHashMap<>(c.guild.roles());
                roles.remove(roleId);
                c.guild = withRoles(c.guild, roles, roleId, null);
            });
            case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE" -> withGuild(d, c -> {
                ChannelInfo ch = RestGuildState.channelOf(d);
                c.channels.put(ch.id(), ch);
            });
            case "CHANNEL_DELETE", "THREAD_DELETE" -> withGuild(d, c -> c.channels.remove(id(d.get("id"))));
            case "THREAD_LIST_SYNC" -> withGuild(d, c -> d.path("threads").forEach(t -> {
                ChannelInfo ch = RestGuildState.channelOf(t);
                c.channels.put(ch.id(), ch);
            }));
            case "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE" -> withGuild(d, c -> putMember(c, d));
            case "GUILD_MEMBER_REMOVE" -> withGuild(d, c -> c.members.remove(id(d.path("user").get("id"))));
            case "GUILD_MEMBERS_CHUNK" -> withGuild(d, c -> d.path("members").forEach(m -> putMember(c, m)));
            case "MESSAGE_CREATE" -> withGuild(d, c -> {
                // A guild message carries its author's member object without the user: refresh that member.
                if (d.hasNonNull("member") && d.path("author").hasNonNull("id") && !d.has("webhook_id")) {
                    ObjectNode m = d.get("member").deepCopy();
                    m.set("user", d.get("author"));
                    putMember(c, m);
                }
            });
            case "INTERACTION_CREATE" -> withGuild(d, c -> {
                if (d.path("member").path("user").hasNonNull("id")) {
                    ObjectNode m = d.get("member").deepCopy();
                    m.remove("permissions"); // the interaction's computed permissions, not part of a member
                    putMember(c, m);
                }
            });
            default -> {
            }
        }
    }

    private void guildCreate(JsonNode d) {
        if (d.path("unavailable").asBoolean(false)) {
            return; // an outage: Discord sends the guild again when it is back
        }
        long guildId = id(d.get("id"));
        Cached c = new Cached(RestGuildState.guildOf(withoutGatewayLists(d)));
        for (JsonNode list : List.of(d.path("channels"), d.path("threads"))) {
            for (JsonNode ch : list) {
                // GUILD_CREATE's channels carry no guild_id; permission checks compare it.
                ObjectNode copy = ch.deepCopy();
                copy.put("guild_id", Long.toUnsignedString(guildId));
                ChannelInfo info = RestGuildState.channelOf(copy);
                c.channels.put(info.id(), info);
            }
        }
        for (JsonNode m : d.path("members")) {
            putMember(c, m);
        }
        guilds.put(guildId, c);
    }

    /** GUILD_CREATE's lists that are kept apart (channels, members) or not at all: not part of the guild object. */
    private static final java.util.Set<String> GATEWAY_LISTS = java.util.Set.of("channels", "threads", "members", "presences",
            "voice_states", "stage_instances", "guild_scheduled_events", "soundboard_sounds");

    /** The guild object of a GUILD_CREATE, as {@code GET /guilds/{id}} has it (without the gateway's extra lists). */
    private static JsonNode withoutGatewayLists(JsonNode d) {
        ObjectNode guild = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        d.properties().forEach(e -> {
            if (!GATEWAY_LISTS.contains(e.getKey())) {
                guild.set(e.getKey(), e.getValue());
            }
        });
        return guild;
    }

    private void putMember(Cached c, JsonNode m) {
        long userId = id(m.path("user").get("id"));
        if (userId == 0) {
            return;
        }
        c.members.put(userId, RestGuildState.memberOf(m));
    }

    private void withGuild(JsonNode d, java.util.function.Consumer<Cached> work) {
        Cached c = guilds.get(id(d.get("guild_id")));
        if (c != null) {
            work.accept(c);
        }
    }

    /** The guild with {@code roles}; its raw object's role {@code changedId} replaced by {@code changed} (null: removed). */
    private static GuildInfo withRoles(GuildInfo g, Map<Long, RoleInfo> roles, long changedId, JsonNode changed) {
        ObjectNode raw = g.raw().deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode list = raw.putArray("roles");
        boolean replaced = false;
        for (JsonNode r : g.raw().path("roles")) {
            if (id(r.get("id")) == changedId) {
                replaced = true;
                if (changed != null) {
                    list.add(changed);
                }
            } else {
                list.add(r);
            }
        }
        if (!replaced && changed != null) {
            list.add(changed);
        }
        return new GuildInfo(g.id(), g.name(), g.ownerId(), g.features(), Collections.unmodifiableMap(roles), raw);
    }

    private static long id(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(n.asText());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long bits(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        try {
            return n.isNumber() ? n.asLong() : Long.parseLong(n.asText());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
