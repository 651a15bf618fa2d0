package io.templateworker.discord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionOverwrite;
import io.templateworker.runtime.discord.RoleInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link GuildState} from Discord's REST API, cached briefly (permission checks read the same guild many times in a
 * burst; a short time-to-live bounds how stale a check can be until the gateway keeps the state current). A guild the
 * bot cannot see and a user who is not a member read as null; other failures are {@link DiscordException}s.
 */
public final class RestGuildState implements GuildState {

    // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private final DiscordRest rest;
    private final Cache<Long, Optional<GuildInfo>> guilds;
    private final Cache<Long, List<ChannelInfo>> channelLists;
    private final Cache<Long, Optional<ChannelInfo>> channels;
    private final Cache<MemberKey, Optional<MemberInfo>> members;

    private record MemberKey(long guildId, long userId) {
    }

    /**
     * @param ttl      how long an answer is reused
     * @param capacity most entries per cache
     */
    public RestGuildState(DiscordRest rest, Duration ttl, long capacity) {
        this.rest = rest;
        this.guilds = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(capacity).build();
        this.channelLists = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(capacity).build();
        this.channels = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(capacity).build();
        this.members = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(capacity).build();
    }

    /** Ten seconds, up to 10,000 entries per cache. */
    public static RestGuildState withDefaults(DiscordRest rest) {
        return new RestGuildState(rest, Duration.ofSeconds(10), 10_000);
    }

    @Override
    public GuildInfo guild(long guildId) {
        return guilds.get(guildId, id -> Optional.ofNullable(fetch(DiscordRequest.get("/guilds/{guild_id}", id))).map(RestGuildState::guildOf))
                .orElse(null);
    }

    @Override
    public List<ChannelInfo> channels(long guildId) {
        return channelLists.get(guildId, id -> {
            JsonNode list = fetch(DiscordRequest.get("/guilds/{guild_id}/channels", id));
            List<ChannelInfo> out = new ArrayList<>();
            if (list != null) {
                list.forEach(c -> out.add(channelOf(c)));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public ChannelInfo channel(long guildId, long channelId) {
        for (ChannelInfo c : channels(guildId)) {
            if (c.id() == channelId) {
                return c;
            }
        }
        // Threads are not in the guild's channel list.
        ChannelInfo c = channels.get(channelId, id -> Optional.ofNullable(fetch(DiscordRequest.get("/channels/{channel_id}", id)))
                .map(RestGuildState::channelOf)).orElse(null);
        return c != null && c.guildId() == guildId ? c : null;
    }

    @Override
    public MemberInfo member(long guildId, long userId) {
        return members.get(new MemberKey(guildId, userId), k -> Optional.ofNullable(
                fetch(DiscordRequest.get("/guilds/{guild_id}/members/{user_id}", k.guildId(), k.userId())))
                .map(m -> memberOf(m))).orElse(null);
    }

    @Override
    public void invalidate(long guildId) {
        guilds.invalidate(guildId);
        channelLists.invalidate(guildId);
        channels.asMap().values().removeIf(c -> c.isPresent() && c.get().guildId() == guildId);
        members.asMap().keySet().removeIf(k -> k.guildId() == guildId);
    }

    /** The answer's JSON, or null for 404 and 403 (unknown, or not visible to the bot). */
    private JsonNode fetch(DiscordRequest request) {
        try {
            return JSON.readTree(rest.execute(request).body());
        } catch (DiscordException e) {
            if (e.kind() == DiscordException.Kind.HTTP && (e.status() == 404 || e.status() == 403)) {
                return null;
            }
            throw e;
        } catch (IOException e) {
            throw DiscordException.of(DiscordException.Kind.HTTP, "Discord answered " + request.route() + " with invalid JSON: "
                    + e.getMessage(), e);
        }
    }

    static GuildInfo guildOf(JsonNode g) {
        Map<Long, RoleInfo> roles = new LinkedHashMap<>();
        for (JsonNode r : g.path("roles")) {
            RoleInfo role = new RoleInfo(id(r.get("id")), r.path("name").asText(), r.path("position").asInt(),
                    bits(r.get("permissions")), r.path("managed").asBoolean());
            roles.put(role.id(), role);
        }
        List<String> features = new ArrayList<>();
        g.path("features").forEach(f -> features.add(f.asText()));
        return new GuildInfo(id(g.get("id")), g.path("name").asText(), id(g.get("owner_id")), List.copyOf(features),
                java.util.Collections.unmodifiableMap(roles), g);
    }

    static ChannelInfo channelOf(JsonNode c) {
        List<PermissionOverwrite> overwrites = new ArrayList<>();
        for (JsonNode o : c.path("permission_overwrites")) {
            overwrites.add(new PermissionOverwrite(id(o.get("id")), o.path("type").asInt(), bits(o.get("allow")), bits(o.get("deny"))));
        }
        return new ChannelInfo(id(c.get("id")), id(c.get("guild_id")), c.path("type").asInt(), c.path("name").asText(null),
                id(c.get("parent_id")), List.copyOf(overwrites), c);
    }

    static MemberInfo memberOf(JsonNode m) {
        List<Long> roles = new ArrayList<>();
        m.path("roles").forEach(r -> roles.add(id(r)));
        JsonNode until = m.get("communication_disabled_until");
        Instant timeout = until == null || until.isNull() ? null : OffsetDateTime.parse(until.asText()).toInstant();
        return new MemberInfo(id(m.path("user").get("id")), List.copyOf(roles), timeout, m);
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
        return n.isNumber() ? n.asLong() : Long.parseLong(n.asText());
    }
}
