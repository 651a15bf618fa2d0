package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildLauncherOptionsTest {

  @Test
  void options_given_follow_the_services_and_a_collector_given_replaces_its_collector_and_its_options() {
    assertThat(ChildLauncher.serviceJvmOptions("")).isEqualTo(ChildLauncher.SERVICE_JVM_OPTIONS);
    assertThat(ChildLauncher.serviceJvmOptions(" -Xmx1g  -XX:SoftMaxHeapSize=512m "))
        .isEqualTo(List.of("-Xss16m", "-XX:+UseZGC", "-XX:-ZProactive", "-Djdk.trackAllThreads=false", "-Xmx1g",
            "-XX:SoftMaxHeapSize=512m"));
    assertThat(ChildLauncher.serviceJvmOptions("-XX:+UseG1GC -XX:MaxGCPauseMillis=5"))
        .isEqualTo(List.of("-Xss16m", "-Djdk.trackAllThreads=false", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5"));
  }
}
