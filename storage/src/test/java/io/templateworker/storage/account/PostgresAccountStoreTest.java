package io.templateworker.storage.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.account.Session;
import io.templateworker.runtime.account.SessionLookup;
import io.templateworker.runtime.account.SessionType;
import io.templateworker.runtime.account.User;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.storage.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresAccountStoreTest {

    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    DataSource db;
    PostgresAccountStore store;

    @BeforeEach
    void setUp() {
        db = TestPostgres.freshDatabase();
        store = new PostgresAccountStore(db);
    }

    static byte[] hash(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_session_is_found_by_its_token_hash_until_it_expires() throws Exception {
        store.ensureUser("42");
        Session s = store.createSession("42", hash("tok"), SessionType.LOGIN, null, NOW.plus(1, ChronoUnit.HOURS));
        assertThat(s.id()).isNotNull();
        assertThat(s.type()).isEqualTo(SessionType.LOGIN);

        SessionLookup found = store.findSession(hash("tok"), NOW);
        assertThat(found.session()).isEqualTo(s);
        assertThat(found.userState()).isEqualTo("normal");
        assertThat(found.banned()).isFalse();
        assertThat(store.findSession(hash("other"), NOW)).isNull();
        assertThat(store.findSession(hash("tok"), NOW.plus(2, ChronoUnit.HOURS))).as("expired").isNull();
    }

    @Test
    void the_token_itself_is_never_stored() throws Exception {
        store.ensureUser("42");
        store.createSession("42", hash("secret-token-value"), SessionType.API, "ci", NOW.plusSeconds(60));
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from web_api_tokens")) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getObject(i))).doesNotContain("secret-token-value");
            }
        }
    }

    @Test
    void banned_users_are_reported_with_their_session() throws Exception {
        store.ensureUser("7");
        store.createSession("7", hash("t7"), SessionType.API, "x", NOW.plusSeconds(60));
        assertThat(store.setUserState("7", "banned")).isTrue();
        assertThat(store.findSession(hash("t7"), NOW).banned()).isTrue();
        assertThat(store.setUserState("nobody", "banned")).isFalse();
    }

    @Test
    void sessions_are_listed_per_user_and_deleted_only_by_their_owner() throws Exception {
        store.ensureUser("1");
        store.ensureUser("2");
        Session a = store.createSession("1", hash("a"), SessionType.API, "a", NOW.plusSeconds(100));
        Session b = store.createSession("1", hash("b"), SessionType.LOGIN, null, NOW.plusSeconds(100));
        store.createSession("1", hash("old"), SessionType.LOGIN, null, NOW.minusSeconds(1));
        Session other = store.createSession("2", hash("c"), SessionType.API, "c", NOW.plusSeconds(100));

        assertThat(store.listSessions("1", NOW)).extracting(Session::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(store.deleteSession("1", other.id())).as("not the caller's").isFalse();
        assertThat(store.deleteSession("1", UUID.randomUUID())).isFalse();
        assertThat(store.deleteSession("1", a.id())).isTrue();
        assertThat(store.listSessions("1", NOW)).extracting(Session::id).containsExactly(b.id());
        assertThat(store.listSessions("2", NOW)).hasSize(1);
    }

    @Test
    void purge_deletes_only_expired_sessions() throws Exception {
        store.ensureUser("1");
        store.createSession("1", hash("live"), SessionType.API, null, NOW.plusSeconds(10));
        store.createSession("1", hash("dead1"), SessionType.API, null, NOW.minusSeconds(10));
        store.createSession("1", hash("dead2"), SessionType.API, null, NOW);
        assertThat(store.purgeExpiredSessions(NOW)).isEqualTo(2);
        assertThat(store.findSession(hash("live"), NOW)).isNotNull();
    }

    @Test
    void a_session_needs_an_existing_user_and_a_32_byte_hash() {
        assertThatThrownBy(() -> store.createSession("404", hash("x"), SessionType.API, null, NOW.plusSeconds(1)))
                .isInstanceOf(StoreException.class).hasMessageContaining("no such user");
        assertThatThrownBy(() -> store.findSession(new byte[3], NOW)).hasMessageContaining("32 bytes");
    }

    @Test
    void discord_tokens_and_the_guild_cache_are_kept_per_user() {
        store.saveDiscordTokens("9", "access", "refresh", NOW);
        store.saveGuildsCache("9", "[{\"id\": \"1\"}]");
        User u = store.user("9");
        assertThat(u.accessToken()).isEqualTo("access");
        assertThat(u.refreshToken()).isEqualTo("refresh");
        assertThat(u.accessTokenExpiresAt()).isEqualTo(NOW);
        assertThat(u.guildsCache()).isEqualTo("[{\"id\": \"1\"}]");
        assertThat(u.state()).isEqualTo("normal");
        store.saveDiscordTokens("9", "access2", null, null);
        assertThat(store.user("9").accessToken()).isEqualTo("access2");
        assertThat(store.user("nobody")).isNull();
    }

    @Test
    void an_oauth_code_is_refused_again_within_the_window_and_accepted_after_it() throws Exception {
        Duration window = Duration.ofMinutes(10);
        assertThat(store.recordOAuthCode(hash("code"), NOW, window)).isTrue();
        assertThat(store.recordOAuthCode(hash("code"), NOW.plusSeconds(60), window)).isFalse();
        assertThat(store.recordOAuthCode(hash("other"), NOW.plusSeconds(60), window)).isTrue();
        assertThat(store.recordOAuthCode(hash("code"), NOW.plus(Duration.ofMinutes(11)), window)).isTrue();
    }

    @Test
    void tokens_stored_in_clear_by_the_old_schema_are_hashed_by_the_migration() throws Exception {
        // The schema as of V2 in a schema of its own, with a session row whose token is in clear.
        org.flywaydb.core.Flyway.configure().dataSource(db).schemas("before_v20").locations("classpath:db/migration")
                .target("2").load().migrate();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into before_v20.users (user_id) values ('5')");
            st.execute("insert into before_v20.web_api_tokens (user_id, type, expiry, token)"
                    + " values ('5', 'api', now() + interval '1 hour', 'clear-token')");
        }
        org.flywaydb.core.Flyway.configure().dataSource(db).schemas("before_v20").locations("classpath:db/migration")
                .load().migrate();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from before_v20.web_api_tokens")) {
            rs.next();
            assertThat(rs.getBytes("token_hash")).isEqualTo(hash("clear-token"));
            assertThatThrownBy(() -> rs.findColumn("token")).as("the clear column is gone").isInstanceOf(java.sql.SQLException.class);
        }
    }
}
