package io.templateworker.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantIdTest {

    @Test
    void parses_lowercase_types_only() {
        assertThat(TenantId.parse("guild", "123")).isEqualTo(TenantId.guild(123));
        assertThat(TenantId.parse("user", "42")).isEqualTo(TenantId.user(42));
        assertThatThrownBy(() -> TenantId.parse("Guild", "123")).hasMessageContaining("expected \"guild\" or \"user\"");
        assertThatThrownBy(() -> TenantId.parse("guild", "12a")).hasMessageContaining("decimal snowflake");
        assertThatThrownBy(() -> TenantId.parse("guild", "-5")).hasMessageContaining("decimal snowflake");
        assertThatThrownBy(() -> TenantId.parse("guild", "+5")).hasMessageContaining("decimal snowflake");
        assertThatThrownBy(() -> TenantId.parse("guild", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> TenantId.parse("guild", "18446744073709551616")).hasMessageContaining("decimal snowflake");
    }

    @Test
    void snowflakes_go_up_to_the_largest_unsigned_64_bit_number() {
        TenantId max = TenantId.parse("guild", "18446744073709551615");
        assertThat(max.id()).isEqualTo(-1L);
        assertThat(max.idString()).isEqualTo("18446744073709551615");
        assertThat(max).hasToString("guild/18446744073709551615");
        assertThat(max.workerOf(7)).isEqualTo((int) ((-1L >>> 22) % 7)).isBetween(0, 6);
    }

    @Test
    void worker_routing_uses_the_snowflake_timestamp_bits() {
        long snowflake = 1_234_567_890_123_456_789L;
        assertThat(TenantId.guild(snowflake).workerOf(7)).isEqualTo((int) ((snowflake >> 22) % 7));
        // ids that differ only in the low 22 bits land on the same worker
        assertThat(TenantId.guild(5L << 22).workerOf(3)).isEqualTo(TenantId.guild((5L << 22) + 4000).workerOf(3)).isEqualTo(2);
    }
}
