package io.templateworker.storage.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiryConfigTest {

    @Test
    void backoff_doubles_from_the_initial_delay_up_to_the_cap() {
        ExpiryConfig c = ExpiryConfig.defaults(0, 1).withRetries(10, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(c.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.backoff(60)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a_dispatch_timeout_that_could_outlive_the_lease_is_rejected() {
        assertThatThrownBy(() -> ExpiryConfig.defaults(0, 1).withLease(Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expiry.dispatchTimeout (PT10S) plus expiry.claimAhead (PT2S) must be shorter than expiry.lease (PT10S)");
    }

    @Test
    void worker_id_must_be_one_of_the_workers() {
        assertThatThrownBy(() -> ExpiryConfig.defaults(3, 3)).hasMessage("expiry.workerId must be in 0..2, got 3");
        assertThatThrownBy(() -> ExpiryConfig.defaults(0, 0)).hasMessageStartingWith("expiry.workers must be at least 1");
    }
}
