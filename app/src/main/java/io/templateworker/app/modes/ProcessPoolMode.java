package io.templateworker.app.modes;

import io.templateworker.app.AppContext;

/** {@code --worker-type processpool}: the master that runs one child process per worker. Not built yet. */
public final class ProcessPoolMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        return NotBuiltYet.report("processpool",
                "The process pool comes with the worker layer; use --worker-type threadpool meanwhile.");
    }
}
