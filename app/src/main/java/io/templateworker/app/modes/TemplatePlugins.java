package io.templateworker.app.modes;

import io.templateworker.app.config.AppConfig;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.globalkv.GlobalKvPlugin;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import java.time.Instant;

/**
 * The plugins templates get on {@code ctx}, built from the configuration. The same in every pool and process:
 * plugins reach per-process stores through the context's {@code TenantServices}.
 */
final class TemplatePlugins {
    private TemplatePlugins() {
    }

    static Plugins build(AppConfig config) {
        return Plugins.builder()
                .add(new KvPlugin())
                .add(new GlobalKvPlugin())
                .add(new RuntimePlugin(runtimeInfo(config)))
                .build();
    }

    /** {@code Runtime:links()} from {@code meta.support_server_invite} and {@code sites.*}; stats since this start. */
    static RuntimeInfo runtimeInfo(AppConfig config) {
        RuntimeInfo.Links links = new RuntimeInfo.Links(config.meta().supportServerInvite(), config.sites().api(),
                config.sites().frontend(), config.sites().docs());
        RuntimeInfo.Stats stats = new RuntimeInfo.Stats(0, 0, STARTED);
        return new RuntimeInfo(links, () -> stats, RuntimeInfo.ExposedFolders.NONE, null);
    }

    private static final Instant STARTED = Instant.now();
}
