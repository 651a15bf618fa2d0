package io.templateworker.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.state.SandwichGuildState;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meta.sandwich_http_api}: the guild state the plugin and the API read comes from Sandwich's cache (a real HTTP
 * server standing in for Sandwich's HTTP API), with Discord's REST API (the mock) behind it for what Sandwich lacks.
 */
class SandwichStateTest {

    /** A guild only Sandwich knows (the mock Discord has never heard of it). */
    static final long GUILD = 4242L << 22;
    static final long OWNER = GUILD + 1;
    static final long MOD_ROLE = GUILD + 2;
    static final long MEMBER = GUILD + 3;
    static final long CHANNEL = GUILD + 4;

    @TempDir
    Path dir;
    FakeSandwich sandwich;
    MockDiscord mock;
    DiscordSetup discord;

    @BeforeEach
    void start() throws Exception {
        sandwich = new FakeSandwich();
        mock = MockDiscord.start(MockDiscord.Options.defaults());
        mock.rateLimits().disable();
        DemoGuild.seed(mock);
        // Roles as Sandwich's cache keeps them: an object keyed by id.
        sandwich.put("guilds", GUILD, 0, """
                {"id": "%d", "name": "only in sandwich", "owner_id": "%d", "roles": {
                  "%d": {"id": "%d", "name": "@everyone", "position": 0, "permissions": "1024"},
                  "%d": {"id": "%d", "name": "mods", "position": 3, "permissions": "8"}}}"""
                .formatted(GUILD, OWNER, GUILD, GUILD, MOD_ROLE, MOD_ROLE));
        sandwich.put("members", MEMBER, GUILD, """
                {"user": {"id": "%d", "username": "sandy"}, "roles": ["%d"], "joined_at": "2024-01-01T00:00:00+00:00"}"""
                .formatted(MEMBER, MOD_ROLE));
        sandwich.put("guild_channels", GUILD, 0, """
                [{"id": "%d", "type": 0, "name": "from-sandwich", "permission_overwrites": []}]""".formatted(CHANNEL));
        sandwich.put("channels", CHANNEL, GUILD, """
                {"id": "%d", "type": 0, "name": "from-sandwich", "permission_overwrites": []}""".formatted(CHANNEL));
        AppConfig config = ConfigLoader.load(null, null, Map.of("TW_META_SANDWICH_HTTP_API", sandwich.base(),
                "TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0"), dir);
        System.setProperty(DiscordSetup.CHILD_API_PROPERTY, mock.apiBase());
        try {
            discord = DiscordSetup.forChild(config); // a process reading the gateway: gateway state, Sandwich, then REST
        } finally {
            System.clearProperty(DiscordSetup.CHILD_API_PROPERTY);
        }
    }

    @AfterEach
    void stop() {
        ((DiscordRestClient) discord.rest()).close();
        mock.close();
        sandwich.close();
    }

    @Test
    void guild_member_and_channels_are_read_from_sandwich() {
        GuildState state = discord.guildState();
        GuildInfo guild = state.guild(GUILD);
        assertThat(guild).isNotNull();
        assertThat(guild.name()).isEqualTo("only in sandwich");
        assertThat(guild.roles()).containsKeys(GUILD, MOD_ROLE);
        MemberInfo member = state.member(GUILD, MEMBER);
        assertThat(member.roles()).containsExactly(MOD_ROLE);
        assertThat(member.raw().path("user").path("username").asText()).isEqualTo("sandy");
        assertThat(state.channels(GUILD)).extracting(c -> c.name()).containsExactly("from-sandwich");
        assertThat(state.channel(GUILD, CHANNEL).guildId()).isEqualTo(GUILD);
        // The permission checks work on Sandwich's objects: the mods role is ADMINISTRATOR.
        assertThat(PermissionCalculator.base(guild, member, Instant.now()) & 8).isEqualTo(8);
        assertThat(sandwich.requests).anyMatch(q -> q.startsWith("col=guilds&id=" + GUILD))
                .anyMatch(q -> q.equals("col=members&id=" + MEMBER + "&guild_id=" + GUILD))
                .anyMatch(q -> q.startsWith("col=guild_channels&id=" + GUILD))
                .anyMatch(q -> q.equals("col=channels&id=" + CHANNEL + "&guild_id=" + GUILD));
    }

    @Test
    void what_sandwich_does_not_hold_comes_from_discord() {
        GuildState state = discord.guildState();
        GuildInfo demo = state.guild(DemoGuild.GUILD_ID);
        assertThat(demo.name()).isEqualTo("Template Worker demo");
        assertThat(sandwich.requests).anyMatch(q -> q.startsWith("col=guilds&id=" + DemoGuild.GUILD_ID));
        assertThat(state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID)).isNotNull();
        assertThat(state.member(GUILD, MEMBER + 100)).as("neither Sandwich nor Discord knows this member").isNull();
    }

    @Test
    void an_unreachable_sandwich_falls_back_to_discord() {
        sandwich.close();
        GuildState state = new SandwichGuildState(sandwich.base(), io.templateworker.discord.state.RestGuildState.withDefaults(discord.rest()));
        assertThat(state.guild(DemoGuild.GUILD_ID).name()).isEqualTo("Template Worker demo");
        assertThat(state.channels(DemoGuild.GUILD_ID)).extracting(c -> c.name()).contains("general");
    }
}
