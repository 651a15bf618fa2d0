package io.templateworker.app.discord;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.HostPort;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the mock Discord at {@code addrs.mock_discord} with the demo guild, for local mode and {@code --worker-type mockdiscord}. */
public final class LocalDiscord {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDiscord.class);

    private LocalDiscord() {
    }

    /** True when no bot token is configured: the service then talks to an in-process mock Discord. */
    public static boolean needed(AppConfig config) {
        return config.discordAuth().token() == null || config.discordAuth().token().isBlank();
    }

    /**
     * Starts the mock at {@code addrs.mock_discord}, seeds the demo guild and logs where it is.
     *
     * @throws IllegalStateException naming the address and the key to change when it cannot listen
     */
    public static MockDiscord start(AppConfig config) {
        HostPort at = config.addrs().mockDiscord();
        MockDiscord.Options options = MockDiscord.Options.defaults().withAddress(at.host(), at.port());
        if (config.discordAuth().clientId() != null || config.discordAuth().clientSecret() != null) {
            options = options.withOAuthClient(config.discordAuth().clientId(), config.discordAuth().clientSecret());
        }
        MockDiscord mock;
        try {
            checkFree(at);
            mock = MockDiscord.start(options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the mock Discord could not listen on " + at + ": " + rootMessage(e)
                    + " (is the port in use? set addrs.mock_discord or TW_ADDRS_MOCK_DISCORD, e.g. 127.0.0.1:0 for any free port)", e);
        }
        DemoGuild.seed(mock);
        LOG.info("mock Discord on {} (REST {}, admin routes {}/__mock/, OpenAPI {}/__mock/openapi); demo guild {} with channel"
                + " #general {}", mock.baseUrl(), mock.apiBase(), mock.baseUrl(), mock.baseUrl(), DemoGuild.GUILD_ID,
                DemoGuild.GENERAL_CHANNEL_ID);
        return mock;
    }

    /** Binding first gives a clean error for a taken port (the HTTP server would log a stack trace of its own). */
    private static void checkFree(HostPort at) {
        if (at.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(at.host(), at.port()));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
