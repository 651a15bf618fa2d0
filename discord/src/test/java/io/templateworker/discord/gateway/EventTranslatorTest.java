package io.templateworker.discord.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** UPSTREAM.md §7.2's rules, with and without a Sandwich proxy. */
class EventTranslatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long BOT = 1064135068928454800L;
    static final long GUILD = 1064135068928454766L;

    final EventTranslator direct = new EventTranslator(() -> BOT, false);
    final EventTranslator sandwich = new EventTranslator(() -> BOT, true);

    static GatewayEvent event(String type, String d) throws Exception {
        return new GatewayEvent(0, type, 5, JSON.readTree(d), null);
    }

    static GatewayEvent sandwiched(String type, String d, long guild, long user) throws Exception {
        JsonNode edt = JSON.readTree("{\"GuildID\":\"" + guild + "\",\"UserID\":\"" + user + "\"}");
        return new GatewayEvent(0, type, 5, JSON.readTree(d), edt);
    }

    @Test
    void message_create_becomes_message_with_discords_payload_as_received() throws Exception {
        EventTranslator.Routed r = direct.translate(event("MESSAGE_CREATE",
                "{\"guild_id\":\"" + GUILD + "\",\"content\":\"hi\",\"author\":{\"id\":\"42\"},\"mentions\":[],\"nonce\":null}"));
        assertThat(r.guildId()).isEqualTo(GUILD);
        assertThat(r.event().name()).isEqualTo("MESSAGE");
        assertThat(r.event().author()).isNull();
        JsonNode data = JSON.readTree(r.event().json().bytes());
        assertThat(data.path("content").asText()).isEqualTo("hi");
        assertThat(data.has("nonce")).isTrue();
    }

    @Test
    void other_names_are_discords() throws Exception {
        assertThat(direct.translate(event("GUILD_MEMBER_ADD", "{\"guild_id\":\"" + GUILD + "\",\"user\":{\"id\":\"7\"}}")).event().name())
                .isEqualTo("GUILD_MEMBER_ADD");
        assertThat(direct.translate(event("MESSAGE_UPDATE", "{\"guild_id\":\"" + GUILD + "\",\"author\":{\"id\":\"7\"}}")).event().name())
                .isEqualTo("MESSAGE_UPDATE");
    }

    @Test
    void guild_create_ready_resumed_are_never_dispatched() throws Exception {
        assertThat(direct.translate(event("GUILD_CREATE", "{\"id\":\"" + GUILD + "\",\"guild_id\":\"" + GUILD + "\"}"))).isNull();
        assertThat(direct.translate(event("READY", "{\"session_id\":\"x\"}"))).isNull();
        assertThat(direct.translate(event("RESUMED", "{}"))).isNull();
        assertThat(sandwich.translate(sandwiched("GUILD_CREATE", "{\"id\":\"" + GUILD + "\"}", GUILD, 7))).isNull();
    }

    @Test
    void the_bots_own_messages_and_guildless_events_are_dropped() throws Exception {
        assertThat(direct.translate(event("MESSAGE_CREATE", "{\"guild_id\":\"" + GUILD + "\",\"author\":{\"id\":\"" + BOT + "\"}}"))).isNull();
        assertThat(direct.translate(event("MESSAGE_CREATE", "{\"channel_id\":\"1\",\"author\":{\"id\":\"42\"}}"))).isNull();
        assertThat(direct.translate(event("USER_UPDATE", "{\"id\":\"" + BOT + "\"}"))).isNull();
    }

    @Test
    void guild_update_uses_the_guilds_own_id() throws Exception {
        assertThat(direct.translate(event("GUILD_UPDATE", "{\"id\":\"" + GUILD + "\",\"name\":\"x\"}")).guildId()).isEqualTo(GUILD);
    }

    @Test
    void behind_sandwich_the_guild_and_actor_come_from_its_metadata() throws Exception {
        EventTranslator.Routed r = sandwich.translate(sandwiched("MESSAGE_CREATE", "{\"content\":\"x\"}", GUILD, 42));
        assertThat(r.guildId()).isEqualTo(GUILD);
        assertThat(r.event().name()).isEqualTo("MESSAGE");
        assertThat(sandwich.translate(sandwiched("MESSAGE_CREATE", "{\"content\":\"x\"}", GUILD, BOT))).as("self").isNull();
        assertThat(sandwich.translate(event("MESSAGE_CREATE", "{\"guild_id\":\"" + GUILD + "\"}"))).as("no identifier").isNull();
        assertThat(sandwich.translate(sandwiched("TYPING_START", "{}", 0, 42))).as("no guild").isNull();
    }

    @Test
    void before_ready_nothing_counts_as_a_self_event() throws Exception {
        EventTranslator early = new EventTranslator(() -> 0, false);
        assertThat(early.translate(event("MESSAGE_CREATE", "{\"guild_id\":\"" + GUILD + "\",\"author\":{\"id\":\"" + BOT + "\"}}"))).isNotNull();
    }
}
