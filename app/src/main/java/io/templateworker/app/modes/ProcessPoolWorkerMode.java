package io.templateworker.app.modes;

import io.templateworker.app.AppContext;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.worker.process.ProcessWorkerMain;

/**
 * {@code --worker-type processpoolworker}: one child of a process pool, started by the master with its token
 * in the environment. It opens no database; its stores are proxies over Mesophyll. Exits with the master.
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
        ProcessWorkerMain.run(id, workers, ThreadPoolMode.isolates(ctx, DiscordSetup.forChild(ctx.config())),
                ThreadPoolMode.workerConfig(ctx.config()));
        return 0;
    }
}
