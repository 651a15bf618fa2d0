package io.templateworker.app.modes;

import io.templateworker.app.AppContext;

/** {@code --worker-type processpoolworker}: one child of a process pool. Not built yet. */
public final class ProcessPoolWorkerMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        return NotBuiltYet.report("processpoolworker",
                "Process-pool children come with the worker layer; use --worker-type threadpool meanwhile.");
    }
}
