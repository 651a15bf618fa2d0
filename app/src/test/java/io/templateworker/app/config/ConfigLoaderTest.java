package io.templateworker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private AppConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, null, env, dir);
    }

    private void writeConfig(String yaml) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    @Test
    void no_config_file_means_local_mode_with_embedded_database_under_data_dir() {
        AppConfig c = load(Map.of());
        assertThat(c.localMode()).isTrue();
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.database().type()).isEqualTo(AppConfig.Database.Type.EMBEDDED);
        assertThat(c.objectStorage().type()).isEqualTo(AppConfig.ObjectStorage.Type.LOCAL);
        assertThat(c.objectStorage().basePath()).isEqualTo(dir.resolve("data/objects"));
        assertThat(c.addrs().templateWorker()).isEqualTo(new HostPort("127.0.0.1", 60000));
        assertThat(c.limits().vmMemoryBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(c.limits().kvValueMaxBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void file_values_are_read_into_the_records() throws Exception {
        writeConfig("""
                discord_auth:
                  token: fake-token
                  client_id: "1234"
                  root_users: [111, "222"]
                  allowed_redirects: ["https://dash.example/cb"]
                meta:
                  postgres_url: postgres://tw:pw@db:5432/antiraid
                  proxy: http://localhost:3221
                  default_error_channel: "999"
                servers:
                  main: 1064135068928454766
                object_storage:
                  type: s3-like
                  endpoint: localhost:8333
                  secure: false
                  access_key: a
                  secret_key: s
                addrs:
                  template_worker: 0.0.0.0:61000
                limits:
                  execution_slice_ms: 2500
                """);
        AppConfig c = load(Map.of());
        assertThat(c.localMode()).isFalse();
        assertThat(c.source()).endsWith("config.yaml");
        assertThat(c.discordAuth().rootUsers()).containsExactly("111", "222");
        assertThat(c.discordAuth().allowedRedirects()).containsExactly("https://dash.example/cb");
        assertThat(c.database().type()).as("meta.postgres_url selects an external database").isEqualTo(AppConfig.Database.Type.URL);
        assertThat(c.database().url()).isEqualTo("postgres://tw:pw@db:5432/antiraid");
        assertThat(c.servers().main()).isEqualTo("1064135068928454766");
        assertThat(c.objectStorage().type()).isEqualTo(AppConfig.ObjectStorage.Type.S3_LIKE);
        assertThat(c.objectStorage().secure()).isFalse();
        assertThat(c.addrs().templateWorker()).isEqualTo(new HostPort("0.0.0.0", 61000));
        assertThat(c.limits().executionSliceMs()).isEqualTo(2500);
        assertThat(c.limits().giveTimeMs()).as("unset limits keep upstream's value").isEqualTo(1000);
    }

    @Test
    void environment_overrides_file_and_defaults() throws Exception {
        writeConfig("""
                addrs:
                  template_worker: 0.0.0.0:61000
                """);
        AppConfig c = load(Map.of(
                "TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:60001",
                "TW_DISCORD_AUTH_ROOT_USERS", "1, 2,3",
                "TW_OBJECT_STORAGE_BASE_PATH", "blobs",
                "TW_LIMITS_MAX_VMS", "12",
                "TW_DATA_DIR", "state",
                "TW_JAVA_OPTS", "-Xmx1g",
                "PATH", "/usr/bin"));
        assertThat(c.addrs().templateWorker()).isEqualTo(new HostPort("127.0.0.1", 60001));
        assertThat(c.discordAuth().rootUsers()).containsExactly("1", "2", "3");
        assertThat(c.objectStorage().basePath()).isEqualTo(dir.resolve("blobs"));
        assertThat(c.limits().maxVms()).isEqualTo(12);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void data_dir_flag_beats_the_environment() {
        AppConfig c = ConfigLoader.load(null, Path.of("flagdir"), Map.of("TW_DATA_DIR", "envdir"), dir);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("flagdir"));
    }

    @Test
    void environment_can_switch_local_mode_to_an_external_database() {
        AppConfig c = load(Map.of("TW_DATABASE_URL", "postgres://u:p@h/d"));
        assertThat(c.localMode()).isTrue();
        assertThat(c.database().type()).isEqualTo(AppConfig.Database.Type.URL);
    }

    @Test
    void invalid_values_are_rejected_naming_key_value_and_expectation() throws Exception {
        assertThatThrownBy(() -> load(Map.of("TW_ADDRS_TEMPLATE_WORKER", "localhost")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("addrs.template_worker").hasMessageContaining("'localhost'").hasMessageContaining("host:port");
        assertThatThrownBy(() -> load(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:70000")))
                .hasMessageContaining("addrs.template_worker").hasMessageContaining("70000").hasMessageContaining("0-65535");
        assertThatThrownBy(() -> load(Map.of("TW_OBJECT_STORAGE_TYPE", "ftp")))
                .hasMessageContaining("object_storage.type").hasMessageContaining("'ftp'").hasMessageContaining("local, s3-like");
        assertThatThrownBy(() -> load(Map.of("TW_LIMITS_VM_MEMORY_BYTES", "lots")))
                .hasMessageContaining("limits.vm_memory_bytes").hasMessageContaining("'lots'").hasMessageContaining("whole number");
        assertThatThrownBy(() -> load(Map.of("TW_LIMITS_EXECUTION_SLICE_MS", "0")))
                .hasMessageContaining("limits.execution_slice_ms").hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> load(Map.of("TW_SERVERS_MAIN", "guild-one")))
                .hasMessageContaining("servers.main").hasMessageContaining("'guild-one'").hasMessageContaining("Discord id");
        assertThatThrownBy(() -> load(Map.of("TW_META_PROXY", "localhost:3221")))
                .hasMessageContaining("meta.proxy").hasMessageContaining("http");
        assertThatThrownBy(() -> load(Map.of("TW_DATABASE_URL", "mysql://root:hunter2@h/d")))
                .hasMessageContaining("database.url").hasMessageContaining("PostgreSQL URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load(Map.of("TW_OBJECT_STORAGE_TYPE", "s3-like")))
                .hasMessageContaining("object_storage.endpoint is required");
    }

    @Test
    void unknown_keys_and_sections_are_errors_not_silent_defaults() throws Exception {
        assertThatThrownBy(() -> load(Map.of("TW_ADDRS_TEMPLATE_WROKER", "127.0.0.1:1")))
                .hasMessageContaining("TW_ADDRS_TEMPLATE_WROKER").hasMessageContaining("template_worker");
        writeConfig("""
                meta:
                  postgress_url: postgres://x/y
                """);
        assertThatThrownBy(() -> load(Map.of()))
                .hasMessageContaining("meta.postgress_url").hasMessageContaining("postgres_url");
        writeConfig("metaa: {}\n");
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("'metaa'");
        writeConfig("- just\n- a list\n");
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("mapping");
    }

    @Test
    void an_environment_variable_with_an_unknown_section_stops_the_start() {
        assertThatThrownBy(() -> load(Map.of("TW_ADRS_TEMPLATE_WORKER", "127.0.0.1:1")))
                .hasMessageContaining("TW_ADRS_TEMPLATE_WORKER").hasMessageContaining("names no config section")
                .hasMessageContaining("addrs");
        assertThatThrownBy(() -> load(Map.of("TW_FOO", "1"))).hasMessageContaining("TW_FOO");
        // The launchers' own variables and non-TW variables are not configuration.
        AppConfig c = load(Map.of("TW_JAVA_OPTS", "-Xmx1g", "TW_LUAU_AOT", "off", "TW_LUAU_JAVA_OPTS", "-Dx=y",
                "TW_BENCH_JAVA_OPTS", "-Xmx2g", "HOME", "/root", "PATH", "/bin"));
        assertThat(c.localMode()).isTrue();
    }

    @Test
    void api_section_defaults_to_loopback_root_only_in_local_mode() throws Exception {
        AppConfig local = load(Map.of());
        assertThat(local.api().loopbackRoot()).isTrue();
        assertThat(local.api().maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(load(Map.of("TW_API_LOOPBACK_ROOT", "false")).api().loopbackRoot()).isFalse();
        assertThat(load(Map.of("TW_API_MAX_BODY_BYTES", "4096")).api().maxBodyBytes()).isEqualTo(4096);
        assertThatThrownBy(() -> load(Map.of("TW_API_LOOPBACK_ROOT", "yes"))).hasMessageContaining("api.loopback_root");
        writeConfig("servers:\n  main: \"1\"\n");
        assertThat(load(Map.of()).api().loopbackRoot()).as("with a config file").isFalse();
        writeConfig("api:\n  loopback_root: true\n");
        assertThat(load(Map.of()).api().loopbackRoot()).isTrue();
    }

    @Test
    void missing_explicit_config_file_is_an_error() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("nope.yaml"), null, Map.of(), dir))
                .hasMessageContaining("nope.yaml").hasMessageContaining("--config");
    }

    @Test
    void templates_folders_come_from_the_file_or_the_environment_and_must_exist() throws Exception {
        Files.createDirectories(dir.resolve("tt"));
        Files.createDirectories(dir.resolve("more"));
        Files.createDirectories(dir.resolve("builtins"));
        Files.createDirectories(dir.resolve("patches"));
        assertThat(load(Map.of()).templates()).isEqualTo(new AppConfig.Templates(java.util.List.of(), null, null));

        writeConfig("""
                templates:
                  libraries: [tt, more]
                """);
        assertThat(load(Map.of()).templates().libraries()).containsExactly(dir.resolve("tt"), dir.resolve("more"));

        assertThatThrownBy(() -> load(Map.of("TW_TEMPLATES_BUILTINS", "builtins")))
                .hasMessageStartingWith("templates.builtins: ").hasMessageContaining("has no builtins.templateloop.luau");
        Files.writeString(dir.resolve("builtins/builtins.templateloop.luau"), "return function(ctx) return {} end");
        AppConfig.Templates t = load(Map.of("TW_TEMPLATES_LIBRARIES", "more", "TW_TEMPLATES_BUILTINS", "builtins",
                "TW_TEMPLATES_BUILTINS_PATCHES", "patches")).templates();
        assertThat(t.libraries()).containsExactly(dir.resolve("more"));
        assertThat(t.builtins()).isEqualTo(dir.resolve("builtins"));
        assertThat(t.builtinsPatches()).isEqualTo(dir.resolve("patches"));

        assertThatThrownBy(() -> load(Map.of("TW_TEMPLATES_LIBRARIES", "tt,missing")))
                .hasMessageStartingWith("templates.libraries: 'missing' is not a folder");
    }
}
