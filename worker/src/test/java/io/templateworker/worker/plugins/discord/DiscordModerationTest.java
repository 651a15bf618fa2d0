package io.templateworker.worker.plugins.discord;

import static io.templateworker.worker.plugins.discord.DiscordFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.mockdiscord.DemoGuild;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bans, kicks, members and roles: permission and hierarchy checks, reasons, and the ban/kick rate limits that apply. */
class DiscordModerationTest {
  static final String OWNER = id(DemoGuild.OWNER_ID);
  static final String ALICE = id(DemoGuild.ALICE_ID);
  static final String BOB = id(DemoGuild.BOB_ID);
  DiscordFixture d;

  @BeforeEach
  void start() {
    d = new DiscordFixture();
  }

  @AfterEach
  void stop() {
    d.close();
  }

  @Test
  void ban_and_unban_a_member_with_a_reason() {
    assertThat(d.json("""
        ctx.Discord:create_guild_ban({user_id = '%1$s', reason = 'spam', delete_message_seconds = 60})
        local ban = ctx.Discord:get_guild_ban({user_id = '%1$s'}).data
        local bans = ctx.Discord:get_guild_bans({}).data
        ctx.Discord:remove_guild_ban({user_id = '%1$s', reason = 'appeal'})
        local none = ctx.Discord:get_guild_ban({user_id = '%1$s'}).data
        return {ban.user.id, ban.reason, #bans, none == nil}
        """.formatted(BOB))).isEqualTo("{\"List\":[{\"Text\":\"" + BOB + "\"},{\"Text\":\"spam\"},{\"Integer\":1},{\"Boolean\":true}]}");
  }

  @Test
  void kick_a_member() {
    d.run("ctx.Discord:remove_guild_member({user_id = '" + BOB + "', reason = 'bye'})");
    assertThat(d.json("return ctx.Discord:get_guild_member({user_id = '" + BOB + "'}).data == nil")).isEqualTo("{\"Boolean\":true}");
  }

  @Test
  void the_ban_limits_apply_to_bans_and_the_kick_limits_to_kicks() {
    // Upstream keyed these quotas on buckets no operation used (§12 #12): here the sixth ban within 30 s is refused.
    for (int i = 0; i < 5; i++) {
      d.run("pcall(function() ctx.Discord:create_guild_ban({user_id = '" + (1000 + i) + "', reason = 'raid'}) end)");
    }
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '2000', reason = 'raid'})"))
        .contains("Per bucket ratelimit hit for 'create_guild_ban'");
    for (int i = 0; i < 5; i++) {
      d.run("pcall(function() ctx.Discord:remove_guild_member({user_id = '" + (3000 + i) + "', reason = 'raid'}) end)");
    }
    d.vm.advance(Duration.ofSeconds(5)); // the global 20 / 5 s refills; the kick quota does not
    assertThat(d.error("ctx.Discord:remove_guild_member({user_id = '4000', reason = 'raid'})"))
        .contains("Per bucket ratelimit hit for 'remove_guild_member'");
    d.vm.advance(Duration.ofSeconds(30));
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + OWNER + "', reason = 'x'})")).contains("higher role");
  }

  @Test
  void modify_guild_member_timeouts_nicknames_and_roles() {
    assertThat(d.json("""
        local t = '%s'
        local m = ctx.Discord:modify_guild_member({user_id = '%s', reason = 'cool down', data = {communication_disabled_until = t, nick = 'bobby'}})
        return {m.data.nick, m.data.communication_disabled_until ~= nil}
        """.formatted(java.time.Instant.now().plusSeconds(3600).toString(), BOB))).isEqualTo("{\"List\":[{\"Text\":\"bobby\"},{\"Boolean\":true}]}");
  }

  @Test
  void roles_of_members() {
    d.run("ctx.Discord:add_guild_member_role({user_id = '" + BOB + "', role_id = '" + id(DemoGuild.MODERATOR_ROLE_ID) + "', reason = 'promote'})");
    assertThat(d.json("return table.find(ctx.Discord:get_guild_member({user_id = '" + BOB + "'}).data.roles, '"
        + id(DemoGuild.MODERATOR_ROLE_ID) + "') ~= nil")).isEqualTo("{\"Boolean\":true}");
    d.run("ctx.Discord:remove_guild_member_role({user_id = '" + BOB + "', role_id = '" + id(DemoGuild.MODERATOR_ROLE_ID) + "', reason = 'demote'})");
  }

  @Test
  void guild_roles_create_modify_delete() {
    assertThat(d.json("""
        local r = ctx.Discord:create_guild_role({reason = 'new', data = {name = 'Helper', permissions = 'SEND_MESSAGES'}}).data
        local m = ctx.Discord:modify_guild_role({role_id = r.id, reason = 'rename', data = {name = 'Helpers'}}).data
        local byId = ctx.Discord:get_guild_roles({}).data
        local one = ctx.Discord:get_guild_role({role_id = r.id}).data
        ctx.Discord:delete_guild_role({role_id = r.id, reason = 'gone'})
        return {m.name, byId[r.id].name, one.name, ctx.Discord:get_guild_roles({}).data[r.id] == nil}
        """)).isEqualTo("{\"List\":[{\"Text\":\"Helpers\"},{\"Text\":\"Helpers\"},{\"Text\":\"Helpers\"},{\"Boolean\":true}]}");
  }

  @Test
  void permission_helpers_answer_for_any_member() {
    assertThat(d.json("""
        local ok = ctx.Discord:antiraid_check_permissions({data = {user_id = '%1$s', needed_permissions = 'KICK_MEMBERS'}}).data
        local h = ctx.Discord:antiraid_check_permissions_and_hierarchy({data = {user_id = '%1$s', target_id = '%2$s', needed_permissions = '0'}}).data
        local ch = ctx.Discord:antiraid_check_channel_permissions({data = {user_id = '%1$s', channel_id = '%3$s', needed_permissions = '2048'}}).data
        local fused = ctx.Discord:antiraid_get_fused_member({'%1$s', '%2$s'}).data
        return {ok.member.user.id, ok.partial_guild.id, h.member.user.id, ch.channel.name, #fused.members, type(fused.members[1].resolved_perms)}
        """.formatted(ALICE, BOB, id(DemoGuild.GENERAL_CHANNEL_ID))))
        .isEqualTo("{\"List\":[{\"Text\":\"" + ALICE + "\"},{\"Text\":\"" + id(DemoGuild.GUILD_ID) + "\"},{\"Text\":\"" + BOB
            + "\"},{\"Text\":\"general\"},{\"Integer\":2},{\"Text\":\"string\"}]}");
  }

  @Test
  void members_list_and_search() {
    assertThat(d.json("""
        local all = ctx.Discord:list_guild_members({limit = 1000}).data
        local found = ctx.Discord:search_guild_members({query = 'ali'}).data
        return {#all >= 4, found[1].user.username}
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Text\":\"alice\"}]}");
  }
}
