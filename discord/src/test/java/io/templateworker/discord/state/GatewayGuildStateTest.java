package io.templateworker.discord.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache fed by gateway events (GUILD_CREATE from the mock), with REST behind it for misses. */
class GatewayGuildStateTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MockDiscord mock;
    DiscordRestClient rest;
    GatewayGuildState state;
    int restCalls;

    @BeforeEach
    void start() {
        mock = MockDiscord.start(MockDiscord.Options.defaults());
        mock.rateLimits().disable();
        DemoGuild.seed(mock);
        rest = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
        RestGuildState fallback = new RestGuildState(request -> {
            restCalls++;
            return rest.execute(request);
        }, java.time.Duration.ofSeconds(10), 1000);
        state = new GatewayGuildState(fallback, true);
    }

    @AfterEach
    void stop() {
        rest.close();
        mock.close();
    }

    JsonNode guildCreate() {
        return mock.locked(a -> {
            MockGuild g = mock.state().guild(DemoGuild.GUILD_ID);
            return a.guildCreate(g);
        });
    }

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void objects_read_back_whole_while_the_guild_object_leaves_out_the_gateway_lists() {
        state.apply("GUILD_CREATE", guildCreate());
        JsonNode guild = state.guild(DemoGuild.GUILD_ID).raw();
        assertThat(guild.path("name").asText()).isEqualTo("Template Worker demo");
        assertThat(guild.path("roles").size()).isEqualTo(state.guild(DemoGuild.GUILD_ID).roles().size());
        assertThat(guild.has("members")).as("members are kept apart, not inside the guild object").isFalse();
        assertThat(guild.has("channels")).isFalse();
        JsonNode alice = state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID).raw();
        assertThat(alice.path("user").path("id").asText()).isEqualTo(Long.toUnsignedString(DemoGuild.ALICE_ID));
        assertThat(alice.path("roles").toString()).contains(Long.toUnsignedString(DemoGuild.MODERATOR_ROLE_ID));
        JsonNode general = state.channel(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID).raw();
        assertThat(general.path("name").asText()).isEqualTo("general");
        assertThat(general.path("guild_id").asText()).isEqualTo(Long.toUnsignedString(DemoGuild.GUILD_ID));
        // Each read is a fresh tree: a caller changing it changes nothing kept.
        ((com.fasterxml.jackson.databind.node.ObjectNode) general).put("name", "changed");
        assertThat(state.channel(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID).raw().path("name").asText()).isEqualTo("general");
    }

    @Test
    void guild_create_fills_guild_roles_channels_and_members_without_rest_calls() {
        state.apply("GUILD_CREATE", guildCreate());
        GuildInfo g = state.guild(DemoGuild.GUILD_ID);
        assertThat(g.name()).isEqualTo("Template Worker demo");
        assertThat(g.roles()).containsKey(DemoGuild.MODERATOR_ROLE_ID);
        assertThat(state.channel(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID).guildId()).isEqualTo(DemoGuild.GUILD_ID);
        assertThat(state.channels(DemoGuild.GUILD_ID)).extracting(c -> c.name()).contains("general", "mod-log");
        MemberInfo alice = state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID);
        assertThat(alice.roles()).contains(DemoGuild.MODERATOR_ROLE_ID);
        assertThat(state.knows(DemoGuild.GUILD_ID)).isTrue();
        assertThat(restCalls).isZero();
        // The permission checks read it as they read REST: the owner can do everything, bob cannot see mod-log.
        long owner = PermissionCalculator.base(g, state.member(DemoGuild.GUILD_ID, DemoGuild.OWNER_ID), Instant.now());
        assertThat(DiscordPermission.ADMINISTRATOR.in(owner)).isTrue();
        long bobInModLog = PermissionCalculator.inChannel(g, state.channel(DemoGuild.GUILD_ID, DemoGuild.MOD_LOG_CHANNEL_ID),
                state.member(DemoGuild.GUILD_ID, DemoGuild.BOB_ID), Instant.now());
        assertThat(DiscordPermission.VIEW_CHANNEL.in(bobInModLog)).isFalse();
    }

    @Test
    void events_keep_it_current() throws Exception {
        state.apply("GUILD_CREATE", guildCreate());
        long g = DemoGuild.GUILD_ID;
        state.apply("GUILD_ROLE_UPDATE", json("{\"guild_id\":\"" + g + "\",\"role\":{\"id\":\"" + DemoGuild.MEMBER_ROLE_ID
                + "\",\"name\":\"Regular\",\"position\":1,\"permissions\":\"8\"}}"));
        assertThat(state.guild(g).roles().get(DemoGuild.MEMBER_ROLE_ID).name()).isEqualTo("Regular");
        assertThat(state.guild(g).raw().findValuesAsText("name")).contains("Regular");
        state.apply("GUILD_ROLE_DELETE", json("{\"guild_id\":\"" + g + "\",\"role_id\":\"" + DemoGuild.MEMBER_ROLE_ID + "\"}"));
        assertThat(state.guild(g).roles()).doesNotContainKey(DemoGuild.MEMBER_ROLE_ID);
        state.apply("CHANNEL_CREATE", json("{\"id\":\"55\",\"guild_id\":\"" + g + "\",\"type\":0,\"name\":\"new\"}"));
        assertThat(state.channel(g, 55).name()).isEqualTo("new");
        state.apply("CHANNEL_DELETE", json("{\"id\":\"55\",\"guild_id\":\"" + g + "\",\"type\":0}"));
        assertThat(state.channels(g)).extracting(c -> c.name()).doesNotContain("new");
        state.apply("GUILD_MEMBER_UPDATE", json("{\"guild_id\":\"" + g + "\",\"user\":{\"id\":\"" + DemoGuild.BOB_ID
                + "\"},\"roles\":[\"" + DemoGuild.MODERATOR_ROLE_ID + "\"],\"communication_disabled_until\":null}"));
        assertThat(state.member(g, DemoGuild.BOB_ID).roles()).containsExactly(DemoGuild.MODERATOR_ROLE_ID);
        state.apply("GUILD_MEMBER_REMOVE", json("{\"guild_id\":\"" + g + "\",\"user\":{\"id\":\"" + DemoGuild.BOB_ID + "\"}}"));
        assertThat(state.cachedMembers(g)).isEqualTo(3);
        state.apply("GUILD_DELETE", json("{\"id\":\"" + g + "\",\"unavailable\":true}"));
        assertThat(state.knows(g)).as("an outage keeps the state").isTrue();
        state.apply("GUILD_DELETE", json("{\"id\":\"" + g + "\"}"));
        assertThat(state.knows(g)).isFalse();
    }

    @Test
    void misses_go_to_rest_and_tracked_members_are_kept() throws Exception {
        // A guild the gateway has not delivered: REST answers.
        assertThat(state.guild(DemoGuild.GUILD_ID).name()).isEqualTo("Template Worker demo");
        assertThat(restCalls).isEqualTo(1);
        // A member missing from a delivered guild (large guilds list only some): fetched once, then cached.
        JsonNode create = guildCreate();
        ((com.fasterxml.jackson.databind.node.ObjectNode) create).putArray("members");
        state.apply("GUILD_CREATE", create);
        restCalls = 0;
        assertThat(state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID)).isNotNull();
        assertThat(state.member(DemoGuild.GUILD_ID, DemoGuild.ALICE_ID)).isNotNull();
        assertThat(restCalls).isEqualTo(1);
        assertThat(state.member(DemoGuild.GUILD_ID, 12345)).isNull();
    }

    @Test
    void message_and_interaction_authors_refresh_their_membership() throws Exception {
        JsonNode create = guildCreate();
        ((com.fasterxml.jackson.databind.node.ObjectNode) create).putArray("members");
        state.apply("GUILD_CREATE", create);
        long g = DemoGuild.GUILD_ID;
        state.apply("MESSAGE_CREATE", json("{\"guild_id\":\"" + g + "\",\"author\":{\"id\":\"" + DemoGuild.ALICE_ID
                + "\"},\"member\":{\"roles\":[\"" + DemoGuild.MEMBER_ROLE_ID + "\"],\"joined_at\":\"2024-01-01T00:00:00+00:00\"}}"));
        assertThat(state.member(g, DemoGuild.ALICE_ID).roles()).containsExactly(DemoGuild.MEMBER_ROLE_ID);
        assertThat(restCalls).isZero();
    }
}
