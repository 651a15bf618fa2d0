package io.templateworker.worker.plugins.discord;

import static io.templateworker.worker.plugins.discord.DiscordFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.state.MockInteraction;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.testing.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guild, channels, webhooks, interactions, guild commands and bulk operations through {@code ctx.Discord}, plus the
 * rules every operation shares (guild context, capability).
 */
class DiscordGuildTest {
  static final String GENERAL = id(DemoGuild.GENERAL_CHANNEL_ID);
  PostgresTenantStateStore states;
  DiscordFixture d;

  @BeforeEach
  void start() {
    states = new PostgresTenantStateStore(TestPostgres.freshDatabase());
    d = new DiscordFixture(states, DiscordFixture.GUILD);
  }

  @AfterEach
  void stop() {
    d.close();
  }

  @Test
  void a_user_tenant_is_not_a_guild() {
    try (DiscordFixture user = new DiscordFixture(null, TenantId.user(DemoGuild.ALICE_ID))) {
      assertThat(user.error("ctx.Discord:get_guild({})")).contains("Current context is not a guild");
    }
  }

  @Test
  void guild_reads() {
    assertThat(d.json("""
        local g = ctx.Discord:get_guild({}).data
        local p = ctx.Discord:get_guild_preview({}).data
        local chans = ctx.Discord:get_guild_channels({}).data
        local ch = ctx.Discord:get_channel({channel_id = '%s'}).data
        local threads = ctx.Discord:list_active_guild_threads({}).data
        local log = ctx.Discord:get_audit_log({data = {limit = 5}}).data
        return {g.id, p.name, #chans >= 2, ch.name, type(threads.threads), type(log.audit_log_entries)}
        """.formatted(GENERAL))).isEqualTo("{\"List\":[{\"Text\":\"" + id(DemoGuild.GUILD_ID)
        + "\"},{\"Text\":\"Template Worker demo\"},{\"Boolean\":true},{\"Text\":\"general\"},{\"Text\":\"table\"},{\"Text\":\"table\"}]}");
  }

