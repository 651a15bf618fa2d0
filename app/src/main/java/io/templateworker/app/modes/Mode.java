package io.templateworker.app.modes;

import io.templateworker.app.AppContext;

/** One way of running the process. */
public interface Mode {

    /**
     * Runs the mode to completion (for service modes: until SIGINT/SIGTERM).
     *
     * @return the process exit code: 0 success, 1 failure at start or run, 2 not available
     */
    int run(AppContext ctx) throws Exception;
}
