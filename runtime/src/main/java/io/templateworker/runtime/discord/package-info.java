/**
 * Discord as the runtime sees it, through ports: {@link io.templateworker.runtime.discord.DiscordRest} (raw JSON
 * requests to Discord's REST API, rate limited by the adapter) and {@link io.templateworker.runtime.discord.GuildState}
 * (guild, roles, channels and members for permission and hierarchy checks), plus Discord's permission algorithm over
 * that state ({@link io.templateworker.runtime.discord.PermissionCalculator}). The {@code discord} module implements
 * the ports over REST; the gateway will fill {@code GuildState} from events.
 */
package io.templateworker.runtime.discord;
