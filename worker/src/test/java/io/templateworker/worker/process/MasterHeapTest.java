package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class MasterHeapTest {

  @Test
  void a_soft_maximum_the_jvm_chose_is_capped_at_1_gb_and_one_set_by_anyone_else_is_left_alone() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    VMOption before = hotspot.getVMOption("SoftMaxHeapSize");
    assumeTrue(Runtime.getRuntime().maxMemory() > MasterHeap.SOFT_MAX_BYTES, "a heap maximum over 1 GB");
    assumeTrue(before.getOrigin() == VMOption.Origin.ERGONOMIC || before.getOrigin() == VMOption.Origin.DEFAULT,
        "a test JVM whose soft maximum nobody set");

    assertThat(MasterHeap.capSoftMaximum()).isTrue();
    assertThat(hotspot.getVMOption("SoftMaxHeapSize").getValue()).isEqualTo(Long.toString(1L << 30));

    hotspot.setVMOption("SoftMaxHeapSize", Long.toString(3L << 29)); // as an operator's tool would
    assertThat(MasterHeap.capSoftMaximum()).isFalse();
    assertThat(hotspot.getVMOption("SoftMaxHeapSize").getValue()).isEqualTo(Long.toString(3L << 29));
  }
}
