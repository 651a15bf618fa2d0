package io.templateworker.app.modes;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.modules.Vfs;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.globalkv.GlobalKvPlugin;
import io.templateworker.runtime.plugin.captcha.ImageCaptchaPlugin;
import io.templateworker.runtime.plugin.http.HttpClientPlugin;
import io.templateworker.runtime.plugin.http.HttpRules;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.objectstorage.ObjectStoragePlugin;
import io.templateworker.runtime.store.ObjectStore;
import io.templateworker.storage.objects.LocalObjectStore;
import io.templateworker.storage.objects.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import java.time.Instant;

/**
 * The plugins templates get on {@code ctx}, built from the configuration. The same in every pool and process:
 * plugins reach per-process stores through the context's {@code TenantServices}.
 */
final class TemplatePlugins {
    private static final Logger LOG = LoggerFactory.getLogger(TemplatePlugins.class);

    private TemplatePlugins() {
    }

    static Plugins build(AppConfig config) {
        return build(config, null);
    }

    /** With {@code ctx.Discord} on {@code discord}'s REST client and guild state (none: "not supported"). */
    static Plugins build(AppConfig config, DiscordSetup discord) {
        Plugins.Builder plugins = Plugins.builder();
        if (discord != null) {
            plugins.add(new DiscordPlugin(discord.rest(), discord.guildState()));
        }
        return plugins
                .add(new KvPlugin())
                .add(new GlobalKvPlugin())
                .add(new RuntimePlugin(runtimeInfo(config)))
                .add(new ObjectStoragePlugin(objectStore(config), maxUploadBytes(config),
                        Math.max(maxUploadBytes(config), ObjectStoragePlugin.DEFAULT_MAX_DOWNLOAD_BYTES)))
                .add(HttpClientPlugin.internet(HttpRules.DEFAULTS))
                .add(new ImageCaptchaPlugin())
                .build();
    }

    /** {@code limits.object_max_bytes}: the largest {@code ObjectStorage:upload_file}. */
    static long maxUploadBytes(AppConfig config) {
        return config.limits().objectMaxBytes();
    }

    /** {@code object_storage.*}: files under {@code base_path} (default {@code <data_dir>/objects}) or an S3 server. */
    static ObjectStore objectStore(AppConfig config) {
        AppConfig.ObjectStorage os = config.objectStorage();
        if (os.type() == AppConfig.ObjectStorage.Type.LOCAL) {
            Path base = os.basePath() != null ? os.basePath() : config.dataDir().resolve("objects");
            return new LocalObjectStore(base);
        }
        S3ObjectStore s3 = new S3ObjectStore(new S3ObjectStore.Settings(os.endpoint(), os.secure(), os.cdnEndpoint(),
                os.cdnSecure(), os.accessKey(), os.secretKey()));
        try {
            s3.createBucketsIfMissing();
        } catch (RuntimeException e) {
            LOG.warn("object storage: could not make sure the buckets exist at {}: {}; templates' object calls will fail until"
                    + " the server is reachable", os.endpoint(), e.getMessage());
        }
        return s3;
    }

    /** {@code Runtime:links()} from {@code meta.support_server_invite} and {@code sites.*}; stats since this start. */
    static RuntimeInfo runtimeInfo(AppConfig config) {
        RuntimeInfo.Links links = new RuntimeInfo.Links(config.meta().supportServerInvite(), config.sites().api(),
                config.sites().frontend(), config.sites().docs());
        RuntimeInfo.Stats stats = new RuntimeInfo.Stats(0, 0, STARTED);
        return new RuntimeInfo(links, () -> stats, exposedFolders(config.templates()),
                folder -> folder == null ? Vfs.empty() : Vfs.ofDirectory(folder));
    }

    /**
     * {@code Runtime:getexposedvfs()}: {@code Builtins} = {@code templates.builtins}, {@code TemplatingTypes} = the
     * first {@code templates.libraries} folder, else the builtins folder's own {@code templating-types/},
     * {@code BuiltinsPatches} = {@code templates.builtins_patches}; an unset one is an empty Vfs.
     */
    static RuntimeInfo.ExposedFolders exposedFolders(AppConfig.Templates t) {
        if (t == null) {
            return RuntimeInfo.ExposedFolders.NONE;
        }
        Path types = null;
        if (t.libraries() != null && !t.libraries().isEmpty()) {
            types = t.libraries().get(0);
        } else if (t.builtins() != null && Files.isDirectory(t.builtins().resolve("templating-types"))) {
            types = t.builtins().resolve("templating-types");
        }
        return new RuntimeInfo.ExposedFolders(t.builtins(), types, t.builtinsPatches());
    }

    private static final Instant STARTED = Instant.now();
}
