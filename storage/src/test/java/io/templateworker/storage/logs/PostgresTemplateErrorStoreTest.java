package io.templateworker.storage.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.TemplateError;
import io.templateworker.runtime.store.TemplateErrorStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.testing.TestPostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTemplateErrorStoreTest {
    static final TenantId A = TenantId.guild(11);
    static final TenantId B = TenantId.guild(12);
    PostgresTemplateErrorStore store;

    @BeforeEach
    void setUp() {
        store = new PostgresTemplateErrorStore(TestPostgres.freshDatabase());
    }

    static TemplateError error(TenantId t, String message, Instant at) {
        return new TemplateError(t, "tpl", "MESSAGE", message, "stack traceback:\n/init.luau:3", at);
    }

    @Test
    void errors_come_back_per_tenant_oldest_first_and_only_before_the_given_time() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        store.append(List.of(error(A, "first", t0), error(B, "other tenant", t0.plusSeconds(1)),
                error(A, "second", t0.plusSeconds(2)), new TemplateError(A, null, null, "vm could not start", null, t0.plusSeconds(3))));

        List<TemplateError> a = store.recent(A, 10, Instant.now());
        assertThat(a).extracting(TemplateError::message).containsExactly("first", "second", "vm could not start");
        assertThat(a.get(0)).isEqualTo(error(A, "first", t0));
        assertThat(a.get(2).template()).isNull();
        assertThat(store.recent(A, 2, Instant.now())).extracting(TemplateError::message).containsExactly("second", "vm could not start");
        assertThat(store.recent(A, 10, t0.plusSeconds(2))).extracting(TemplateError::message).containsExactly("first");
        assertThat(store.recent(B, 10, Instant.now())).extracting(TemplateError::message).containsExactly("other tenant");
    }

    @Test
    void only_the_latest_errors_of_each_tenant_are_kept_and_nul_characters_do_not_break_a_write() {
        Instant t0 = Instant.now().minusSeconds(3600);
        List<TemplateError> many = new ArrayList<>();
        for (int i = 0; i < TemplateErrorStore.KEPT_PER_TENANT + 5; i++) {
            many.add(error(A, "e" + i, t0.plusMillis(i)));
        }
        store.append(many);
        store.append(List.of(error(B, "bad\0byte", t0)));

        List<TemplateError> kept = store.recent(A, 5000, Instant.now());
        assertThat(kept).hasSize(TemplateErrorStore.KEPT_PER_TENANT);
        assertThat(kept.get(0).message()).isEqualTo("e5");
        assertThat(store.recent(B, 1, Instant.now()).get(0).message()).isEqualTo("bad\uFFFDbyte");
    }
}
