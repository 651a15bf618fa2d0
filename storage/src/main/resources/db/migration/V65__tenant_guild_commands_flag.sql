-- Staff-set permission for a tenant's templates to create guild slash commands (ctx.Discord create_guild_command(s)),
-- HEAD's CAN_MANAGE_GUILD_COMMANDS modflag. Off by default; template writes to tenant state never change it.
alter table tenant_state add column can_manage_guild_commands boolean not null default false;
