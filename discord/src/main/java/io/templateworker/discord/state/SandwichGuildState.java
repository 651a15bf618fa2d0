package io.templateworker.discord.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GuildState} read from Sandwich's cache through its HTTP API ({@code meta.sandwich_http_api}, UPSTREAM.md §10.2),
 * as upstream reads it: {@code GET antiraid/api/state?col=guilds|guild_roles|guild_channels|channels|members&id=…
 * [&guild_id=…]}, each answering {@code {ok, data, error}} with Discord's objects. A miss ({@code ok} false or no
 * {@code data}) — and, unlike upstream, a Sandwich that cannot be reached — falls back to {@code fallback} (Discord's
 * REST API), so a Sandwich restart slows checks down instead of failing them.
 */
public final class SandwichGuildState implements GuildState {

    private static final Logger LOG = LoggerFactory.getLogger(SandwichGuildState.class);
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    /** Upstream's per-request timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String base;
    private final GuildState fallback;
    private final HttpClient http;

    /**
     * @param base     Sandwich's HTTP API, e.g. {@code http://localhost:29334}
     * @param fallback answers what Sandwich does not hold (usually {@link RestGuildState})
     */
    public SandwichGuildState(String base, GuildState fallback) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.fallback = fallback;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public GuildInfo guild(long guildId) {
        JsonNode g = state("guilds", guildId, 0);
        if (g == null || !g.isObject()) {
            return fallback.guild(guildId);
        }
        if (!g.has("roles") || g.get("roles").isEmpty()) {
            JsonNode roles = state("guild_roles", guildId, 0);
            if (roles != null) {
                g = ((ObjectNode) g.deepCopy()).set("roles", list(roles));
            }
        } else {
            g = ((ObjectNode) g.deepCopy()).set("roles", list(g.get("roles")));
        }
        return RestGuildState.guildOf(g);
    }

    @Override
    public List<ChannelInfo> channels(long guildId) {
        JsonNode list = state("guild_channels", guildId, 0);
        if (list == null) {
            return fallback.channels(guildId);
        }
        List<ChannelInfo> out = new ArrayList<>();
        for (JsonNode c : list(list)) {
            ChannelInfo info = RestGuildState.channelOf(withGuild(c, guildId));
            if (!info.isThread()) {
                out.add(info);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public ChannelInfo channel(long guildId, long channelId) {
        JsonNode c = state("channels", channelId, guildId);
        if (c == null || !c.isObject()) {
            return fallback.channel(guildId, channelId);
        }
        ChannelInfo info = RestGuildState.channelOf(withGuild(c, guildId));
        return info.guildId() == guildId ? info : null;
    }

    @Override
    public MemberInfo member(long guildId, long userId) {
        JsonNode m = state("members", userId, guildId);
        if (m == null || !m.isObject() || !m.path("user").hasNonNull("id")) {
            return fallback.member(guildId, userId);
        }
        return RestGuildState.memberOf(m);
    }

    @Override
    public void invalidate(long guildId) {
        fallback.invalidate(guildId); // Sandwich keeps its own cache current from the gateway
    }

    /** Sandwich's {@code data} for one state lookup, or null on a miss or when Sandwich cannot be asked. */
    private JsonNode state(String col, long id, long guildId) {
        String url = base + "antiraid/api/state?col=" + URLEncoder.encode(col, StandardCharsets.UTF_8) + "&id="
                + Long.toUnsignedString(id) + (guildId != 0 ? "&guild_id=" + Long.toUnsignedString(guildId) : "");
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                LOG.debug("Sandwich answered {} to GET {}; asking Discord instead", r.statusCode(), url);
                return null;
            }
            JsonNode reply = JSON.readTree(r.body());
            JsonNode data = reply.path("data");
            return reply.path("ok").asBoolean(false) && !data.isNull() && !data.isMissingNode() ? data : null;
        } catch (IOException e) {
            LOG.warn("Sandwich at {} could not be asked ({}); asking Discord instead", base, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sandwich may send a list or an object keyed by id (a cache map): the values either way. */
    private static JsonNode list(JsonNode listOrMap) {
        if (listOrMap.isArray()) {
            return listOrMap;
        }
        var out = JSON.createArrayNode();
        listOrMap.forEach(out::add);
        return out;
    }

    /** Cached channels may lack {@code guild_id}; permission checks compare it. */
    private static JsonNode withGuild(JsonNode channel, long guildId) {
        if (channel.hasNonNull("guild_id") || guildId == 0) {
            return channel;
        }
        return ((ObjectNode) channel.deepCopy()).put("guild_id", Long.toUnsignedString(guildId));
    }
}
