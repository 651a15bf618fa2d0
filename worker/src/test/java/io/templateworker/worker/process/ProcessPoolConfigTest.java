package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessPoolConfigTest {

  @Test
  void defaultWorkerCountIsOneChildPerTwoCoresAndNeverZero() {
    assertThat(ProcessPoolConfig.defaultWorkers(1)).isEqualTo(1);
    assertThat(ProcessPoolConfig.defaultWorkers(2)).isEqualTo(1);
    assertThat(ProcessPoolConfig.defaultWorkers(3)).isEqualTo(1);
    assertThat(ProcessPoolConfig.defaultWorkers(8)).isEqualTo(4);
  }

  @Test
  void aPoolWithoutWorkersIsRefusedWithTheKeyToFix() {
    assertThatThrownBy(() -> ProcessPoolConfig.defaults(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process_workers must be at least 1, got 0");
  }
}
