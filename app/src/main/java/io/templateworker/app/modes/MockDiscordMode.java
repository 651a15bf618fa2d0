package io.templateworker.app.modes;

import io.templateworker.app.AppContext;
import io.templateworker.app.discord.LocalDiscord;
import io.templateworker.app.service.ShutdownSignals;
import io.templateworker.mockdiscord.MockDiscord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type mockdiscord}: only the mock Discord, at {@code addrs.mock_discord}, with the demo guild; no
 * database, no workers. Stops on SIGINT/SIGTERM with exit code 0.
 */
public final class MockDiscordMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(MockDiscordMode.class);

    @Override
    public int run(AppContext ctx) {
        ShutdownSignals signals = ShutdownSignals.install();
        MockDiscord mock;
        try {
            mock = LocalDiscord.start(ctx.config());
        } catch (IllegalStateException e) {
            LOG.error("could not start: {}", e.getMessage());
            return 1;
        }
        try {
            LOG.info("mock Discord running; stop with Ctrl-C or SIGTERM (bot token '{}')", mock.botToken());
            signals.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            mock.close();
        }
        return 0;
    }
}
