package io.templateworker.storage.account;

import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.account.Session;
import io.templateworker.runtime.account.SessionLookup;
import io.templateworker.runtime.account.SessionType;
import io.templateworker.runtime.account.User;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.storage.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/** {@link AccountStore} on {@code users}, {@code web_api_tokens} and {@code oauth2_used_codes}. */
public final class PostgresAccountStore implements AccountStore {

    private static final String SESSION_COLUMNS = "t.id, t.user_id, t.name, t.type, t.created_at, t.expiry";
    private static final String SQL_CREATE = "insert into web_api_tokens (user_id, token_hash, type, name, expiry)"
            + " values (?, ?, ?, ?, ?) returning id, created_at";
    private static final String SQL_FIND = "select " + SESSION_COLUMNS + ", u.state from web_api_tokens t"
            + " join users u on u.user_id = t.user_id where t.token_hash = ? and t.expiry > ?";
    private static final String SQL_LIST = "select " + SESSION_COLUMNS + " from web_api_tokens t where t.user_id = ?"
            + " and t.expiry > ? order by t.created_at desc, t.id";
    private static final String SQL_DELETE = "delete from web_api_tokens where user_id = ? and id = ?";
    private static final String SQL_PURGE = "delete from web_api_tokens where expiry <= ?";
    private static final String SQL_ENSURE_USER = "insert into users (user_id) values (?) on conflict (user_id) do nothing";
    private static final String SQL_SAVE_TOKENS = "insert into users (user_id, access_token, refresh_token, access_token_expires_at)"
            + " values (?, ?, ?, ?) on conflict (user_id) do update set access_token = excluded.access_token,"
            + " refresh_token = excluded.refresh_token, access_token_expires_at = excluded.access_token_expires_at, updated_at = now()";
    private static final String SQL_USER = "select user_id, state, access_token, refresh_token, access_token_expires_at,"
            + " guilds_cache::text as guilds_cache from users where user_id = ?";
    private static final String SQL_SET_STATE = "update users set state = ?, updated_at = now() where user_id = ?";
    private static final String SQL_GUILDS_CACHE = "update users set guilds_cache = ?::jsonb, updated_at = now() where user_id = ?";
    private static final String SQL_FORGET_CODES = "delete from oauth2_used_codes where used_at < ?";
    // Inserts a new code, or takes over a record older than the window; returns a row only when the code may be used.
    private static final String SQL_RECORD_CODE = "insert into oauth2_used_codes (code_hash, used_at) values (?, ?)"
            + " on conflict (code_hash) do update set used_at = excluded.used_at where oauth2_used_codes.used_at < ?"
            + " returning 1";

    private final DataSource dataSource;

    public PostgresAccountStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Session createSession(String userId, byte[] tokenHash, SessionType type, String name, Instant expiry) {
        checkHash(tokenHash, "token");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CREATE)) {
            ps.setString(1, userId);
            ps.setBytes(2, tokenHash);
            ps.setString(3, type.wireName());
            ps.setString(4, name);
            Sql.setInstant(ps, 5, expiry);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Session(rs.getObject(1, UUID.class), userId, name, type, Sql.getInstant(rs, 2), Sql.toMicros(expiry));
            }
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "cannot create a session for user " + userId
                        + ": no such user", e);
            }
            throw Sql.failure(e, "creating a session for user " + userId);
        }
    }

    @Override
    public SessionLookup findSession(byte[] tokenHash, Instant now) {
        checkHash(tokenHash, "token");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_FIND)) {
            ps.setBytes(1, tokenHash);
            Sql.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new SessionLookup(session(rs), rs.getString("state")) : null;
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "checking a session token");
        }
    }

    @Override
    public List<Session> listSessions(String userId, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_LIST)) {
            ps.setString(1, userId);
            Sql.setInstant(ps, 2, now);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(session(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "listing the sessions of user " + userId);
        }
    }

    @Override
    public boolean deleteSession(String userId, UUID sessionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE)) {
            ps.setString(1, userId);
            ps.setObject(2, sessionId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Sql.failure(e, "deleting session " + sessionId + " of user " + userId);
        }
    }

    @Override
    public int purgeExpiredSessions(Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_PURGE)) {
            Sql.setInstant(ps, 1, now);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, "purging expired sessions");
        }
    }

    @Override
    public void ensureUser(String userId) {
        update(SQL_ENSURE_USER, "creating user " + userId, userId);
    }

    @Override
    public void saveDiscordTokens(String userId, String accessToken, String refreshToken, Instant accessTokenExpiresAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SAVE_TOKENS)) {
            ps.setString(1, userId);
            ps.setString(2, accessToken);
            ps.setString(3, refreshToken);
            Sql.setInstant(ps, 4, accessTokenExpiresAt);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, "saving the Discord tokens of user " + userId);
        }
    }

    @Override
    public User user(String userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_USER)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new User(rs.getString("user_id"), rs.getString("state"), rs.getString("access_token"),
                        rs.getString("refresh_token"), Sql.getInstant(rs, "access_token_expires_at"), rs.getString("guilds_cache"));
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "reading user " + userId);
        }
    }

    @Override
    public boolean setUserState(String userId, String state) {
        return update(SQL_SET_STATE, "setting the state of user " + userId, state, userId) > 0;
    }

    @Override
    public void saveGuildsCache(String userId, String guildsJson) {
        update(SQL_GUILDS_CACHE, "saving the guild list of user " + userId, guildsJson, userId);
    }

    @Override
    public boolean recordOAuthCode(byte[] codeHash, Instant now, Duration window) {
        checkHash(codeHash, "code");
        Instant cutoff = now.minus(window);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement forget = c.prepareStatement(SQL_FORGET_CODES)) {
                Sql.setInstant(forget, 1, cutoff);
                forget.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(SQL_RECORD_CODE)) {
                ps.setBytes(1, codeHash);
                Sql.setInstant(ps, 2, now);
                Sql.setInstant(ps, 3, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "recording an OAuth2 code");
        }
    }

    private int update(String sql, String what, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, what);
        }
    }

    private static Session session(ResultSet rs) throws SQLException {
        String typeName = rs.getString("type");
        SessionType type = SessionType.parse(typeName);
        if (type == null) {
            // A type this version does not know (written by another tool): treat it as the most restricted kind.
            type = SessionType.API;
        }
        return new Session(rs.getObject("id", UUID.class), rs.getString("user_id"), rs.getString("name"), type,
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expiry"));
    }

    private static void checkHash(byte[] hash, String what) {
        if (hash == null || hash.length != 32) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, what + " hash must be 32 bytes (SHA-256)");
        }
    }
}
