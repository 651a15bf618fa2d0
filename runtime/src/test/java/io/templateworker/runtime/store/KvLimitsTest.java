package io.templateworker.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvLimitsTest {

    @Test
    void scopes_are_sorted_deduplicated_and_bounded() {
        assertThat(KvLimits.normalizeScopes(List.of("b", "a", "b"), "get")).containsExactly("a", "b");
        assertThatThrownBy(() -> KvLimits.normalizeScopes(List.of(), "get"))
                .hasMessage("Unscoped operations are not allowed (get needs at least one scope)");
        assertThatThrownBy(() -> KvLimits.normalizeScopes(List.of(), "set"))
                .hasMessage("Setting keys without a scope is not allowed");
        assertThatThrownBy(() -> KvLimits.normalizeScopes(Collections.nCopies(11, "s"), "find"))
                .hasMessage("find was given 11 scopes; the limit is 10");
    }

    @Test
    void key_length_is_measured_in_utf8_bytes() {
        KvLimits.checkKey("k".repeat(512));
        assertThatThrownBy(() -> KvLimits.checkKey("k".repeat(513))).hasMessage("key is 513 bytes; the limit is 512");
        // 171 three-byte characters = 513 bytes although only 171 chars
        assertThatThrownBy(() -> KvLimits.checkKey("€".repeat(171))).hasMessage("key is 513 bytes; the limit is 512");
        assertThatThrownBy(() -> KvLimits.checkKey("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void value_limit_is_256_KiB_of_json() {
        // {"Text":"..."} adds 11 bytes of framing
        KvLimits.encodeValue(new KhronosValue.Text("x".repeat(256 * 1024 - 11)));
        assertThatThrownBy(() -> KvLimits.encodeValue(new KhronosValue.Text("x".repeat(256 * 1024 - 10))))
                .isInstanceOf(StoreException.class)
                .hasMessage("value is 262145 bytes as JSON; the limit is 262144 (256 KiB)");
    }

    @Test
    void nul_in_strings_is_rejected_but_an_escaped_backslash_u_is_not() {
        assertThatThrownBy(() -> KvLimits.encodeValue(new KhronosValue.Text("a\0")))
                .hasMessageContaining("NUL character");
        assertThat(KvLimits.encodeValue(new KhronosValue.Text("\\u0000"))).isNotEmpty();
    }

    @Test
    void expiry_must_be_in_the_future() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        KvLimits.checkExpiry(null, now);
        KvLimits.checkExpiry(now.plusMillis(1), now);
        assertThatThrownBy(() -> KvLimits.checkExpiry(now, now)).hasMessageStartingWith("Expiry time must be in the future");
    }
}
