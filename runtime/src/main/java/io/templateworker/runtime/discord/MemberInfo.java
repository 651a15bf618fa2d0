package io.templateworker.runtime.discord;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A guild member.
 *
 * @param roles                      role ids (never {@code @everyone})
 * @param communicationDisabledUntil end of a timeout, or null
 * @param raw                        Discord's guild member object with its user
 */
public record MemberInfo(long userId, List<Long> roles, Instant communicationDisabledUntil, JsonNode raw) {

    public boolean timedOut(Instant now) {
        return communicationDisabledUntil != null && communicationDisabledUntil.isAfter(now);
    }
}
