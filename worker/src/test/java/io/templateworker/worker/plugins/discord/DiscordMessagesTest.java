package io.templateworker.worker.plugins.discord;

import static io.templateworker.worker.plugins.discord.DiscordFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.runtime.discord.DiscordRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages and reactions through {@code ctx.Discord} against the mock Discord: success, every validation rule, checks. */
class DiscordMessagesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GENERAL = id(DemoGuild.GENERAL_CHANNEL_ID);
  static final String DISCLAIMER = "Content provided by users is the sole responsibility of the author. AntiRaid does not"
      + " monitor, verify, or endorse any user-generated messages.";
  DiscordFixture d;

  @BeforeEach
  void start() {
    d = new DiscordFixture();
  }

  @AfterEach
  void stop() {
    d.close();
  }

  private JsonNode lastMessage() throws Exception {
    JsonNode list = JSON.readTree(d.rest(DiscordRequest.get("/channels/{channel_id}/messages", DemoGuild.GENERAL_CHANNEL_ID)
        .withQuery("limit=1")).body());
    return list.get(0);
  }

  private String send(String data) {
    return d.error("ctx.Discord:create_message({channel_id = '" + GENERAL + "', data = " + data + "})");
  }

  @Test
  void create_message_sends_with_the_disclaimer_and_returns_a_lazy_message() throws Exception {
    assertThat(d.json("""
        local m = ctx.Discord:create_message({channel_id = '%s', data = {content = 'hello', embeds = {{title = 'T'}}}})
        return {typeof(m), m.data.content, m.data.author.bot, #m.data.embeds}
        """.formatted(GENERAL))).isEqualTo("{\"List\":[{\"Text\":\"Lazy\"},{\"Text\":\"hello\"},{\"Boolean\":true},{\"Integer\":2}]}");
    JsonNode m = lastMessage();
    assertThat(m.path("content").asText()).isEqualTo("hello");
    assertThat(m.path("embeds").get(1).path("footer").path("text").asText()).isEqualTo(DISCLAIMER);
  }

  @Test
  void lengths_are_counted_in_characters_as_discord_counts_them_not_utf8_bytes() throws Exception {
    // 2000 three-byte characters are 6000 UTF-8 bytes: upstream refused them, Discord accepts them (§12 #34).
    d.run("ctx.Discord:create_message({channel_id = '" + GENERAL + "', data = {content = string.rep('€', 2000)}})");
    assertThat(lastMessage().path("content").asText()).hasSize(2000);
  }

  @Test
  void a_message_with_ten_embeds_is_sent_with_the_disclaimer_as_small_print() throws Exception {
    d.run("local e = {} for i = 1, 10 do e[i] = {title = 'embed ' .. i} end\n"
        + "ctx.Discord:create_message({channel_id = '" + GENERAL + "', data = {content = 'ten', embeds = e}})");
    JsonNode m = lastMessage();
    assertThat(m.path("embeds")).hasSize(10);
    assertThat(m.path("content").asText()).isEqualTo("ten\n-# " + DISCLAIMER);
    // Without room anywhere the message is refused, saying how to make room.
    assertThat(send("(function() local e = {} for i = 1, 10 do e[i] = {title = 'e'} end return {content = string.rep('x', 1990), embeds = e} end)()"))
        .contains("no room for the content disclaimer");
  }

  @Test
  void edit_delete_bulk_delete_and_crosspost() throws Exception {
    String ids = d.json("""
        local a = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'a'}}).data.id
        local b = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'b'}}).data.id
        local c = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'c'}}).data.id
        local edited = ctx.Discord:edit_message({channel_id = '%1$s', message_id = c, data = {content = 'c2'}})
        ctx.Discord:delete_message({channel_id = '%1$s', message_id = c, reason = 'cleanup'})
        ctx.Discord:bulk_delete_messages({channel_id = '%1$s', messages = {a, b}, reason = 'cleanup'})
        return edited.data.content
        """.formatted(GENERAL));
    assertThat(ids).isEqualTo("{\"Text\":\"c2\"}");
    assertThat(JSON.readTree(d.rest(DiscordRequest.get("/channels/{channel_id}/messages", DemoGuild.GENERAL_CHANNEL_ID)).body()))
        .isEmpty();
  }

  @Test
  void reactions_round_trip() {
    assertThat(d.json("""
        local m = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'react'}}).data.id
        local r = {type = 'Unicode', data = '👍'}
        ctx.Discord:create_reaction({channel_id = '%1$s', message_id = m, reaction = r})
        local users = ctx.Discord:get_reactions({channel_id = '%1$s', message_id = m, reaction = r}).data
        ctx.Discord:delete_own_reaction({channel_id = '%1$s', message_id = m, reaction = r})
        local after = ctx.Discord:get_channel_message({channel_id = '%1$s', message_id = m}).data
        ctx.Discord:delete_all_reactions({channel_id = '%1$s', message_id = m})
        return {#users, users[1].bot, after.reactions == nil or #after.reactions == 0}
        """.formatted(GENERAL))).isEqualTo("{\"List\":[{\"Integer\":1},{\"Boolean\":true},{\"Boolean\":true}]}");
  }

  @Test
  void get_channel_messages_with_a_target() {
    assertThat(d.json("""
        local a = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'one'}}).data.id
        ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'two'}})
        local after = ctx.Discord:get_channel_messages({channel_id = '%1$s', target = {type = 'After', id = a}, limit = 10}).data
        return {#after, after[1].content}
        """.formatted(GENERAL))).isEqualTo("{\"List\":[{\"Integer\":1},{\"Text\":\"two\"}]}");
  }
}
