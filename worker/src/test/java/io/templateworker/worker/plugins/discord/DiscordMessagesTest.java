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
  void every_message_rule_refuses_before_anything_is_sent() {
    assertThat(send("{}")).contains("No content/embeds/attachments/poll/sticker_ids/components set");
    assertThat(send("{content = ''}")).contains("Message content cannot be empty");
    assertThat(send("{content = string.rep('a', 2001)}")).contains("Message content is too long, limit is 2000");
    assertThat(send("{embeds = {{title = ''}}}")).contains("Embed title cannot be empty");
    assertThat(send("{embeds = {{title = string.rep('a', 257)}}}")).contains("Embed title is too long, limit is 256");
    assertThat(send("{embeds = {{description = string.rep('a', 4097)}}}")).contains("Embed description is too long, limit is 4096");
    assertThat(send("{embeds = {{footer = {text = string.rep('a', 2049)}}}}")).contains("Embed footer text is too long, limit is 2048");
    assertThat(send("{embeds = {{author = {name = ''}}}}")).contains("Embed author name cannot be empty");
    assertThat(send("{embeds = {{fields = {{name = 'n', value = string.rep('v', 1025)}}}}}"))
        .contains("Embed field value is too long, limit is 1024");
    assertThat(send("{embeds = {{fields = {{name = '', value = 'v'}}}}}")).contains("Embed field name cannot be empty");
    assertThat(send("{embeds = {{description = string.rep('a', 4000)}, {description = string.rep('b', 2001)}}}"))
        .contains("Total embed characters is too long, limit is 6000");
    String button = "{type = 2, style = 1, label = 'b', custom_id = 'x'}";
    String select = "{type = 3, custom_id = 's', options = {{label = 'o', value = 'o'}}}";
    String row = "{type = 1, components = {" + button + "}}";
    assertThat(send("{components = {" + String.join(",", java.util.Collections.nCopies(6, row)) + "}}"))
        .contains("Too many components, limit is 5");
    assertThat(send("{components = {{type = 1, components = {" + String.join(",", java.util.Collections.nCopies(6, button)) + "}}}}"))
        .contains("Too many buttons in action row, limit is 5");
    assertThat(send("{components = {{type = 1, components = {" + button + "," + select + "}}}}"))
        .contains("Cannot have buttons and a select menu in action row");
    assertThat(send("{components = {{type = 1, components = {" + select + "," + select + "}}}}"))
        .contains("Too many select menus in action row, limit is 1");
    assertThat(d.error("ctx.Discord:create_message({data = {content = 'x'}})")).contains("missing field `channel_id`");
    assertThat(d.error("ctx.Discord:create_message({channel_id = 'abc', data = {content = 'x'}})"))
        .contains("invalid type for `channel_id`");
    assertThat(d.writes()).isEmpty();
  }

  @Test
  void lengths_are_counted_in_characters_as_discord_counts_them_not_utf8_bytes() throws Exception {
    // 2000 three-byte characters are 6000 UTF-8 bytes: upstream refused them, Discord accepts them (§12 #34).
    d.run("ctx.Discord:create_message({channel_id = '" + GENERAL + "', data = {content = string.rep('€', 2000)}})");
    assertThat(lastMessage().path("content").asText()).hasSize(2000);
    assertThat(send("{content = string.rep('€', 2001)}")).contains("Message content is too long, limit is 2000");
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
  void channels_of_other_guilds_are_refused() {
    // A channel of another guild the bot is in: upstream's guild check compared a value with itself (§12 #14).
    long other = d.mock.locked(a -> {
      var spec = io.templateworker.mockdiscord.state.Json.obj();
      spec.put("name", "Other");
      spec.putArray("channels").addObject().put("name", "elsewhere");
      spec.putArray("members").addObject().putObject("user").put("username", "zed");
      return a.createGuild(spec).channels.keySet().iterator().next();
    });
    assertThat(d.error("ctx.Discord:create_message({channel_id = '" + id(other) + "', data = {content = 'x'}})"))
        .contains("does not belong to the guild");
    assertThat(d.error("ctx.Discord:get_channel({channel_id = '" + id(other) + "'})")).contains("does not belong to the guild");
    assertThat(d.writes()).isEmpty();
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
    assertThat(d.error("ctx.Discord:bulk_delete_messages({channel_id = '" + GENERAL + "', messages = {'1'}, reason = 'x'})"))
        .contains("between 2 and 100 messages");
    assertThat(d.error("ctx.Discord:edit_message({channel_id = '" + GENERAL + "', message_id = '1', data = {}})"))
        .contains("No content/embeds/attachments/components set");
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
    assertThat(d.error("ctx.Discord:create_reaction({channel_id = '" + GENERAL + "', message_id = '1', reaction = 5})"))
        .contains("invalid type for `reaction`");
  }

  @Test
  void get_channel_messages_with_a_target() {
    assertThat(d.json("""
        local a = ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'one'}}).data.id
        ctx.Discord:create_message({channel_id = '%1$s', data = {content = 'two'}})
        local after = ctx.Discord:get_channel_messages({channel_id = '%1$s', target = {type = 'After', id = a}, limit = 10}).data
        return {#after, after[1].content}
        """.formatted(GENERAL))).isEqualTo("{\"List\":[{\"Integer\":1},{\"Text\":\"two\"}]}");
    assertThat(d.error("ctx.Discord:get_channel_messages({channel_id = '" + GENERAL + "', limit = 101})"))
        .contains("`limit` must be between 1 and 100");
  }
}
