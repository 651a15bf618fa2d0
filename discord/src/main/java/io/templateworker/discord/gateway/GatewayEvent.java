package io.templateworker.discord.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One dispatch (op 0) as received.
 *
 * @param shard    the shard it came on
 * @param type     Discord's event name ({@code t}), e.g. {@code MESSAGE_CREATE}
 * @param seq      its sequence number in the session ({@code s}), 0 for RESUMED
 * @param data     the payload ({@code d})
 * @param sandwich Sandwich's {@code __sandwich_edt} metadata ({@code {GuildID, UserID}}), or null without a proxy
 */
public record GatewayEvent(int shard, String type, long seq, JsonNode data, JsonNode sandwich) {
}
