package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Something that happened in the mock, in the form Discord's gateway dispatches it.
 *
 * @param type    the gateway dispatch name: {@code MESSAGE_CREATE}, {@code GUILD_MEMBER_ADD}, {@code INTERACTION_CREATE}, …
 * @param guildId the guild it happened in (0 when none)
 * @param data    the dispatch's {@code d} payload, shaped as Discord sends it
 */
public record MockEvent(String type, long guildId, ObjectNode data) {
}
