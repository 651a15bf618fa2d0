package io.templateworker.app.modes;

import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.service.Service;
import io.templateworker.devui.DemoTemplate;
import io.templateworker.devui.DevUi;
import io.templateworker.devui.LiveHub;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.vm.ErrorReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the dev UI ({@code /dev}) on a service mode: the {@link LiveHub} goes in front of the tenant log book (the
 * pool reports to the hub), the page and its routes go on the API, and in local mode the demo guild gets the demo
 * template when it has none.
 */
final class DevUiSetup {
    private static final Logger LOG = LoggerFactory.getLogger(DevUiSetup.class);

    private DevUiSetup() {
    }

    /** The reporter the pool should use: the live panel's hub in front of {@code logs}. */
    static LiveHub hub(ErrorReporter logs) {
        return new LiveHub(logs);
    }

    /** Adds the dev UI's routes and, in local mode, seeds the demo guild. */
    static void install(Service service, DiscordSetup discord, TenantServices services, WorkerLike pool, LiveHub live) {
        var mock = discord.mock();
        String clientId = service.config().discordAuth().clientId();
        DevUi.Options options = new DevUi.Options(mock == null ? null : Long.toUnsignedString(DemoGuild.GUILD_ID), clientId,
                DevUi.DISCORD_AUTHORIZE, mock == null ? null : mock.baseUrl(), mock == null ? null : mock.botToken());
        for (var group : DevUi.routes(options, live, services.kv())) {
            service.addRouteGroup(group);
        }
        if (mock != null) {
            try {
                DemoTemplate.seed(services.templates(), pool, DemoGuild.GUILD_ID);
            } catch (RuntimeException e) {
                LOG.warn("could not seed the demo guild with the demo template: {}", e.getMessage());
            }
        }
    }
}
