package io.templateworker.storage.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.testing.TestPostgres;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PostgresKvStoreTest {

    static final TenantId A = TenantId.guild(1001);
    static final TenantId B = TenantId.guild(2002);
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static DataSource db;
    PostgresKvStore kv;
    final List<String> heard = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = TestPostgres.freshDatabase();
    }

    @BeforeEach
    void store() throws Exception {
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.execute("delete from tenant_kv");
        }
        ExpiryListener listener = (tenant, id, key, scopes, expiresAt) -> heard.add(key + "@" + expiresAt);
        kv = new PostgresKvStore(db, InstantSource.fixed(NOW), listener);
    }

    static KhronosValue text(String s) {
        return new KhronosValue.Text(s);
    }

    // ---------------------------------------------------------------- containment semantics, table-driven

    /** Rows stored before each case: key "k" under several scope sets, created in this order. */
    static final List<List<String>> STORED = List.of(List.of("a", "b"), List.of("a"), List.of("b", "c"));

    static Stream<Arguments> containment() {
        return Stream.of(
                // requested scopes, value get returns (null = none), keys() result
                Arguments.of(List.of("a"), "a", List.of("k")),              // exact match wins over the older {a,b}
                Arguments.of(List.of("b"), "a,b", List.of("k")),            // no exact row: the oldest containing row
                Arguments.of(List.of("b", "a"), "a,b", List.of("k")),       // order of requested scopes is irrelevant
                Arguments.of(List.of("c"), "b,c", List.of("k")),
                Arguments.of(List.of("a", "c"), null, List.of()),           // no row contains both
                Arguments.of(List.of("z"), null, List.of()));
    }

    @ParameterizedTest(name = "get/exists/keys with scopes {0}")
    @MethodSource("containment")
    void get_matches_by_containment_deterministically(List<String> scopes, String expected, List<String> keys) {
        for (List<String> s : STORED) {
            kv.set(A, s, "k", text(String.join(",", s)));
        }
        KvRecord r = kv.get(A, scopes, "k");
        if (expected == null) {
            assertThat(r).isNull();
            assertThat(kv.exists(A, scopes, "k")).isFalse();
        } else {
            assertThat(r.value()).isEqualTo(text(expected));
            assertThat(r.scopes()).isEqualTo(List.of(expected.split(",")));
            assertThat(kv.exists(A, scopes, "k")).isTrue();
        }
        assertThat(kv.keys(A, scopes)).isEqualTo(keys);
    }

    @Test
    void set_upserts_on_exact_scopes_and_reports_whether_the_record_existed() {
        SetResult first = kv.set(A, List.of("b", "a"), "k", text("1"));
        SetResult second = kv.set(A, List.of("a", "b"), "k", text("2"));
        SetResult other = kv.set(A, List.of("a"), "k", text("3"));
        assertThat(first.existed()).isFalse();
        assertThat(second.existed()).isTrue();
        assertThat(second.id()).isEqualTo(first.id()).hasSize(64).matches("[A-Za-z0-9]{64}");
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(kv.getById(A, first.id()).value()).isEqualTo(text("2"));
        assertThat(kv.getById(A, first.id()).scopes()).containsExactly("a", "b");
    }

    @Test
    void delete_removes_only_the_row_get_would_return() {
        kv.set(A, List.of("a", "b"), "k", text("ab"));
        kv.set(A, List.of("a"), "k", text("a"));
        assertThat(kv.delete(A, List.of("a"), "k")).isTrue();
        assertThat(kv.get(A, List.of("a"), "k").value()).isEqualTo(text("ab"));
        assertThat(kv.delete(A, List.of("a"), "k")).isTrue();
        assertThat(kv.delete(A, List.of("a"), "k")).isFalse();
    }

    static Stream<Arguments> likeQueries() {
        return Stream.of(
                Arguments.of("%%", List.of("100%", "a_b", "abc", "axb", "user:1", "user:2")),
                Arguments.of("user:%", List.of("user:1", "user:2")),
                Arguments.of("a_b", List.of("a_b", "axb")),           // _ matches one character
                Arguments.of("a\\_b", List.of("a_b")),                // escaped, _ is literal
                Arguments.of("100\\%", List.of("100%")),
                Arguments.of("ABC", List.of()),                        // case-sensitive
                Arguments.of("%", List.of("100%", "a_b", "abc", "axb", "user:1", "user:2")),
                Arguments.of("abc", List.of("abc")));
    }

    @ParameterizedTest(name = "find {0}")
    @MethodSource("likeQueries")
    void find_uses_like_patterns_and_the_match_all_fast_path(String query, List<String> keys) {
        for (String k : List.of("abc", "axb", "a_b", "100%", "user:1", "user:2")) {
            kv.set(A, List.of("s"), k, text(k));
        }
        kv.set(A, List.of("other"), "user:3", text("not in scope s"));
        List<String> found = new ArrayList<>();
        for (KvRecord r : kv.find(A, List.of("s"), query)) {
            found.add(r.key());
        }
        assertThat(found).isEqualTo(keys);
    }

    @Test
    void list_scopes_is_distinct_sorted_and_per_tenant() {
        kv.set(A, List.of("z", "a"), "k1", text("1"));
        kv.set(A, List.of("m"), "k2", text("2"));
        kv.set(B, List.of("secret"), "k", text("b"));
        assertThat(kv.listScopes(A)).containsExactly("a", "m", "z");
        assertThat(kv.listScopes(B)).containsExactly("secret");
    }

    // ---------------------------------------------------------------- isolation and metacharacters

    @Test
    void tenants_never_see_each_others_records_even_by_id() {
        SetResult a = kv.set(A, List.of("s"), "k", text("a's"));
        assertThat(kv.get(B, List.of("s"), "k")).isNull();
        assertThat(kv.find(B, List.of("s"), "%%")).isEmpty();
        assertThat(kv.getById(B, a.id())).isNull();
        assertThat(kv.deleteById(B, a.id())).isFalse();
        assertThatThrownBy(() -> kv.setById(B, a.id(), text("stolen"), null, false))
                .isInstanceOf(StoreException.class).hasMessageContaining("no KV record with id");
        assertThatThrownBy(() -> kv.setExpiryById(B, a.id(), NOW.plusSeconds(5)))
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
        // same key, scopes and snowflake but a user tenant: still a different owner
        assertThat(kv.get(TenantId.user(1001), List.of("s"), "k")).isNull();
        assertThat(kv.get(A, List.of("s"), "k").value()).isEqualTo(text("a's"));
    }

    @Test
    void sql_metacharacters_in_keys_scopes_and_values_are_data() {
        String evil = "x'); delete from tenant_kv; --";
        List<String> scopes = List.of("s\"}{,", "%", "_", "\\");
        kv.set(A, scopes, evil, text(evil));
        kv.set(A, scopes, "%", text("percent"));
        kv.set(B, List.of("s"), "keep", text("keep"));
        assertThat(kv.get(A, scopes, evil).value()).isEqualTo(text(evil));
        assertThat(kv.get(A, List.of("%"), "%").value()).isEqualTo(text("percent"));
        // exact-match operations treat % as a character, not a pattern
        assertThat(kv.get(A, scopes, "x%")).isNull();
        assertThat(kv.delete(A, List.of("_"), "%")).isTrue();
        assertThat(kv.get(A, scopes, evil)).isNotNull();
        assertThat(kv.listScopes(A)).containsExactly("%", "\\", "_", "s\"}{,");
        assertThat(kv.get(B, List.of("s"), "keep")).isNotNull();
    }

    // ---------------------------------------------------------------- limits

    @Test
    void limits_are_rejected_with_the_measured_figures() {
        assertThatThrownBy(() -> kv.set(A, List.of("s"), "k".repeat(600), text("v")))
                .hasMessage("key is 600 bytes; the limit is 512");
        assertThatThrownBy(() -> kv.set(A, List.of("s"), "k", text("v".repeat(300_000))))
                .hasMessage("value is 300011 bytes as JSON; the limit is 262144 (256 KiB)");
        assertThatThrownBy(() -> kv.set(A, List.of(), "k", text("v")))
                .hasMessage("Setting keys without a scope is not allowed");
        assertThatThrownBy(() -> kv.get(A, List.of(), "k"))
                .hasMessageStartingWith("Unscoped operations are not allowed");
        assertThatThrownBy(() -> kv.find(A, Collections.nCopies(11, "s"), "%%"))
                .hasMessage("find was given 11 scopes; the limit is 10");
        assertThatThrownBy(() -> kv.find(A, List.of("s"), "%".repeat(513)))
                .hasMessage("find query is 513 bytes; the limit is 512");
        assertThatThrownBy(() -> kv.set(A, List.of("s"), "k", text("nul\0")))
                .hasMessageContaining("NUL character");
        assertThat(kv.find(A, List.of("s"), "%%")).isEmpty();
    }

    @Test
    void all_value_variants_round_trip_through_jsonb() {
        KhronosValue v = KhronosValue.textMap("n", new KhronosValue.Int(Long.MAX_VALUE),
                "u", new KhronosValue.UInt(-1L), "f", new KhronosValue.Float(0.1), "t",
                new KhronosValue.Timestamptz(Instant.parse("2026-01-01T00:00:00.123456789Z")),
                "b", new KhronosValue.Buffer(new byte[] {0, 1, (byte) 255}), "l", KhronosValue.list(KhronosValue.Null.INSTANCE));
        kv.set(A, List.of("s"), "k", v);
        assertThat(kv.get(A, List.of("s"), "k").value()).isEqualTo(v);
    }

    // ---------------------------------------------------------------- expiry-aware operations

    @Test
    void expiry_must_be_in_the_future_and_is_stored_to_the_microsecond() {
        assertThatThrownBy(() -> kv.set(A, List.of("s"), "k", text("v"), NOW, false))
                .hasMessageStartingWith("Expiry time must be in the future");
        Instant at = NOW.plusSeconds(30).plusNanos(123_456_789);
        SetResult r = kv.set(A, List.of("s"), "k", text("v"), at, true);
        KvRecord rec = kv.getById(A, r.id());
        assertThat(rec.expiresAt()).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
        assertThat(rec.resume()).isTrue();
    }

    @Test
    void expiry_changes_are_reported_to_the_listener_after_each_write() {
        Instant t1 = NOW.plusSeconds(10);
        Instant t2 = NOW.plusSeconds(20);
        SetResult r = kv.set(A, List.of("s"), "k", text("v"), t1, false);
        kv.set(A, List.of("s"), "plain", text("no expiry, new record"));
        kv.setExpiry(A, List.of("s"), "k", t2);
        kv.setExpiryById(A, r.id(), null);
        kv.setById(A, r.id(), text("w"), t1, false);
        kv.deleteById(A, r.id());
        assertThat(heard).containsExactly("k@" + t1, "k@" + t2, "k@null", "k@" + t1, "k@null");
    }

    @Test
    void by_id_operations_work_within_the_tenant() {
        SetResult r = kv.set(A, List.of("s"), "k", text("v"));
        kv.setById(A, r.id(), text("w"), NOW.plusSeconds(60), true);
        KvRecord rec = kv.getById(A, r.id());
        assertThat(rec.value()).isEqualTo(text("w"));
        assertThat(rec.resume()).isTrue();
        kv.setExpiryById(A, r.id(), null);
        assertThat(kv.getById(A, r.id()).expiresAt()).isNull();
        assertThat(kv.deleteById(A, r.id())).isTrue();
        assertThat(kv.getById(A, r.id())).isNull();
        assertThatThrownBy(() -> kv.setExpiry(A, List.of("s"), "k", NOW.plusSeconds(1)))
                .hasMessageContaining("no key \"k\"");
    }

    @Test
    void changing_an_expiry_clears_the_engines_lease_and_attempts_but_a_value_update_keeps_them() throws Exception {
        Instant t1 = NOW.plusSeconds(10);
        SetResult r = kv.set(A, List.of("s"), "k", text("v"), t1, false);
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.execute("update tenant_kv set expiry_lease_until = now(), expiry_event_call_attempts = 3");
        }
        kv.set(A, List.of("s"), "k", text("v2"), t1, false);
        assertThat(leaseAndAttempts(r.id())).isEqualTo("true/3");
        kv.setExpiry(A, List.of("s"), "k", NOW.plusSeconds(11));
        assertThat(leaseAndAttempts(r.id())).isEqualTo("false/0");
    }

    private String leaseAndAttempts(String id) throws Exception {
        try (var c = db.getConnection();
             var ps = c.prepareStatement("select expiry_lease_until is not null, expiry_event_call_attempts from tenant_kv where id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) + "/" + rs.getInt(2);
            }
        }
    }

    @Test
    void configured_sizes_replace_the_default_key_and_value_limits() {
        PostgresKvStore small = new PostgresKvStore(db, InstantSource.fixed(NOW), ExpiryListener.NONE, new KvLimits.Sizes(8, 32));
        small.set(A, List.of("s"), "k".repeat(8), text("v"));
        assertThatThrownBy(() -> small.set(A, List.of("s"), "k".repeat(9), text("v")))
                .isInstanceOf(StoreException.class).hasMessage("key is 9 bytes; the limit is 8");
        assertThatThrownBy(() -> small.get(A, List.of("s"), "k".repeat(9))).hasMessage("key is 9 bytes; the limit is 8");
        assertThatThrownBy(() -> small.find(A, List.of("s"), "q".repeat(9))).hasMessage("find query is 9 bytes; the limit is 8");
        assertThatThrownBy(() -> small.set(A, List.of("s"), "big", text("x".repeat(40))))
                .hasMessageStartingWith("value is").hasMessageContaining("the limit is 32 (limits.kv_value_max_bytes)");
        // A larger configured limit admits what the default refuses.
        PostgresKvStore large = new PostgresKvStore(db, InstantSource.fixed(NOW), ExpiryListener.NONE, new KvLimits.Sizes(1024, 1024 * 1024));
        String longKey = "k".repeat(600);
        large.set(A, List.of("s"), longKey, text("x".repeat(300 * 1024)));
        assertThat(large.get(A, List.of("s"), longKey)).isNotNull();
        assertThatThrownBy(() -> kv.get(A, List.of("s"), longKey)).hasMessage("key is 600 bytes; the limit is 512");
    }
}
