package io.templateworker.app.modes;

import io.templateworker.api.templates.TemplateRoutes;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigException;
import io.templateworker.app.discord.BotStateRoutes;
import io.templateworker.app.discord.DiscordErrorReports;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.discord.ServiceGateway;
import io.templateworker.app.service.RestartingPool;
import io.templateworker.app.service.Service;
import io.templateworker.app.service.ServiceRunner;
import io.templateworker.devui.LiveHub;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.expiry.KeyEventRouter;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.luau.TemplateLibraries;
import io.templateworker.worker.thread.ThreadPool;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type threadpool}: every worker runs in this process with direct database access. Worker
 * count: {@code --process-workers}, else the number of CPUs. Each worker has its own key-expiry engine.
 */
public final class ThreadPoolMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPoolMode.class);

    @Override
    public int run(AppContext ctx) {
        return ServiceRunner.run(ctx, service -> install(ctx, service));
    }

    /** Sets the service up as a thread pool (tests start it in-process with {@code ServiceRunner.start}). */
    public static DiscordSetup install(AppContext ctx, Service service) {
        int workers = workerCount(ctx);
        int shards = ctx.config().discord().shardsFor(workers);
        // This process reads every shard of the gateway (the mock's in local mode) and keeps the guild state from it.
        DiscordSetup discord = DiscordSetup.install(service, shards, true);
        Stores stores = Stores.open(service, workers);
        TenantLogBook logs = stores.logBook();
        DiscordErrorReports reports = errorReports(ctx.config(), discord, stores, logs);
        LiveHub live = DevUiSetup.hub(reports); // the dev UI's live panel sees what the error reporter gets
        AtomicReference<ServiceGateway> gateway = new AtomicReference<>();
        Supplier<KhronosValue> currentUser = () -> {
            ServiceGateway g = gateway.get();
            return g == null ? KhronosValue.Null.INSTANCE : g.currentUser();
        };
        // After /i/kill-worker a new pool is started from the same recipe; /healthcheck is 503 meanwhile.
        RestartingPool pool = new RestartingPool(() -> new ThreadPool(workers, workerConfig(ctx.config()), stores.services(),
                isolates(ctx, discord), live, currentUser).start());
        stores.startExpiry(pool);
        service.addWorker(() -> {
            stores.close();
            pool.close();
            reports.close();
            logs.close();
        });
        gateway.set(ServiceGateway.start(ctx.config(), discord, shards, ServiceGateway.allShards(shards), pool));
        service.addWorker(gateway.get()); // closed first: no events for a stopping pool
        service.useBotStats(gateway.get()::stats);
        service.addHealthCheck(pool.health());
        service.addWorkerRoutes(pool);
        service.addRouteGroup(new TemplateRoutes(stores.services().templates(), pool, logs));
        service.addRouteGroup(new BotStateRoutes(isolates(ctx, null))); // GET /bot-state
        DevUiSetup.install(service, discord, stores.services(), pool, live);
        LOG.info("thread pool started with {} workers, reading {} gateway shards", workers, shards);
        return discord;
    }

    /** Template errors to the tenant log and, as embeds, to the template's error channel or meta.default_error_channel. */
    static DiscordErrorReports errorReports(AppConfig config, DiscordSetup discord, Stores stores, TenantLogBook logs) {
        return new DiscordErrorReports(logs, discord.rest(), stores.services().templates(), config.meta().defaultErrorChannel(),
                config.meta().supportServerInvite());
    }

    static int workerCount(AppContext ctx) {
        Integer n = ctx.options().processWorkers();
        return n != null && n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** The worker limits from the config's {@code limits} (0 means "no limit" there) and {@code workers} sections. */
    static WorkerConfig workerConfig(AppConfig config) {
        AppConfig.Limits l = config.limits();
        Duration idle = l.vmIdleEvictSeconds() <= 0 ? Duration.ofDays(365 * 100) : Duration.ofSeconds(l.vmIdleEvictSeconds());
        int maxVms = l.maxVms() <= 0 ? Integer.MAX_VALUE : l.maxVms();
        Duration fanOut = l.templateWaitMs() <= 0 ? WorkerConfig.DEFAULTS.fanOutTimeout() : Duration.ofMillis(l.templateWaitMs());
        Duration timeLimit = l.executionSliceMs() <= 0 ? WorkerConfig.DEFAULTS.templateTimeLimit() : Duration.ofMillis(l.executionSliceMs());
        return new WorkerConfig(fanOut, idle, maxVms, config.workers().queuedPerTenant(), timeLimit);
    }

    /** The Luau engine with the {@code limits.*} of the config and {@code --worker-debug}. */
    static LuauIsolateFactory isolates(AppContext ctx, DiscordSetup discord) {
        AppConfig.Templates t = ctx.config().templates();
        TemplateLibraries libraries;
        try {
            libraries = TemplateLibraries.load(t.libraries(), t.builtins(), t.builtinsPatches());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return isolates(ctx.config(), discord).withGiveTime(giveTime(ctx.config()))
                .withDebug(ctx.options().workerDebug()).withLibraries(libraries);
    }

    /** {@code limits.give_time_ms}: the least of the running slice each resumed task gets. */
    static Duration giveTime(AppConfig config) {
        return Duration.ofMillis(config.limits().giveTimeMs());
    }

    /** {@code limits.kv_key_max_bytes} and {@code limits.kv_value_max_bytes} for the KV store. */
    static KvLimits.Sizes kvSizes(AppConfig config) {
        return new KvLimits.Sizes(config.limits().kvKeyMaxBytes(), config.limits().kvValueMaxBytes());
    }

    /** The Luau engine with the config's {@code limits.*} and the plugins on {@code ctx} ({@code ctx.Discord} on {@code discord}). */
    static LuauIsolateFactory isolates(AppConfig config, DiscordSetup discord) {
        AppConfig.Limits l = config.limits();
        Limits limits = Limits.defaults();
        if (l.vmMemoryBytes() > 0) {
            limits = limits.withMemory(l.vmMemoryBytes());
        }
        if (l.executionSliceMs() > 0) {
            limits = limits.withTimeSlice(Duration.ofMillis(l.executionSliceMs()));
        }
        return new LuauIsolateFactory(limits).withPlugins(TemplatePlugins.build(config, discord));
    }

    /** The PostgreSQL stores and one key-expiry engine per worker, which the KV store tells about expiry changes. */
    static final class Stores implements AutoCloseable {
        private final DataSource dataSource;
        private final int workers;
        private final AtomicReferenceArray<KeyExpiryEngine> engines;
        private final TenantServices services;

        private Stores(DataSource dataSource, int workers, String purchaseUrlPrefix, KvLimits.Sizes kvSizes) {
            this.dataSource = dataSource;
            this.workers = workers;
            this.engines = new AtomicReferenceArray<>(workers);
            PostgresKvStore kv = new PostgresKvStore(dataSource, InstantSource.system(), (tenant, id, key, scopes, expiresAt) -> {
                KeyExpiryEngine engine = engines.get(tenant.workerOf(workers));
                if (engine != null) {
                    engine.expiryChanged(tenant, id, key, scopes, expiresAt);
                }
            }, kvSizes);
            this.services = new TenantServices(new PostgresTenantStateStore(dataSource), new PostgresTemplateStore(dataSource), kv,
                    new PostgresGlobalKvStore(dataSource, purchaseUrlPrefix));
        }

        static Stores open(Service service, int workers) {
            return new Stores(service.database().dataSource(), workers, purchaseUrlPrefix(service.config()),
                    kvSizes(service.config()));
        }

        /** Where a template sends a buyer of a priced global KV entry: the frontend's purchase page. */
        static String purchaseUrlPrefix(AppConfig config) {
            String site = config.sites().frontend() != null ? config.sites().frontend()
                    : "http://" + config.addrs().templateWorker();
            return (site.endsWith("/") ? site : site + "/") + "purchase/";
        }

        TenantServices services() {
            return services;
        }

        /** The tenants' logs, with template errors recorded in the database. */
        TenantLogBook logBook() {
            return new TenantLogBook(new PostgresTemplateErrorStore(dataSource));
        }

        /** Starts each worker's engine; expired keys become KeyExpiry events dispatched through {@code pool}. */
        void startExpiry(WorkerLike pool) {
            KeyEventRouter router = new KeyEventRouter(pool);
            for (int i = 0; i < workers; i++) {
                KeyExpiryEngine engine = new KeyExpiryEngine(dataSource, router, ExpiryFailureHandler.LOG_ONLY,
                        ExpiryConfig.defaults(i, workers), InstantSource.system());
                engine.start();
                engines.set(i, engine);
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < workers; i++) {
                KeyExpiryEngine engine = engines.getAndSet(i, null);
                if (engine != null) {
                    engine.close();
                }
            }
        }
    }
}
