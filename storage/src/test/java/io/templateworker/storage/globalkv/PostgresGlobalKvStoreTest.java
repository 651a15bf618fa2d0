package io.templateworker.storage.globalkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.GlobalKv;
import io.templateworker.runtime.store.PartialGlobalKv;
import io.templateworker.runtime.store.ReviewState;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.testing.TestPostgres;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PostgresGlobalKvStoreTest {

    static final TenantId OWNER = TenantId.guild(100);
    static final TenantId OTHER = TenantId.guild(200);
    PostgresGlobalKvStore store;

    @BeforeEach
    void setUp() {
        store = new PostgresGlobalKvStore(TestPostgres.freshDatabase(), "https://shop.test/buy/");
    }

    static CreateGlobalKv entry(String key, int version, boolean publicData) {
        return new CreateGlobalKv(key, version, "short " + key, KhronosValue.textMap("tags", KhronosValue.list()),
                "templates", publicData, "long text", new KhronosValue.Text("payload of " + key));
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("ab", "is 2 characters; it must be 3 to 64"),
                Arguments.of("a".repeat(65), "is 65 characters"),
                Arguments.of(".abc", "must not start or end with '.'"),
                Arguments.of("abc.", "must not start or end with '.'"),
                Arguments.of("ab c", "contains ' '"),
                Arguments.of("ab%c", "contains '%'"),
                Arguments.of("ab'c", "contains '''"),
                Arguments.of("ünï", "contains 'ü'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void key_rules_are_enforced(String key, String message) {
        assertThatThrownBy(() -> store.create(OWNER, entry(key, 1, true)))
                .isInstanceOf(StoreException.class).hasMessageContaining(message);
    }

    @Test
    void valid_keys_pass() {
        store.create(OWNER, entry("my.template-v2_final", 1, true));
        store.create(OWNER, entry("abc", 1, true));
    }

    @Test
    void only_approved_entries_are_readable() {
        store.create(OWNER, entry("lockdown", 1, true));
        assertThat(store.get("lockdown", 1, "templates", OWNER)).isNull();
        assertThat(store.find("templates", "%%")).isEmpty();
        store.setReviewState("lockdown", 1, "templates", ReviewState.APPROVED);
        GlobalKv kv = store.get("lockdown", 1, "templates", OTHER);
        assertThat(kv.partial().reviewState()).isEqualTo(ReviewState.APPROVED);
        assertThat(kv.partial().longDescription()).isEqualTo("long text");
        assertThat(kv.data()).isEqualTo(new GlobalKv.Value(new KhronosValue.Text("payload of lockdown"), false));
        store.setReviewState("lockdown", 1, "templates", ReviewState.REJECTED);
        assertThat(store.get("lockdown", 1, "templates", OTHER)).isNull();
    }

    @Test
    void find_matches_like_patterns_within_a_scope() {
        for (String k : List.of("lock.a", "lock.b", "lockXa", "other")) {
            store.create(OWNER, entry(k, 1, true));
            store.setReviewState(k, 1, "templates", ReviewState.APPROVED);
        }
        assertThat(store.find("templates", "lock.%")).extracting(PartialGlobalKv::key).containsExactly("lock.a", "lock.b");
        assertThat(store.find("templates", "lock_a")).extracting(PartialGlobalKv::key).containsExactly("lock.a", "lockXa");
        assertThat(store.find("templates", "%%")).hasSize(4).allSatisfy(p -> assertThat(p.longDescription()).isNull());
        assertThat(store.find("other-scope", "%%")).isEmpty();
    }

    @Test
    void private_data_is_opaque() {
        store.create(OWNER, entry("secret", 1, false));
        store.setReviewState("secret", 1, "templates", ReviewState.APPROVED);
        assertThat(((GlobalKv.Value) store.get("secret", 1, "templates", OTHER).data()).opaque()).isTrue();
    }

    @Test
    void duplicate_entries_conflict() {
        store.create(OWNER, entry("dup", 1, true));
        assertThatThrownBy(() -> store.create(OTHER, entry("dup", 1, true)))
                .isInstanceOf(StoreException.class)
                .hasMessage("global KV entry dup version 1 in scope templates already exists; pick a new version");
        store.create(OWNER, entry("dup", 2, true));
    }

    @Test
    void only_the_owner_may_delete() {
        store.create(OWNER, entry("mine", 1, true));
        assertThatThrownBy(() -> store.delete(OTHER, "mine", 1, "templates"))
                .isInstanceOf(StoreException.class).hasMessageContaining("only the owner can delete");
        assertThatThrownBy(() -> store.delete(TenantId.user(100), "mine", 1, "templates"))
                .hasMessageContaining("owned by user/100");
        store.delete(OWNER, "mine", 1, "templates");
        assertThatThrownBy(() -> store.delete(OWNER, "mine", 1, "templates"))
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
    }

    @Test
    void priced_entries_require_a_recorded_purchase() {
        store.createStaffEntry("staff-1", entry("premium", 1, true), 500);
        store.setReviewState("premium", 1, "templates", ReviewState.APPROVED);

        assertThat(store.get("premium", 1, "templates", null).data())
                .isEqualTo(new GlobalKv.PurchaseRequired("https://shop.test/buy/premium?version=1&scope=templates"));
        assertThat(store.get("premium", 1, "templates", OTHER).data()).isInstanceOf(GlobalKv.PurchaseRequired.class);

        store.recordPurchase(OTHER, "premium", 1, "templates");
        store.recordPurchase(OTHER, "premium", 1, "templates"); // idempotent
        GlobalKv bought = store.get("premium", 1, "templates", OTHER);
        assertThat(bought.data()).isEqualTo(new GlobalKv.Value(new KhronosValue.Text("payload of premium"), true));
        assertThat(bought.partial().price()).isEqualTo(500);
        // a purchase is per buyer
        assertThat(store.get("premium", 1, "templates", OWNER).data()).isInstanceOf(GlobalKv.PurchaseRequired.class);
    }

    @Test
    void free_entries_cannot_be_purchased_and_only_staff_may_price() {
        store.create(OWNER, entry("free", 1, true));
        assertThatThrownBy(() -> store.recordPurchase(OTHER, "free", 1, "templates"))
                .hasMessageContaining("no priced global KV entry free");
        assertThatThrownBy(() -> store.createStaffEntry("staff-1", entry("neg", 1, true), -1))
                .hasMessageContaining("price must be 0 or more");
    }
}
