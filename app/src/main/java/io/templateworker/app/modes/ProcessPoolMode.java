package io.templateworker.app.modes;

import io.templateworker.api.templates.TemplateRoutes;
import io.templateworker.app.AppContext;
import io.templateworker.app.Main;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.discord.BotStateRoutes;
import io.templateworker.app.discord.DiscordErrorReports;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.discord.ServiceGateway;
import io.templateworker.app.service.RestartingPool;
import io.templateworker.app.service.Service;
import io.templateworker.app.service.ServiceRunner;
import io.templateworker.devui.LiveHub;
import io.templateworker.mesophyll.server.MesophyllServerConfig;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.process.ChildLauncher;
import io.templateworker.worker.process.MasterHeap;
import io.templateworker.worker.process.ProcessPool;
import io.templateworker.worker.process.ProcessPoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type processpool}: the master. It keeps the database, the HTTP API and the key-expiry
 * engines, and runs one child JVM per worker ({@code --process-workers}, else one per two CPUs:
 * {@link ProcessPoolConfig#defaultWorkers}) that reaches the database only through Mesophyll.
 */
public final class ProcessPoolMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPoolMode.class);

    @Override
    public int run(AppContext ctx) {
        return ServiceRunner.run(ctx, service -> install(ctx, service));
    }

    /** {@code --process-workers}, else {@link ProcessPoolConfig#defaultWorkers} for this machine. */
    static int workerCount(AppContext ctx) {
        Integer n = ctx.options().processWorkers();
        return n != null && n > 0 ? n : ProcessPoolConfig.defaultWorkers(Runtime.getRuntime().availableProcessors());
    }

    /** Sets the service up as a process pool's master (tests start it in-process with {@code ServiceRunner.start}). */
    public static DiscordSetup install(AppContext ctx, Service service) {
        int workers = workerCount(ctx);
        // The master reads no gateway: each child reads its own shards (checked here so a bad count stops the start).
        int shards = ctx.config().discord().shardsFor(workers);
        DiscordSetup discord = DiscordSetup.install(service, shards, false); // children reach the same mock in local mode
        ThreadPoolMode.Stores stores = ThreadPoolMode.Stores.open(service, workers);
        List<String> childArgs = new ArrayList<>();
        if (ctx.options().configFile() != null) {
            childArgs.add("--config");
            childArgs.add(ctx.options().configFile().toAbsolutePath().toString());
        }
        if (ctx.options().dataDir() != null) {
            childArgs.add("--data-dir");
            childArgs.add(ctx.options().dataDir().toAbsolutePath().toString());
        }
        if (ctx.options().workerDebug()) {
            childArgs.add("--worker-debug");
        }
        if (MasterHeap.capSoftMaximum()) { // this JVM only routes: its children hold the tenants' VMs
            LOG.debug("process-pool master: soft heap maximum {} bytes", MasterHeap.SOFT_MAX_BYTES);
        }
        TenantLogBook logs = stores.logBook();
        // Children's template errors come to the master over Mesophyll; it posts the reports.
        DiscordErrorReports reports = ThreadPoolMode.errorReports(ctx.config(), discord, stores, logs);
        LiveHub live = DevUiSetup.hub(reports); // the dev UI's live panel: the children's prints and errors
        // After /i/kill-worker a new pool is started from the same recipe; /healthcheck is 503 meanwhile.
        RestartingPool pool = new RestartingPool(() -> {
            ProcessPool processes = new ProcessPool(poolConfig(ctx.config(), workers), stores.services(),
                    ChildLauncher.sameJvm(Main.class.getName(), childJvmOptions(ctx.config(), discord), childArgs), live)
                    .start(ctx.config().addrs().mesophyllServer().host(), ctx.config().addrs().mesophyllServer().port());
            try {
                if (!processes.awaitConnected(Duration.ofSeconds(60))) {
                    LOG.warn("not every worker process connected within 60 s; their events are queued until they do");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return processes;
        });
        stores.startExpiry(pool);
        service.addWorker(() -> {
            stores.close();
            pool.close();
            reports.close();
            logs.close();
        });
        service.addHealthCheck(pool.health());
        // GET /bot-stats: every child's shards, as each child last reported them over Mesophyll.
        service.useBotStats(() -> ServiceGateway.statsOf(pool.current() instanceof ProcessPool p ? p.gatewayReports() : List.of()));
        service.addWorkerRoutes(pool);
        service.addRouteGroup(new TemplateRoutes(stores.services().templates(), pool, logs));
        service.addRouteGroup(new BotStateRoutes(ThreadPoolMode.isolates(ctx, null))); // GET /bot-state
        DevUiSetup.install(service, discord, stores.services(), pool, live);
        LOG.info("process pool started with {} worker processes, each reading its own of {} gateway shards", workers, shards);
        return discord;
    }

    /** The service's child options, the configured {@code workers.child_jvm_options}, then the Discord setup's. */
    static List<String> childJvmOptions(AppConfig config, DiscordSetup discord) {
        List<String> options = new ArrayList<>(ChildLauncher.serviceJvmOptions(config.workers().childJvmOptions()));
        options.addAll(discord.childJvmOptions());
        return options;
    }

    /** Supervision and Mesophyll timing from the config's {@code workers} section. */
    static ProcessPoolConfig poolConfig(AppConfig config, int workers) {
        AppConfig.Workers w = config.workers();
        MesophyllServerConfig mesophyll = new MesophyllServerConfig(Duration.ofMillis(w.heartbeatIntervalMs()),
                w.missedHeartbeats(), MesophyllServerConfig.DEFAULTS.requestTimeout());
        return ProcessPoolConfig.defaults(workers).withMesophyll(mesophyll)
                .withRespawn(Duration.ofMillis(w.respawnBackoffMs()), w.respawnMaxFailures())
                .withMaxQueued(w.queuedWhileDown()).withMaxInFlight(w.inFlightPerProcess())
                .withStandby(w.warmStandby());
    }
}
