package io.templateworker.discord.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.RawJson;
import java.util.function.LongSupplier;

/**
 * Gateway dispatches → template events (UPSTREAM.md §7.2, §7.3). Dropped: {@code GUILD_CREATE} (it feeds the guild
 * state only), the session's own READY/RESUMED, self-events, and events without a guild (no DM or user tenants yet).
 * {@code MESSAGE_CREATE} is named {@code MESSAGE}; every other name is Discord's. The data is Discord's {@code d} as
 * received.
 *
 * <p>Behind Sandwich the guild and the acting user come from Sandwich's {@code __sandwich_edt} ({@code GuildID},
 * {@code UserID}), and dispatches without it are dropped, as upstream. Without Sandwich the guild is {@code d.guild_id}
 * ({@code d.id} for {@code GUILD_UPDATE}, which has no {@code guild_id}) and a self-event is one whose
 * {@code d.author} is the bot.
 */
public final class EventTranslator {

    /** A template event and the guild (tenant) it belongs to. */
    public record Routed(long guildId, CreateEvent event) {
    }

    // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private final LongSupplier botId;
    private final boolean sandwich;

    /**
     * @param botId    the bot's user id (0 while unknown: nothing is treated as a self-event)
     * @param sandwich whether dispatches come through a Sandwich gateway proxy
     */
    public EventTranslator(LongSupplier botId, boolean sandwich) {
        this.botId = botId;
        this.sandwich = sandwich;
    }

    /** The event to dispatch, or null when the rules drop it. */
    public Routed translate(GatewayEvent e) {
        String type = e.type();
        if (type.equals("GUILD_CREATE") || type.equals("READY") || type.equals("RESUMED") || type.isEmpty()) {
            return null;
        }
        JsonNode d = e.data();
        long bot = botId.getAsLong();
        long guild;
        if (sandwich) {
            JsonNode edt = e.sandwich();
            if (edt == null || !edt.isObject()) {
                return null;
            }
            long user = GatewayShard.parseId(edt.get("UserID"));
            if (bot != 0 && user == bot) {
                return null;
            }
            guild = GatewayShard.parseId(edt.get("GuildID"));
        } else {
            if (bot != 0 && GatewayShard.parseId(d.path("author").get("id")) == bot) {
                return null;
            }
            guild = GatewayShard.parseId(d.get("guild_id"));
            if (guild == 0 && type.equals("GUILD_UPDATE")) {
                guild = GatewayShard.parseId(d.get("id"));
            }
        }
        if (guild == 0) {
            return null;
        }
        byte[] data;
        try {
            data = JSON.writeValueAsBytes(d);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write back a parsed " + type + ": " + ex.getMessage(), ex);
        }
        return new Routed(guild, CreateEvent.ofJson(templateName(type), null, RawJson.wrap(data)));
    }

    /** The name templates see: Discord's, except {@code MESSAGE_CREATE} → {@code MESSAGE} (upstream compatibility). */
    public static String templateName(String gatewayType) {
        return gatewayType.equals("MESSAGE_CREATE") ? "MESSAGE" : gatewayType;
    }
}
