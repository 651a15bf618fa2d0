package io.templateworker.app.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiscordTest {

    @TempDir
    Path dir;

    private AppConfig config(Map<String, String> env) {
        return ConfigLoader.load(null, null, env, dir);
    }

    @Test
    void local_mode_is_chosen_by_the_missing_token() {
        assertThat(LocalDiscord.needed(config(Map.of()))).isTrue();
        assertThat(LocalDiscord.needed(config(Map.of("TW_DISCORD_AUTH_TOKEN", "abc")))).isFalse();
        assertThat(config(Map.of()).addrs().mockDiscord().toString()).isEqualTo("127.0.0.1:60002");
    }

    @Test
    void starts_the_mock_at_the_configured_address_with_the_demo_guild() throws Exception {
        try (MockDiscord mock = LocalDiscord.start(config(Map.of("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0")))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__mock/state")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode guild = new ObjectMapper().readTree(r.body()).path("guilds").get(0);
            assertThat(guild.path("id").asText()).isEqualTo("1064135068928454766");
            assertThat(guild.path("channels").findValuesAsText("name")).contains("general");
            assertThat(guild.path("roles").size()).isGreaterThanOrEqualTo(3);
            // Humans other than the owner hold neither MANAGE_GUILD (32) nor ADMINISTRATOR (8).
            Map<String, Long> rolePerms = new java.util.HashMap<>();
            guild.path("roles").forEach(role -> rolePerms.put(role.path("id").asText(), Long.parseLong(role.path("permissions").asText())));
            int humans = 0;
            for (JsonNode m : guild.path("members")) {
                String id = m.path("user").path("id").asText();
                if (m.path("user").path("bot").asBoolean() || id.equals(guild.path("owner_id").asText())) {
                    continue;
                }
                humans++;
                long perms = rolePerms.get(guild.path("id").asText());
                for (JsonNode role : m.path("roles")) {
                    perms |= rolePerms.get(role.asText());
                }
                assertThat(perms & (8 | 32)).as("permissions of %s", id).isZero();
            }
            assertThat(humans).isGreaterThanOrEqualTo(2);
            JsonNode bot = null;
            for (JsonNode m : guild.path("members")) {
                if (m.path("user").path("bot").asBoolean()) {
                    bot = m;
                }
            }
            assertThat(bot).isNotNull();
            assertThat(bot.path("roles").findValuesAsText("")).isEmpty();
            assertThat(bot.path("roles").get(0).asText()).isEqualTo(Long.toString(DemoGuild.BOT_ROLE_ID));
        }
    }

    @Test
    void a_taken_port_is_a_clear_error_naming_the_key() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AppConfig config = config(Map.of("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:" + taken.getLocalPort()));
            assertThatThrownBy(() -> LocalDiscord.start(config)).hasMessageContaining("addrs.mock_discord")
                    .hasMessageContaining("TW_ADDRS_MOCK_DISCORD").hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }
}
