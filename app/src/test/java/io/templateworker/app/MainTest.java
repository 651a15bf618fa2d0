package io.templateworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, dir);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_lists_every_flag_and_exits_0() {
        assertThat(run(Map.of(), "--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : new String[] {"--worker-type", "--max-db-connections", "--process-workers", "--worker-id",
                "--worker-debug", "--config", "--data-dir", "--help", "--version"}) {
            assertThat(help).contains(flag);
        }
        assertThat(help).contains("process-pool-worker").contains("apply-migration").contains("fauxpas");
    }

    @Test
    void version_exits_0() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("template-worker ");
    }

    @Test
    void every_worker_type_name_and_alias_is_accepted() {
        for (WorkerType t : WorkerType.values()) {
            assertThat(WorkerType.parse(t.cliName())).isEqualTo(t);
            assertThat(WorkerType.parse(t.alias())).isEqualTo(t);
        }
        assertThat(WorkerType.parse("Thread-Pool")).isEqualTo(WorkerType.THREADPOOL);
    }

    @Test
    void unknown_worker_type_is_a_usage_error_listing_the_choices() {
        assertThat(run(Map.of(), "--worker-type", "fastpool")).isEqualTo(2);
        assertThat(stderr()).contains("fastpool").contains("threadpool (thread-pool)").contains("register (register-commands)");
    }

    @Test
    void worker_id_outside_processpoolworker_is_fatal() {
        assertThat(run(Map.of(), "--worker-type", "threadpool", "--worker-id", "1")).isEqualTo(2);
        assertThat(stderr()).contains("--worker-id is only valid with --worker-type processpoolworker");
    }

    @Test
    void processpoolworker_needs_an_id_below_the_worker_count() {
        assertThat(run(Map.of(), "--worker-type", "process-pool-worker", "--worker-id", "3", "--process-workers", "3"))
                .isEqualTo(2);
        assertThat(stderr()).contains("between 0 and");
    }

    @Test
    void register_without_builtins_says_what_to_set_and_exits_2() {
        assertThat(run(Map.of(), "--worker-type", "register-commands")).isEqualTo(2);
        assertThat(stderr()).contains("templates.builtins").contains("TW_TEMPLATES_BUILTINS");
    }

    @Test
    void invalid_config_fails_at_start_naming_the_key() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "addrs:\n  template_worker: nowhere\n");
        assertThat(run(Map.of(), "--worker-type", "migrate")).isEqualTo(1);
        assertThat(stderr()).contains("configuration error").contains("addrs.template_worker").contains("'nowhere'");
    }

    @Test
    void migrate_applies_then_is_a_no_op_on_a_second_run() {
        Map<String, String> env = Map.of();
        assertThat(run(env, "--worker-type", "migrate", "--data-dir", "d")).isZero();
        assertThat(Files.isDirectory(dir.resolve("d/postgres"))).as("embedded cluster under the data dir").isTrue();
        assertThat(run(env, "--worker-type", "apply-migration", "--data-dir", "d")).isZero();
    }
}
