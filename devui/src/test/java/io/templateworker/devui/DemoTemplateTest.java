package io.templateworker.devui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.templateworker.luau.embed.Luau;
import org.junit.jupiter.api.Test;

class DemoTemplateTest {

  @Test
  void the_demo_template_compiles_and_listens_for_messages_and_slash_commands() {
    // Seeding bypasses the API's compile check, so the shipped source is checked here.
    assertThatCode(() -> Luau.compile(DemoTemplate.source(), "/init.luau")).doesNotThrowAnyException();
    assertThat(DemoTemplate.spec().events()).containsExactly("MESSAGE", "INTERACTION_CREATE");
    assertThat(DemoTemplate.source()).contains("!ping").contains("messages_seen");
  }
}
