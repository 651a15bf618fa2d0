package io.templateworker.app.discord;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.service.Service;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.GatewayGuildState;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.discord.state.SandwichGuildState;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.discord.GuildState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord for a service mode: the REST client ({@code meta.proxy} or Discord itself with {@code discord_auth.token};
 * in local mode the in-process mock Discord at {@code addrs.mock_discord}) and guild state read through it. Both are
 * closed with the service.
 *
 * @param mock         the local-mode mock, or null when a real token is configured
 * @param token        the bot token the REST client and the gateway use (the mock's in local mode)
 * @param gatewayState the guild state the gateway of this process feeds (also {@code guildState}), or null when this
 *                     process reads no gateway (the process pool's master)
 */
public record DiscordSetup(DiscordRest rest, GuildState guildState, MockDiscord mock, String token,
                           GatewayGuildState gatewayState) {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordSetup.class);

    /** REST and guild state only (tools such as the shell): no gateway, no token needed beyond the client's. */
    public DiscordSetup(DiscordRest rest, GuildState guildState, MockDiscord mock) {
        this(rest, guildState, mock, mock == null ? null : mock.botToken(), null);
    }
    /** Where a process-pool child finds the master's in-process mock Discord (local mode; its port may be 0). */
    static final String CHILD_API_PROPERTY = "templateworker.discord.api";
    static final String CHILD_TOKEN_PROPERTY = "templateworker.discord.token";

    /** As {@link #install(Service, int, boolean)} for a process that reads no gateway, with one shard. */
    public static DiscordSetup install(Service service) {
        return install(service, 1, false);
    }

    /**
     * The REST client, guild state and (local mode) the mock for a service mode.
     *
     * @param shards      the configured shard count ({@code discord.shards}); the local mock's {@code /gateway/bot} reports it
     * @param readGateway whether this process reads the gateway (thread pool): the guild state is then kept from gateway
     *                    events, REST behind it
     */
    public static DiscordSetup install(Service service, int shards, boolean readGateway) {
        AppConfig config = service.config();
        MockDiscord mock = null;
        String base;
        String token;
        if (LocalDiscord.needed(config)) {
            mock = LocalDiscord.start(config);
            mock.setShards(shards);
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
        GatewayGuildState gatewayState = readGateway ? gatewayState(config, client) : null;
        GuildState guildState = gatewayState != null ? gatewayState : behindGateway(config, client);
        // The HTTP API: OAuth2 against the same Discord, guild checks and channel permissions from the guild state.
        long mockBot = mock == null ? 0 : mock.botId();
        service.useDiscord(base, guildState, mockBot != 0 ? () -> mockBot : BotUser.lazy(client));
        return new DiscordSetup(client, guildState, mock, token, gatewayState);
    }

    /**
     * JVM options for process-pool children: in local mode, where the master's mock listens (the mock's token is no
     * secret); otherwise nothing, since a child reads {@code discord_auth.token} and {@code meta.proxy} from the same
     * configuration as the master.
     */
    public List<String> childJvmOptions() {
        if (mock == null) {
            return List.of();
        }
        return List.of("-D" + CHILD_API_PROPERTY + "=" + mock.apiBase(), "-D" + CHILD_TOKEN_PROPERTY + "=" + mock.botToken());
    }

    /**
     * A process-pool child's own REST client and guild state for {@code ctx.Discord} (children run the templates, so they
     * call Discord themselves; each reads its own shards of the gateway, which feed the guild state): the master's mock in local mode, else Discord or {@code meta.proxy} with the configured
     * token. Each child keeps its own rate-limit buckets; with several children in production, {@code meta.proxy} (a
     * shared nirn-style proxy) keeps them within the bot's limits, as upstream.
     */
    public static DiscordSetup forChild(AppConfig config) {
        String base;
        String token;
        if (LocalDiscord.needed(config)) {
            base = System.getProperty(CHILD_API_PROPERTY, "http://" + config.addrs().mockDiscord().host() + ":"
                    + config.addrs().mockDiscord().port() + "/api/v10");
            token = System.getProperty(CHILD_TOKEN_PROPERTY, MockDiscord.DEFAULT_BOT_TOKEN);
        } else {
            base = DiscordRestConfig.apiBaseFor(config.meta().proxy());
            token = config.discordAuth().token();
        }
        DiscordRestClient client = new DiscordRestClient(DiscordRestConfig.defaults(base, token), new SimpleMeterRegistry());
        GatewayGuildState gatewayState = gatewayState(config, client);
        return new DiscordSetup(client, gatewayState, null, token, gatewayState);
    }

    /**
     * Guild state kept from gateway events, {@link #behindGateway} behind it; members stay cached only with the
     * GUILD_MEMBERS intent.
     */
    private static GatewayGuildState gatewayState(AppConfig config, DiscordRest rest) {
        boolean members = (config.discord().intents() & GUILD_MEMBERS_INTENT) != 0;
        return new GatewayGuildState(behindGateway(config, rest), members);
    }

    /** What answers lookups the gateway cannot: Sandwich's cache when {@code meta.sandwich_http_api} is set, else REST. */
    static GuildState behindGateway(AppConfig config, DiscordRest rest) {
        GuildState restState = RestGuildState.withDefaults(rest);
        String sandwich = config.meta().sandwichHttpApi();
        return sandwich == null ? restState : new SandwichGuildState(sandwich, restState);
    }

    private static final int GUILD_MEMBERS_INTENT = 1 << 1;
}
