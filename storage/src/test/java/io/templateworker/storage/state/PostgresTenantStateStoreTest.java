package io.templateworker.storage.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.storage.testing.TestPostgres;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTenantStateStoreTest {

    PostgresTenantStateStore store;

    @BeforeEach
    void setUp() {
        store = new PostgresTenantStateStore(TestPostgres.freshDatabase());
    }

    static ObjectNode data(String k, String v) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put(k, v);
        return n;
    }

    @Test
    void unknown_tenant_has_the_empty_state_and_writes_round_trip() {
        TenantId t = TenantId.guild(42);
        assertThat(store.get(t)).isEqualTo(TenantState.empty());
        store.set(t, new TenantState(Set.of("INTERACTION_CREATE", "KeyExpiry[remind]"), false, data("builtins_havetemplates", "yes")));
        TenantState s = store.get(t);
        assertThat(s.events()).containsExactlyInAnyOrder("INTERACTION_CREATE", "KeyExpiry[remind]");
        assertThat(s.data().get("builtins_havetemplates").asText()).isEqualTo("yes");
        assertThat(store.get(TenantId.user(42))).isEqualTo(TenantState.empty());
    }

    @Test
    void set_does_not_unban_and_ban_is_kept_separately() {
        TenantId t = TenantId.guild(7);
        store.setBanned(t, true);
        store.set(t, new TenantState(Set.of("MESSAGE"), false, data("a", "b")));
        assertThat(store.get(t).banned()).isTrue();
        assertThat(store.get(t).events()).containsExactly("MESSAGE");
    }

    @Test
    void the_guild_commands_flag_is_staff_set_and_template_writes_keep_it() {
        TenantId t = TenantId.guild(77);
        assertThat(store.get(t).canManageGuildCommands()).isFalse();
        store.setCanManageGuildCommands(t, true);
        store.set(t, new TenantState(Set.of("MESSAGE"), false, data("k", "v")));
        assertThat(store.get(t).canManageGuildCommands()).isTrue();
        assertThat(store.listForWorker(0, 1).get(t).canManageGuildCommands()).isTrue();
        store.setCanManageGuildCommands(t, false);
        assertThat(store.get(t).canManageGuildCommands()).isFalse();
    }

    @Test
    void more_than_100_events_are_rejected() {
        Set<String> events = new HashSet<>();
        for (int i = 0; i < 101; i++) {
            events.add("E" + i);
        }
        assertThatThrownBy(() -> store.set(TenantId.guild(1), new TenantState(events, false, data("a", "b"))))
                .isInstanceOf(StoreException.class)
                .hasMessage("tenant state of guild/1 lists 101 events; the limit is 100");
    }

    @Test
    void nul_in_data_is_reported_as_an_invalid_argument() {
        assertThatThrownBy(() -> store.set(TenantId.guild(1), new TenantState(Set.of(), false, data("a", "x\0y"))))
                .isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void list_for_worker_returns_only_that_workers_tenants() {
        TenantId w0 = TenantId.guild(4L << 22);
        TenantId w1 = TenantId.guild(5L << 22);
        store.set(w0, new TenantState(Set.of("A"), false, data("x", "0")));
        store.set(w1, new TenantState(Set.of("B"), false, data("x", "1")));
        Map<TenantId, TenantState> zero = store.listForWorker(0, 2);
        assertThat(zero).containsOnlyKeys(w0);
        assertThat(store.listForWorker(1, 2)).containsOnlyKeys(w1);
        assertThat(store.listForWorker(0, 1)).containsOnlyKeys(w0, w1);
        assertThatThrownBy(() -> store.listForWorker(2, 2)).hasMessageContaining("expected 0 <= worker < workers");
    }
}
