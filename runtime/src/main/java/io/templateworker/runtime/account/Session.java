package io.templateworker.runtime.account;

import java.time.Instant;
import java.util.UUID;

/**
 * One session of a user, without its token (which is never stored in clear).
 *
 * @param name   the label the user gave it, or null
 * @param expiry when the token stops working
 */
public record Session(UUID id, String userId, String name, SessionType type, Instant createdAt, Instant expiry) {
}
