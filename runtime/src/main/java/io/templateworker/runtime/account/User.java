package io.templateworker.runtime.account;

import java.time.Instant;

/**
 * A row of {@code users}.
 *
 * @param state                {@code normal} or {@code banned}
 * @param accessToken          the user's Discord OAuth2 access token, or null
 * @param refreshToken         its refresh token, or null
 * @param accessTokenExpiresAt when the access token expires, or null when unknown
 * @param guildsCache          the JSON of the user's last guild list from Discord, or null
 */
public record User(String userId, String state, String accessToken, String refreshToken, Instant accessTokenExpiresAt,
                   String guildsCache) {
}
