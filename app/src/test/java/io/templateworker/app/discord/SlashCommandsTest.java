package io.templateworker.app.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.api.ApiException;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.luau.TemplateLibraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./builtins.register evaluated in a throw-away VM; the result registered with the mock and served at /bot-state. */
class SlashCommandsTest {

    static final String REGISTER = """
            local function ping()
              return {name = "ping", description = "Check the bot answers", type = 1, options = {}}
            end
            local function warn()
              return {name = "warn", description = "Warn a member", options = {
                {type = 6, name = "user", description = "Who", required = true},
                {type = 3, name = "reason", description = "Why", choices = {}}}}
            end
            return {commands = {ping(), warn()}}
            """;

    @TempDir
    Path dir;

    LuauIsolateFactory isolates(String register) throws Exception {
        Files.writeString(dir.resolve("builtins.templateloop.luau"), "return function(ctx) end");
        Files.writeString(dir.resolve(SlashCommands.REGISTER_FILE), register);
        return new LuauIsolateFactory(Limits.defaults()).withLibraries(TemplateLibraries.load(List.of(), dir, null));
    }

    @Test
    void the_register_script_gives_discords_create_command_json() throws Exception {
        ArrayNode commands = SlashCommands.evaluate(isolates(REGISTER));
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).path("name").asText()).isEqualTo("ping");
        assertThat(commands.get(0).path("type").asInt()).isEqualTo(1);
        assertThat(commands.get(0).path("options").isArray()).as("an empty Luau table is an empty options list").isTrue();
        JsonNode user = commands.get(1).path("options").get(0);
        assertThat(user.path("type").asInt()).isEqualTo(6);
        assertThat(user.path("required").asBoolean()).isTrue();
        assertThat(commands.get(1).path("options").get(1).path("choices").isArray()).isTrue();
    }

    @Test
    void registering_bulk_overwrites_the_global_commands() throws Exception {
        ArrayNode commands = SlashCommands.evaluate(isolates(REGISTER));
        try (MockDiscord mock = MockDiscord.start(MockDiscord.Options.defaults());
             DiscordRestClient rest = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()),
                     new SimpleMeterRegistry())) {
            assertThat(SlashCommands.registerGlobal(rest, commands)).isEqualTo(2);
            assertThat(SlashCommands.registerGlobal(rest, commands)).as("an overwrite, not an addition").isEqualTo(2);
            JsonNode listed = new ObjectMapper().readTree(rest.execute(DiscordRequest.get("/applications/{application_id}/commands",
                    mock.botId())).body());
            assertThat(listed).hasSize(2);
            assertThat(listed.get(1).path("name").asText()).isEqualTo("warn");
            assertThat(listed.get(1).path("id").asText()).as("Discord gives each an id").isNotEmpty();
        }
    }

    @Test
    void bot_state_serves_the_same_list() throws Exception {
        BotStateRoutes routes = new BotStateRoutes(isolates(REGISTER));
        assertThat(routes.state().commands()).extracting(c -> c.path("name").asText()).containsExactly("ping", "warn");
        assertThat(new BotStateRoutes(new LuauIsolateFactory(Limits.defaults())).state().commands())
                .as("no templates.builtins: no commands").isEmpty();
    }

    @Test
    void a_broken_register_script_is_a_clear_error() throws Exception {
        assertThatThrownBy(() -> SlashCommands.evaluate(isolates("return {commands = {{description = 'no name'}}}")))
                .hasMessageContaining("every command needs a name");
        assertThatThrownBy(() -> SlashCommands.evaluate(isolates("error('nope')")))
                .hasMessageContaining("./builtins.register failed").hasMessageContaining("nope");
        BotStateRoutes routes = new BotStateRoutes(isolates("return 5"));
        assertThatThrownBy(routes::state).isInstanceOf(ApiException.class)
                .hasMessageContaining("must return {commands = {...}}");
    }
}
