package io.templateworker.app.modes;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.discord.ServiceGateway;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.process.ProcessWorkerMain;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code --worker-type processpoolworker}: one child of a process pool, started by the master with its token
 * in the environment. It opens no database; its stores are proxies over Mesophyll. It reads its own shards of the
 * gateway ({@code shard % workers == worker id}, the guilds it owns), so gateway events never cross Mesophyll. Exits
 * with the master.
 */
public final class ProcessPoolWorkerMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        Integer id = ctx.options().workerId();
        Integer workers = ctx.options().processWorkers();
        if (id == null || workers == null) {
            System.err.println("template-worker: processpoolworker needs --worker-id and --process-workers;"
                    + " it is started by --worker-type processpool, not by hand");
            return 2;
        }
        AppConfig config = ctx.config();
        int shards = config.discord().shardsFor(workers);
        DiscordSetup discord = DiscordSetup.forChild(config);
        ProcessWorkerMain.run(id, workers, ThreadPoolMode.isolates(ctx, discord), ThreadPoolMode.workerConfig(config),
                new GatewayExtension(config, discord, id, workers, shards));
        return 0;
    }

    /** The child's gateway, started once the worker serves (a warm standby reads nothing until it takes over). */
    private static final class GatewayExtension implements ProcessWorkerMain.Extension {
        private final AppConfig config;
        private final DiscordSetup discord;
        private final int id;
        private final int workers;
        private final int shards;
        private final AtomicReference<ServiceGateway> gateway = new AtomicReference<>();

        GatewayExtension(AppConfig config, DiscordSetup discord, int id, int workers, int shards) {
            this.config = config;
            this.discord = discord;
            this.id = id;
            this.workers = workers;
            this.shards = shards;
        }

        @Override
        public Supplier<KhronosValue> currentUser() {
            return () -> {
                ServiceGateway g = gateway.get();
                return g == null ? KhronosValue.Null.INSTANCE : g.currentUser();
            };
        }

        @Override
        public void serving(WorkerLike worker, Supplier<JsonNode> lastGatewayReport) {
            // The child this one replaces (after a crash) left its sessions with the master: resume them, so the events
            // Discord sent while no child read these shards are replayed rather than lost.
            gateway.set(ServiceGateway.start(config, discord, shards, ServiceGateway.shardsOf(id, workers, shards), worker,
                    lastGatewayReport.get()));
        }

        @Override
        public JsonNode gatewayReport() {
            ServiceGateway g = gateway.get();
            return g == null ? null : g.report();
        }
    }
}
