package io.templateworker.app.modes;

import io.templateworker.app.config.AppConfig;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.kv.KvPlugin;

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
                .build();
    }
}
