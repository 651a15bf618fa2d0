package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.event.RawJson;
import java.time.Instant;
import java.util.List;

/**
 * A guild member.
 *
 * @param roles                      role ids (never {@code @everyone})
 * @param communicationDisabledUntil end of a timeout, or null
 * @param json                       Discord's guild member object with its user, as JSON text (see {@link #raw()})
 */
public record MemberInfo(long userId, List<Long> roles, Instant communicationDisabledUntil, RawJson json) {

    /** From a parsed member object (kept as compact JSON text). */
    public MemberInfo(long userId, List<Long> roles, Instant communicationDisabledUntil, JsonNode raw) {
        this(userId, roles, communicationDisabledUntil, CompactJson.of(raw));
    }

    public boolean timedOut(Instant now) {
        return communicationDisabledUntil != null && communicationDisabledUntil.isAfter(now);
    }

    /** Discord's guild member object with its user (parsed from {@link #json()} at each call). */
    public JsonNode raw() {
        return CompactJson.tree(json);
    }
}
