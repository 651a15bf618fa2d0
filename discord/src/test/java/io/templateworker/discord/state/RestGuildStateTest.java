package io.templateworker.discord.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestGuildStateTest {

    MockDiscord discord;
    DiscordRestClient client;
    RestGuildState state;
    long otherChannel;

    @BeforeEach
    void start() {
        discord = MockDiscord.start(MockDiscord.Options.defaults());
        discord.rateLimits().disable();
        DemoGuild.seed(discord);
        otherChannel = discord.locked(a -> {
            var spec = Json.obj();
            spec.put("name", "Other");
            spec.putArray("channels").addObject().put("name", "elsewhere");
            spec.putArray("members").addObject().putObject("user").put("username", "zed");
            return a.createGuild(spec).channels.keySet().iterator().next();
        });
        client = new DiscordRestClient(DiscordRestConfig.defaults(discord.apiBase(), discord.botToken()), new SimpleMeterRegistry());
        state = RestGuildState.withDefaults(client);
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    @Test
    void reads_guild_roles_channels_and_members() {
        GuildInfo g = state.guild(DemoGuild.GUILD_ID);
        assertThat(g.ownerId()).isEqualTo(DemoGuild.OWNER_ID);
        assertThat(g.roles()).containsKeys(DemoGuild.GUILD_ID, DemoGuild.BOT_ROLE_ID, DemoGuild.MODERATOR_ROLE_ID);
        assertThat(state.channels(DemoGuild.GUILD_ID)).extracting(ChannelInfo::name).contains("general", "mod-log");
        assertThat(state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID).roles()).contains(DemoGuild.MODERATOR_ROLE_ID);
        assertThat(state.member(DemoGuild.GUILD_ID, 1234L)).isNull();
        assertThat(state.guild(999L)).isNull();
        // A channel of another guild is not this guild's (upstream's check compared a value with itself).
        assertThat(state.channel(DemoGuild.GUILD_ID, otherChannel)).isNull();
        assertThat(state.channel(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID).name()).isEqualTo("general");
    }

    @Test
    void permissions_and_hierarchy_agree_with_the_mock() {
        GuildInfo g = state.guild(DemoGuild.GUILD_ID);
        ChannelInfo modLog = state.channel(DemoGuild.GUILD_ID, DemoGuild.MOD_LOG_CHANNEL_ID);
        MemberInfo bob = state.member(DemoGuild.GUILD_ID, DemoGuild.BOB_ID);
        MemberInfo alice = state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID);
        MemberInfo bot = state.member(DemoGuild.GUILD_ID, discord.botId());
        MemberInfo owner = state.member(DemoGuild.GUILD_ID, DemoGuild.OWNER_ID);
        Instant now = Instant.now();
        assertThat(PermissionCalculator.inChannel(g, modLog, bob, now)).isZero();
        assertThat(DiscordPermission.VIEW_CHANNEL.in(PermissionCalculator.inChannel(g, modLog, alice, now))).isTrue();
        assertThat(DiscordPermission.SEND_MESSAGES.in(PermissionCalculator.inChannel(g, modLog, bot, now))).isTrue();
        assertThat(PermissionCalculator.base(g, owner, now)).isEqualTo(DiscordPermission.ALL);
        assertThat(DiscordPermission.MANAGE_GUILD.in(PermissionCalculator.base(g, alice, now))).isFalse();
        assertThat(PermissionCalculator.outranks(g, bot, bob)).isTrue();
        assertThat(PermissionCalculator.outranks(g, bot, owner)).isFalse();
        // What the calculator says about the bot is what the mock enforces.
        assertThat(client.execute(io.templateworker.runtime.discord.DiscordRequest.post("/channels/{channel_id}/messages",
                "{\"content\":\"hi\"}", DemoGuild.MOD_LOG_CHANNEL_ID)).status()).isEqualTo(200);
    }

    @Test
    void answers_are_cached_until_invalidated() {
        state.guild(DemoGuild.GUILD_ID);
        state.member(DemoGuild.GUILD_ID, DemoGuild.BOB_ID);
        discord.rateLimits().resetStats();
        state.guild(DemoGuild.GUILD_ID);
        state.member(DemoGuild.GUILD_ID, DemoGuild.BOB_ID);
        assertThat(discord.rateLimits().stats().get("requests")).isZero();
        discord.locked(a -> discord.state().guild(DemoGuild.GUILD_ID).name = "Renamed");
        assertThat(state.guild(DemoGuild.GUILD_ID).name()).isEqualTo("Template Worker demo");
        state.invalidate(DemoGuild.GUILD_ID);
        assertThat(state.guild(DemoGuild.GUILD_ID).name()).isEqualTo("Renamed");
    }
}
