package io.templateworker.worker.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.khronos.KhronosValue;
import org.junit.jupiter.api.Test;

class ResultIdTest {
  @Test
  void tenants_share_the_id_entry_of_a_template_name_and_every_name_gets_its_own_id() {
    String name = "welcome";
    assertThat(TenantVm.idEntry(new String(name))).isSameAs(TenantVm.idEntry(new String(name)));
    for (int i = 0; i < 2_000; i++) { // many more names than the cache's slots: collisions replace entries
      String n = "template-" + i;
      assertThat(TenantVm.idEntry(n)).isEqualTo(new KhronosValue.Entry(new KhronosValue.Text("id"), new KhronosValue.Text(n)));
    }
  }
}
