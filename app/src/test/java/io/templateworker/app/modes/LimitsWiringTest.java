package io.templateworker.app.modes;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.process.ProcessPoolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code limits.*} key reaches the component that enforces it (what each component does with its limit is
 * tested in its own module: the sandbox, the worker, the KV store, the plugins).
 */
class LimitsWiringTest {

  @TempDir
  Path dir;

  @Test
  void every_limits_key_reaches_the_component_that_enforces_it() {
    AppConfig c = ConfigLoader.load(null, null, Map.of(
        "TW_LIMITS_VM_MEMORY_BYTES", "1048576",
        "TW_LIMITS_EXECUTION_SLICE_MS", "1500",
        "TW_LIMITS_GIVE_TIME_MS", "250",
        "TW_LIMITS_TEMPLATE_WAIT_MS", "800",
        "TW_LIMITS_KV_KEY_MAX_BYTES", "64",
        "TW_LIMITS_KV_VALUE_MAX_BYTES", "4096",
        "TW_LIMITS_OBJECT_MAX_BYTES", "1000",
        "TW_LIMITS_MAX_VMS", "7",
        "TW_LIMITS_VM_IDLE_EVICT_SECONDS", "30"), dir);

    WorkerConfig worker = ThreadPoolMode.workerConfig(c);
    assertThat(worker.fanOutTimeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(worker.templateTimeLimit()).isEqualTo(Duration.ofMillis(1500));
    assertThat(worker.maxVms()).isEqualTo(7);
    assertThat(worker.idleTimeout()).isEqualTo(Duration.ofSeconds(30));

    LuauIsolateFactory isolates = ThreadPoolMode.isolates(c, null).withGiveTime(ThreadPoolMode.giveTime(c));
    assertThat(isolates.limits().memoryBytes()).isEqualTo(1_048_576);
    assertThat(isolates.limits().timeSlice()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ThreadPoolMode.giveTime(c)).isEqualTo(Duration.ofMillis(250));

    assertThat(ThreadPoolMode.kvSizes(c)).isEqualTo(new KvLimits.Sizes(64, 4096));
    assertThat(TemplatePlugins.maxUploadBytes(c)).isEqualTo(1000);
  }

  @Test
  void the_process_pools_queue_bounds_reach_its_config() {
    AppConfig c = ConfigLoader.load(null, null, Map.of(
        "TW_WORKERS_QUEUED_WHILE_DOWN", "12",
        "TW_WORKERS_IN_FLIGHT_PER_PROCESS", "34"), dir);

    ProcessPoolConfig pool = ProcessPoolMode.poolConfig(c, 2);
    assertThat(pool.maxQueued()).isEqualTo(12);
    assertThat(pool.maxInFlight()).isEqualTo(34);
  }

  @Test
  void child_jvm_options_follow_the_worker_processes_own_and_a_collector_named_there_replaces_theirs() {
    AppConfig c = ConfigLoader.load(null, null, Map.of("TW_WORKERS_CHILD_JVM_OPTIONS", "-Xmx700m -XX:+UseG1GC"), dir);
    List<String> options = ProcessPoolMode.childJvmOptions(c, new DiscordSetup(null, null, null));
    assertThat(options).containsSubsequence("-Xss16m", "-Djdk.trackAllThreads=false", "-Xmx700m", "-XX:+UseG1GC")
        .doesNotContain("-XX:+UseZGC", "-XX:-ZProactive", "-XX:SoftMaxHeapSize=1g");

    AppConfig defaults = ConfigLoader.load(null, null, Map.of(), dir);
    assertThat(ProcessPoolMode.childJvmOptions(defaults, new DiscordSetup(null, null, null)))
        .containsSubsequence("-Xss16m", "-XX:+UseZGC", "-XX:-ZProactive", "-Djdk.trackAllThreads=false",
            "-XX:SoftMaxHeapSize=1g");
  }

  @Test
  void zero_means_no_cap_for_max_vms_and_no_eviction_for_idle_vms() {
    AppConfig c = ConfigLoader.load(null, null, Map.of("TW_LIMITS_MAX_VMS", "0", "TW_LIMITS_VM_IDLE_EVICT_SECONDS", "0"), dir);
    WorkerConfig worker = ThreadPoolMode.workerConfig(c);
    assertThat(worker.maxVms()).isEqualTo(Integer.MAX_VALUE);
    assertThat(worker.idleTimeout()).isGreaterThan(Duration.ofDays(365));
  }
}
