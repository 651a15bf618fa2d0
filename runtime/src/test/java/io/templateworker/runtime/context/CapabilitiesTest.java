package io.templateworker.runtime.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

  @Test
  void star_holds_everything_and_other_strings_are_literal() {
    assertThat(Capabilities.ROOT.has("discord:ban")).isTrue();
    Capabilities kv = new Capabilities(List.of("kv:*"));
    assertThat(kv.has("kv:*")).isTrue();
    assertThat(kv.has("kv:get")).isFalse(); // no pattern matching: the KV plugin interprets kv:*
    assertThat(kv.hasAny(List.of("discord:ban", "kv:*"))).isTrue();
    assertThat(kv.hasAny(List.of())).isFalse();
  }

  @Test
  void derived_capabilities_must_be_held_by_the_parent() {
    Capabilities parent = new Capabilities(List.of("kv:get", "kv:set"));
    assertThat(parent.subset(List.of("kv:get")).asList()).containsExactly("kv:get");
    assertThat(Capabilities.ROOT.subset(List.of("anything")).has("anything")).isTrue();
    assertThatThrownBy(() -> parent.subset(List.of("kv:get", "*")))
        .isInstanceOf(CapabilityException.class)
        .hasMessageStartingWith("Missing capability: *");
  }

  @Test
  void a_child_context_cannot_regain_what_its_parent_dropped() {
    TemplateContext root = TemplateContext.root(null, io.templateworker.runtime.event.CreateEvent.of("E", null), null, null);
    TemplateContext restricted = root.with(List.of("kv:get"), null);
    assertThat(restricted.hasCap("kv:set")).isFalse();
    assertThatThrownBy(() -> restricted.with(List.of("kv:set"), null)).isInstanceOf(CapabilityException.class);
    assertThat(restricted.event().name()).isEqualTo("E");
  }
}
