package io.templateworker.app.service;

import io.templateworker.api.ApiPolicy;
import io.templateworker.api.auth.SessionAuthenticator;
import io.templateworker.api.auth.SessionPurger;
import io.templateworker.api.discord.DiscordOAuth;
import io.templateworker.api.dto.Meta;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.api.routes.GlobalKvRoutes;
import io.templateworker.api.routes.MetaRoutes;
import io.templateworker.api.routes.OAuthRoutes;
import io.templateworker.api.routes.SessionRoutes;
import io.templateworker.api.routes.UserGuildRoutes;
import io.templateworker.app.config.AppConfig;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API's policy and the routes every service mode has: sessions, OAuth2 login, {@code /config},
 * {@code /bot-stats}, global KV listings. Runs after the mode's extension, so it sees what the mode set up (the
 * Discord base URL, the guild directory, health checks).
 */
final class ApiWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ApiWiring.class);

    private ApiWiring() {
    }

    static ApiPolicy install(Service service) {
        AppConfig config = service.config();
        InstantSource clock = InstantSource.system();
        boolean loopbackRoot = config.api().loopbackRoot();
        SessionAuthenticator authenticator = new SessionAuthenticator(service.accounts(),
                new HashSet<>(config.discordAuth().rootUsers()), loopbackRoot, service.guildDirectory(), clock);
        service.addWorker(SessionPurger.start(service.accounts(), clock));
        ApiRateLimiter limiter = ApiRateLimiter.defaults();
        DiscordOAuth discord = discordOAuth(service);
        service.addRouteGroup(new SessionRoutes(service.accounts(), authenticator, clock));
        service.addRouteGroup(new OAuthRoutes(service.accounts(), discord, config.discordAuth().allowedRedirects(),
                loopbackRoot, clock));
        service.addRouteGroup(new UserGuildRoutes(service.accounts(), discord, service.guildDirectory(), service.guildState(),
                service.botId(), limiter, clock));
        service.addRouteGroup(new MetaRoutes(new Meta.ApiConfig(config.servers().main(), config.meta().supportServerInvite(),
                config.discordAuth().clientId()), () -> botStats(service)));
        service.addRouteGroup(new GlobalKvRoutes(new PostgresGlobalKvStore(service.database().dataSource(),
                purchaseUrlPrefix(config))));
        if (loopbackRoot) {
            LOG.info("api.loopback_root is on: requests from this machine without a token act as a root user"
                    + " (set api.loopback_root: false to require tokens as in production)");
        }
        return new ApiPolicy(authenticator, limiter, config.api().maxBodyBytes(), service.health());
    }

    /** Discord for OAuth2: the base the mode set (the local mock), else {@code meta.proxy}; null when neither. */
    private static DiscordOAuth discordOAuth(Service service) {
        String base = service.discordApiBase();
        if (base == null && service.config().meta().proxy() != null) {
            base = DiscordOAuth.apiBaseOf(service.config().meta().proxy());
        }
        if (base == null) {
            return null;
        }
        AppConfig.DiscordAuth auth = service.config().discordAuth();
        return new DiscordOAuth(base, auth.clientId(), auth.clientSecret());
    }

    /** The mode's figures (the thread pool's gateway shards), else the guild totals from the guild state. */
    private static Meta.GetStatusResponse botStats(Service service) {
        if (service.botStats() != null) {
            return service.botStats().get();
        }
        long guilds = Math.max(0, service.guildDirectory().guildCount());
        return new Meta.GetStatusResponse(Map.of(), guilds, 0);
    }

    /** Where a buyer of a priced global KV entry is sent: the frontend's purchase page. */
    static String purchaseUrlPrefix(AppConfig config) {
        String site = config.sites().frontend() == null ? "https://antiraid.xyz" : config.sites().frontend();
        return (site.endsWith("/") ? site : site + "/") + "purchase/";
    }
}
