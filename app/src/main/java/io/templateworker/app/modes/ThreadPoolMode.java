package io.templateworker.app.modes;

import io.templateworker.app.AppContext;
import io.templateworker.app.service.ServiceRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type threadpool}: every worker runs in this process with direct database access.
 *
 * <p>Until the worker layer exists this starts the service skeleton only (database, migrations, HTTP API),
 * and logs that no templates run. The worker layer plugs in through the {@link ServiceRunner.Extension}: it
 * builds the pool from {@code service.database()}, registers it with {@code service.addWorker(pool)} (closed
 * on shutdown after the HTTP API drains and before the database stops) and adds its route groups with
 * {@code service.addRouteGroup(...)}.
 */
public final class ThreadPoolMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPoolMode.class);

    @Override
    public int run(AppContext ctx) {
        return ServiceRunner.run(ctx, service ->
                LOG.warn("the thread pool is not built yet: serving the HTTP API and database only; no templates run"));
    }
}
