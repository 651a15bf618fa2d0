package io.templateworker.app.discord;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.service.Service;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.discord.GuildState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord for a service mode: the REST client ({@code meta.proxy} or Discord itself with {@code discord_auth.token};
 * in local mode the in-process mock Discord at {@code addrs.mock_discord}) and guild state read through it. Both are
 * closed with the service.
 *
 * @param mock the local-mode mock, or null when a real token is configured
 */
public record DiscordSetup(DiscordRest rest, GuildState guildState, MockDiscord mock) {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordSetup.class);

    public static DiscordSetup install(Service service) {
        AppConfig config = service.config();
        MockDiscord mock = null;
        String base;
        String token;
        if (LocalDiscord.needed(config)) {
            mock = LocalDiscord.start(config);
            service.addWorker(mock);
            base = mock.apiBase();
            token = mock.botToken();
        } else {
            base = DiscordRestConfig.apiBaseFor(config.meta().proxy());
            token = config.discordAuth().token();
        }
        DiscordRestClient client = new DiscordRestClient(DiscordRestConfig.defaults(base, token), service.meters());
        service.addWorker(client);
        LOG.info("Discord REST API: {}{}", base, mock != null ? " (the mock Discord: local mode, no discord_auth.token)" : "");
        GuildState guildState = RestGuildState.withDefaults(client);
        // The HTTP API: OAuth2 against the same Discord, guild checks and channel permissions from the guild state.
        long mockBot = mock == null ? 0 : mock.botId();
        service.useDiscord(base, guildState, mockBot != 0 ? () -> mockBot : BotUser.lazy(client));
        return new DiscordSetup(client, guildState, mock);
    }
}
