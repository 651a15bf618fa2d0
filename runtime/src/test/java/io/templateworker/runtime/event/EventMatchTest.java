package io.templateworker.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.khronos.KhronosValue;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventMatchTest {

  @Test
  void plain_and_scoped_subscriptions() {
    CreateEvent expiry = CreateEvent.scoped("KeyExpiry", KhronosValue.Null.INSTANCE, List.of("reminders", "bans"));
    assertThat(EventMatch.matches(Set.of("KeyExpiry"), expiry)).isTrue();
    assertThat(EventMatch.matches(Set.of("KeyExpiry[bans]"), expiry)).isTrue();
    assertThat(EventMatch.matches(Set.of("KeyExpiry[polls]"), expiry)).isFalse();
    assertThat(EventMatch.matches(Set.of("KeyExpiry[bans]"), CreateEvent.of("KeyExpiry", null))).isFalse();
    assertThat(EventMatch.matches(Set.of("MESSAGE_CREATE"), expiry)).isFalse();
  }
}