  @Test
  void channel_overwrites_and_invites() {
    assertThat(d.json("""
        ctx.Discord:edit_channel_permissions({channel_id = '%1$s', target_id = '%2$s', allow = 'ADD_REACTIONS', deny = 'SEND_MESSAGES', kind = 0, reason = 'quiet'})
        local ch = ctx.Discord:get_channel({channel_id = '%1$s'}).data
        local found = false
        for _, o in ch.permission_overwrites do if o.id == '%2$s' then found = o.deny == '2048' end end
        ctx.Discord:delete_channel_permission({channel_id = '%1$s', overwrite_id = '%2$s', reason = 'undo'})
        local inv = ctx.Discord:create_channel_invite({channel_id = '%1$s', data = {max_age = 60}, reason = 'share'}).data
        local again = ctx.Discord:get_invite({code = inv.code, with_counts = true}).data
        return {found, again.code == inv.code}
        """.formatted(GENERAL, id(DemoGuild.MEMBER_ROLE_ID)))).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":true}]}");
  }

  @Test
  void webhooks_from_create_to_execute() {
    assertThat(d.json("""
        local w = ctx.Discord:create_webhook({channel_id = '%1$s', reason = 'feed', data = {name = 'feed'}}).data
        local same = ctx.Discord:get_webhook({webhook_id = w.id}).data
        local listed = ctx.Discord:get_channel_webhooks({channel_id = '%1$s'}).data
        local all = ctx.Discord:get_guild_webhooks({}).data
        local renamed = ctx.Discord:modify_webhook({webhook_id = w.id, reason = 'rename', data = {name = 'news'}}).data
        local m = ctx.Discord:execute_webhook({webhook_id = w.id, webhook_token = w.token, data = {content = 'via hook', username = 'bot'}}).data
        ctx.Discord:delete_webhook({webhook_id = w.id, reason = 'done'})
        return {same.name, #listed, #all, renamed.name, m.content}
        """.formatted(GENERAL))).isEqualTo(
        "{\"List\":[{\"Text\":\"feed\"},{\"Integer\":1},{\"Integer\":1},{\"Text\":\"news\"},{\"Text\":\"via hook\"}]}");
  }

  @Test
  void interaction_responses_and_followups() {
    MockInteraction i = d.mock.locked(a -> a.slashCommand(DemoGuild.GUILD_ID, DemoGuild.GENERAL_CHANNEL_ID, DemoGuild.ALICE_ID, "ping", null));
    assertThat(d.json("""
        ctx.Discord:create_interaction_response({interaction_id = '%1$s', interaction_token = '%2$s', data = {type = 4, data = {content = 'pong'}}})
        local orig = ctx.Discord:get_original_interaction_response({interaction_token = '%2$s'}).data
        local edited = ctx.Discord:edit_original_interaction_response({interaction_token = '%2$s', data = {content = 'pong!'}}).data
        local f = ctx.Discord:create_followup_message({interaction_token = '%2$s', data = {content = 'more'}}).data
        local f2 = ctx.Discord:get_followup_message({interaction_token = '%2$s', message_id = f.id}).data
        local f3 = ctx.Discord:edit_followup_message({interaction_token = '%2$s', message_id = f.id, data = {content = 'more!'}}).data
        ctx.Discord:delete_followup_message({interaction_token = '%2$s', message_id = f.id})
        ctx.Discord:delete_original_interaction_response({interaction_token = '%2$s'})
        return {orig.content, edited.content, f2.content, f3.content}
        """.formatted(id(i.id), i.token))).isEqualTo(
        "{\"List\":[{\"Text\":\"pong\"},{\"Text\":\"pong!\"},{\"Text\":\"more\"},{\"Text\":\"more!\"}]}");
  }

  @Test
  void guild_commands_only_for_tenants_allowed_to_manage_them() {
    String create = "ctx.Discord:create_guild_command({data = {name = 'warn', description = 'Warn a member', type = 1}})";
    assertThat(d.error(create)).contains("Cannot create this guild command: not authorized");
    assertThat(d.writes()).isEmpty();
    states.setCanManageGuildCommands(DiscordFixture.GUILD, true);
    d.vm.advance(Duration.ofSeconds(300)); // the refused call took the bucket's token, as upstream's did
    assertThat(d.json("local c = " + create + ".data\n"
        + "local list = ctx.Discord:get_guild_commands({}).data\n"
        + "local one = ctx.Discord:get_guild_command({command_id = c.id}).data\n"
        + "return {c.name, #list, one.name}"))
        .isEqualTo("{\"List\":[{\"Text\":\"warn\"},{\"Integer\":1},{\"Text\":\"warn\"}]}");
    // 1 / 300 s, shared by create_guild_command and create_guild_commands (upstream's create_guild_commands had no bucket).
    assertThat(d.error("ctx.Discord:create_guild_commands({data = {{name = 'mute', description = 'Mute', type = 1}}})"))
        .contains("Per bucket ratelimit hit for 'create_guild_command'");
  }

  @Test
  void bulk_operations_pace_themselves() {
    assertThat(d.json("""
        local bulk = ctx.Discord:antiraid_bulk_op('create_message')
        bulk:create_message({channel_id = '%1$s', data = {content = 'one'}})
        local ok1, e1 = pcall(function() bulk:create_message({channel_id = '%1$s', data = {content = 'two'}}) end)
        bulk:antiraid_bulk_op_wait()
        bulk:create_message({channel_id = '%1$s', data = {content = 'two'}})
        local ok2, e2 = pcall(function() bulk:get_guild({}) end)
        local ok3, e3 = pcall(function() bulk:antiraid_bulk_op() end)
        return {ok1, e1, ok2, e2, ok3, e3}
        """.formatted(GENERAL))).contains("Bulk operation limit reached", "Bulk operation action mismatch",
        "Bulk operations cannot be nested");
    assertThat(d.slept).hasSize(1);
    assertThat(d.slept.get(0)).isBetween(1210L, 1700L);
    // An executor left unused for more than 10 s expires.
    d.bulkStep.set(Duration.ofSeconds(6).toNanos()); // each reading of the clock is 6 s later
    assertThat(d.error("local b = ctx.Discord:antiraid_bulk_op() b:get_guild({}) b:get_guild({})"))
        .contains("Bulk operation maximum wait period has passed");
    d.bulkStep.set(0);
    // Three bulk executors per second at most: two were made above, the fourth is refused.
    assertThat(d.error("ctx.Discord:antiraid_bulk_op() ctx.Discord:antiraid_bulk_op()"))
        .contains("Per bucket ratelimit hit for 'antiraid_bulk_op'");
  }

  @Test
  void every_documented_operation_exists() {
    assertThat(DiscordPlugin.operationNames()).contains("antiraid_check_permissions", "antiraid_check_permissions_and_hierarchy",
        "antiraid_check_channel_permissions", "antiraid_get_fused_member", "get_audit_log", "list_auto_moderation_rules",
        "get_auto_moderation_rule", "create_auto_moderation_rule", "edit_auto_moderation_rule", "delete_auto_moderation_rule",
        "get_channel", "edit_channel", "delete_channel", "edit_channel_permissions", "delete_channel_permission",
        "create_channel_invite", "get_guild", "get_guild_preview", "modify_guild", "get_guild_channels", "create_guild_channel",
        "modify_guild_channel_positions", "list_active_guild_threads", "get_guild_member", "list_guild_members",
        "search_guild_members", "modify_guild_member", "add_guild_member_role", "remove_guild_member_role", "remove_guild_member",
        "get_guild_bans", "get_guild_ban", "create_guild_ban", "remove_guild_ban", "get_guild_roles", "get_guild_role",
        "create_guild_role", "modify_guild_role", "modify_guild_role_positions", "delete_guild_role", "get_invite", "delete_invite",
        "get_channel_messages", "get_channel_message", "create_message", "crosspost_message", "edit_message", "delete_message",
        "bulk_delete_messages", "create_reaction", "delete_own_reaction", "delete_user_reaction", "get_reactions",
        "delete_all_reactions", "delete_all_reactions_for_emoji", "create_interaction_response", "get_original_interaction_response",
        "edit_original_interaction_response", "delete_original_interaction_response", "create_followup_message",
        "get_followup_message", "edit_followup_message", "delete_followup_message", "get_guild_commands", "get_guild_command",
        "create_guild_command", "create_guild_commands", "create_webhook", "get_channel_webhooks", "get_guild_webhooks",
        "get_webhook", "modify_webhook", "delete_webhook", "execute_webhook");
  }
}
