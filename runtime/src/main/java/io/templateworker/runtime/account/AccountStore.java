package io.templateworker.runtime.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Users, sessions and used OAuth2 codes. Token and code arguments are SHA-256 hashes (32 bytes). Failures are
 * {@link io.templateworker.runtime.store.StoreException}s.
 */
public interface AccountStore {

    /**
     * Creates a session for an existing user.
     *
     * @param tokenHash SHA-256 of the token handed to the client
     * @param name      the user's label for it, or null
     */
    Session createSession(String userId, byte[] tokenHash, SessionType type, String name, Instant expiry);

    /** The session whose token hashes to {@code tokenHash} and has not expired at {@code now}, or null. */
    SessionLookup findSession(byte[] tokenHash, Instant now);

    /** The user's sessions that have not expired at {@code now}, newest first. */
    List<Session> listSessions(String userId, Instant now);

    /** Deletes one of the user's sessions; false when the user has no session with that id. */
    boolean deleteSession(String userId, UUID sessionId);

    /** Deletes every session that expired before {@code now}; returns how many. */
    int purgeExpiredSessions(Instant now);

    /** Creates the user if missing (state {@code normal}); an existing user is left as is. */
    void ensureUser(String userId);

    /**
     * Creates or updates the user with fresh Discord OAuth2 credentials.
     *
     * @param refreshToken         null to keep none
     * @param accessTokenExpiresAt null when unknown
     */
    void saveDiscordTokens(String userId, String accessToken, String refreshToken, Instant accessTokenExpiresAt);

    /** The user, or null. */
    User user(String userId);

    /** Sets {@code users.state} ({@code normal}, {@code banned}); false if there is no such user. */
    boolean setUserState(String userId, String state);

    /** Stores the user's guild list JSON (from Discord) as their cache. */
    void saveGuildsCache(String userId, String guildsJson);

    /**
     * Records that an OAuth2 code was presented. Returns false when the same code was already recorded within
     * {@code window} before {@code now} (a reuse); records older than the window are forgotten.
     */
    boolean recordOAuthCode(byte[] codeHash, Instant now, Duration window);
}
