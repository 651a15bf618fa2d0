package io.templateworker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code discord} section: gateway intents and the shard count (a multiple of the worker count). */
class DiscordConfigTest {

    @TempDir
    Path dir;

    private AppConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, null, env, dir);
    }

    @Test
    void defaults_are_upstreams_intents_and_one_shard_per_worker() {
        AppConfig.Discord d = load(Map.of()).discord();
        assertThat(d.intents()).isEqualTo(20031103);
        assertThat(d.shards()).isNull();
        assertThat(d.shardsFor(3)).isEqualTo(3);
        assertThat(d.zlibStream()).isTrue();
    }

    @Test
    void any_multiple_of_the_worker_count_is_allowed() {
        AppConfig.Discord d = load(Map.of("TW_DISCORD_SHARDS", "8", "TW_DISCORD_INTENTS", "513")).discord();
        assertThat(d.shardsFor(2)).isEqualTo(8);
        assertThat(d.shardsFor(4)).isEqualTo(8);
        assertThat(d.intents()).isEqualTo(513);
        assertThatThrownBy(() -> d.shardsFor(3)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("discord.shards: 8 is not a multiple of the worker count 3").hasMessageContaining("3, 6, 9");
    }

    @Test
    void bad_values_name_the_key() {
        assertThatThrownBy(() -> load(Map.of("TW_DISCORD_SHARDS", "0"))).hasMessageContaining("discord.shards");
        assertThatThrownBy(() -> load(Map.of("TW_DISCORD_INTENTS", Long.toString(1L << 40))))
                .hasMessageContaining("discord.intents").hasMessageContaining("bits Discord does not define");
        assertThatThrownBy(() -> load(Map.of("TW_DISCORD_SHARD", "2"))).hasMessageContaining("section discord has no key 'shard'");
    }

    @Test
    void discord_auth_variables_are_not_read_as_the_discord_section() {
        assertThat(load(Map.of("TW_DISCORD_AUTH_TOKEN", "t")).discordAuth().token()).isEqualTo("t");
    }

    @Test
    void the_process_pools_standby_variable_is_not_configuration() {
        // A warm standby child gets TW_WORKER_STANDBY=1; the strict TW_* check once stopped it before it connected.
        assertThat(load(Map.of("TW_WORKER_STANDBY", "1")).discord().intents()).isEqualTo(20031103);
    }
}
