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
  void hierarchy_reasons_and_limits_are_checked_before_sending() {
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + OWNER + "', reason = 'x'})"))
        .contains("User does not have a higher role than the target user");
    assertThat(d.error("ctx.Discord:remove_guild_member({user_id = '" + OWNER + "', reason = 'x'})"))
        .contains("User does not have a higher role than the target user");
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + BOB + "', reason = ''})")).contains("Reason is empty");
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + BOB + "', reason = string.rep('r', 513)})"))
        .contains("Reason is too long");
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + BOB + "'})")).contains("missing field `reason`");
    assertThat(d.error("ctx.Discord:create_guild_ban({user_id = '" + BOB + "', reason = 'x', delete_message_seconds = 604801})"))
        .contains("`delete_message_seconds` must be between 0 and 604800");
    assertThat(d.writes()).isEmpty();
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
  void the_global_limit_refuses_the_21st_call_in_5_seconds() {
    d.run("for i = 1, 20 do ctx.Discord:get_guild_roles({}) end");
    assertThat(d.error("ctx.Discord:get_guild_roles({})")).contains("Global ratelimit hit for bucket 'get_guild_roles'");
    d.vm.advance(Duration.ofSeconds(5));
    d.run("ctx.Discord:get_guild_roles({})");
  }

  @Test
  void modify_guild_member_timeouts_nicknames_and_roles() {
    assertThat(d.json("""
        local t = '%s'
        local m = ctx.Discord:modify_guild_member({user_id = '%s', reason = 'cool down', data = {communication_disabled_until = t, nick = 'bobby'}})
        return {m.data.nick, m.data.communication_disabled_until ~= nil}
        """.formatted(java.time.Instant.now().plusSeconds(3600).toString(), BOB))).isEqualTo("{\"List\":[{\"Text\":\"bobby\"},{\"Boolean\":true}]}");
    String tooLate = "'" + java.time.Instant.now().plus(Duration.ofDays(29)) + "'";
    assertThat(d.error("ctx.Discord:modify_guild_member({user_id = '" + BOB + "', reason = 'x', data = {communication_disabled_until = "
        + tooLate + "}})")).contains("Communication disabled until must be less than 28 days in the future");
    assertThat(d.error("ctx.Discord:modify_guild_member({user_id = '" + id(d.mock.botId()) + "', reason = 'x', data = {nick = 'me'}})"))
        .contains("Cannot modify self");
    assertThat(d.error("ctx.Discord:modify_guild_member({user_id = '" + BOB + "', reason = 'x', data = {nick = string.rep('n', 33)}})"))
        .contains("Nickname must be less than 32 characters");
    assertThat(d.error("ctx.Discord:modify_guild_member({user_id = '" + BOB + "', reason = 'x', data = {roles = {'"
        + id(DemoGuild.BOT_ROLE_ID) + "'}}})")).contains("Bot does not have permission to add the requested role");
    assertThat(d.error("ctx.Discord:modify_guild_member({user_id = '" + OWNER + "', reason = 'x', data = {nick = 'boss'}})"))
        .contains("higher role");
  }

  @Test
  void roles_of_members() {
    d.run("ctx.Discord:add_guild_member_role({user_id = '" + BOB + "', role_id = '" + id(DemoGuild.MODERATOR_ROLE_ID) + "', reason = 'promote'})");
    assertThat(d.json("return table.find(ctx.Discord:get_guild_member({user_id = '" + BOB + "'}).data.roles, '"
        + id(DemoGuild.MODERATOR_ROLE_ID) + "') ~= nil")).isEqualTo("{\"Boolean\":true}");
    d.run("ctx.Discord:remove_guild_member_role({user_id = '" + BOB + "', role_id = '" + id(DemoGuild.MODERATOR_ROLE_ID) + "', reason = 'demote'})");
    assertThat(d.error("ctx.Discord:add_guild_member_role({user_id = '" + BOB + "', role_id = '" + id(DemoGuild.BOT_ROLE_ID)
        + "', reason = 'x'})")).contains("not below the bot's highest role");
    assertThat(d.error("ctx.Discord:add_guild_member_role({user_id = '" + BOB + "', role_id = '42', reason = 'x'})"))
        .contains("Role not found in guild");
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
    assertThat(d.error("ctx.Discord:create_guild_role({reason = 'x', data = {name = 'Boss', permissions = 'ADMINISTRATOR'}})"))
        .contains("Bot does not have permissions: ADMINISTRATOR");
    assertThat(d.error("ctx.Discord:create_guild_role({reason = 'x', data = {name = ''}})")).contains("Role name must be between 1 and 100");
    assertThat(d.error("ctx.Discord:create_guild_role({reason = 'x', data = {icon = 'data:image/png;base64,AAAA'}})"))
        .contains("Role Icons feature");
    assertThat(d.error("ctx.Discord:delete_guild_role({role_id = '" + id(DemoGuild.BOT_ROLE_ID) + "', reason = 'x'})"))
        .contains("not below the bot's highest role");
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
    assertThat(d.error("ctx.Discord:antiraid_check_permissions({data = {user_id = '" + BOB + "', needed_permissions = 'BAN_MEMBERS'}})"))
        .contains("User does not have the required permissions: BAN_MEMBERS: user_id=" + BOB);
    assertThat(d.error("ctx.Discord:antiraid_check_permissions_and_hierarchy({data = {user_id = '" + BOB + "', target_id = '" + ALICE
        + "', needed_permissions = '0'}})")).contains("User does not have a higher role than the target user");
    assertThat(d.error("ctx.Discord:antiraid_check_permissions({data = {user_id = '5', needed_permissions = '0'}})"))
        .contains("User not found in guild: <@5>");
    assertThat(d.error("ctx.Discord:antiraid_check_permissions({data = {user_id = '" + BOB + "', needed_permissions = 'FLY'}})"))
        .contains("unknown permission `FLY`");
  }

  @Test
  void members_list_and_search() {
    assertThat(d.json("""
        local all = ctx.Discord:list_guild_members({limit = 1000}).data
        local found = ctx.Discord:search_guild_members({query = 'ali'}).data
        return {#all >= 4, found[1].user.username}
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Text\":\"alice\"}]}");
    assertThat(d.error("ctx.Discord:list_guild_members({limit = 1001})")).contains("`limit` must be between 1 and 1000");
  }
}
