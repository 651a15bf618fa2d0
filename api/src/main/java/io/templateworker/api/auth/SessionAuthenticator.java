package io.templateworker.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.Snowflakes;
import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.account.Session;
import io.templateworker.runtime.account.SessionLookup;
import io.templateworker.runtime.store.StoreException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates with session tokens (UPSTREAM.md §4.3), fixing upstream's gaps: tokens are looked up by their
 * SHA-256 hash only, banned users are refused (403 ApiBanned), and expired tokens are purged by
 * {@link SessionPurger} rather than by a DELETE on every request.
 *
 * <p>A valid token's session is cached for {@link #CACHE_TTL}, so a busy client costs one hash per request and
 * one query per interval. Deleting a session through this class evicts it at once; a ban or a deletion made
 * elsewhere (another instance, the shell) takes effect within the interval. Expiry is checked on every request.
 */
public final class SessionAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAuthenticator.class);
    /** How long a looked-up session is trusted without asking the database again. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final AccountStore accounts;
    private final Set<String> rootUsers;
    private final boolean loopbackRoot;
    private final GuildManagers guilds;
    private final InstantSource clock;
    private final Cache<TokenHash, SessionLookup> sessions = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();

    /**
     * @param rootUsers    {@code discord_auth.root_users}
     * @param loopbackRoot {@code api.loopback_root}: requests from this machine without a token act as root
     * @param guilds       who may manage which guild ({@link GuildManagers#NONE} without guild state)
     */
    public SessionAuthenticator(AccountStore accounts, Set<String> rootUsers, boolean loopbackRoot, GuildManagers guilds,
                                InstantSource clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.rootUsers = Set.copyOf(rootUsers);
        this.loopbackRoot = loopbackRoot;
        this.guilds = Objects.requireNonNull(guilds, "guilds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean loopbackRoot() {
        return loopbackRoot;
    }

    public boolean isRoot(String userId) {
        return rootUsers.contains(userId);
    }

    @Override
    public Caller authenticate(Context ctx, Access access) {
        String ip = ctx.req().getRemoteAddr();
        String token = ctx.header("Authorization");
        if (token == null || token.isEmpty()) {
            if (loopbackRoot && Authenticator.isDirectLoopback(ctx)) {
                return new Caller(LoopbackIdentity.USER_ID, null, true, Caller.Kind.LOOPBACK_ROOT, ip);
            }
            if (access == Access.PUBLIC) {
                return new Caller(null, null, false, Caller.Kind.ANONYMOUS, ip);
            }
            throw new ApiException(401, ApiErrorCode.NoAuthToken, "Whoa there! This endpoint requires authentication to use!");
        }
        SessionLookup found = lookup(token);
        if (found == null) {
            if (access == Access.PUBLIC) {
                return new Caller(null, null, false, Caller.Kind.ANONYMOUS, ip);
            }
            throw new ApiException(401, ApiErrorCode.InvalidToken,
                    "The token provided is invalid. Check that it hasn't expired and try again?");
        }
        Session session = found.session();
        if (found.banned()) {
            throw new ApiException(403, ApiErrorCode.ApiBanned, "User " + session.userId() + " is banned from using the API");
        }
        boolean root = rootUsers.contains(session.userId());
        Caller caller = new Caller(session.userId(), session, root, Caller.Kind.SESSION, ip);
        switch (access) {
            case ROOT -> {
                if (!root) {
                    throw ApiException.forbidden("This endpoint is restricted to root users (discord_auth.root_users);"
                            + " user " + session.userId() + " is not one");
                }
            }
            case GUILD -> {
                if (!root) {
                    checkGuildManager(ctx, session.userId());
                }
            }
            default -> {
            }
        }
        return caller;
    }

    private void checkGuildManager(Context ctx, String userId) {
        String rawGuild = ctx.pathParamMap().get("guild_id");
        if (rawGuild == null) {
            throw new IllegalStateException("route " + ctx.endpoint().path + " is declared Access.GUILD but has no {guild_id}");
        }
        long guild = Snowflakes.parse(rawGuild, "path parameter guild_id");
        long user = Long.parseUnsignedLong(userId);
        switch (guilds.check(guild, user)) {
            case MANAGER -> {
            }
            case NOT_MANAGER -> throw ApiException.forbidden("user " + userId + " may not manage guild " + rawGuild
                    + ": it needs to own the guild or have ADMINISTRATOR or MANAGE_GUILD there");
            case UNKNOWN_GUILD -> throw ApiException.notFound("guild " + rawGuild
                    + " is not known here: the bot is not in it (or its state has not arrived yet)");
        }
    }

    private SessionLookup lookup(String token) {
        TokenHash key = new TokenHash(Tokens.hash(token));
        SessionLookup cached = sessions.getIfPresent(key);
        if (cached != null && cached.session().expiry().isAfter(clock.instant())) {
            return cached;
        }
        SessionLookup found;
        try {
            found = accounts.findSession(key.bytes, clock.instant());
        } catch (StoreException e) {
            LOG.warn("checking a session token failed: {}", e.getMessage());
            throw new ApiException(503, ApiErrorCode.InternalAuthError,
                    "Failed to check auth for token: the account database is unavailable; retry in a moment");
        }
        if (found == null) {
            sessions.invalidate(key);
            return null;
        }
        sessions.put(key, found);
        return found;
    }

    /** Forgets a session at once (after it was deleted here), so its token stops working before the cache expires. */
    public void evict(UUID sessionId) {
        sessions.asMap().values().removeIf(l -> l.session().id().equals(sessionId));
    }

    /** Forgets every cached session of {@code userId} (after a ban made here). */
    public void evictUser(String userId) {
        sessions.asMap().values().removeIf(l -> l.session().userId().equals(userId));
    }

    /** A token hash as a map key, compared in constant time. */
    private static final class TokenHash {
        final byte[] bytes;
        private final int hash;

        TokenHash(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TokenHash t && MessageDigest.isEqual(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
