package io.templateworker.app.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.RouteGroup;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.storage.db.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * What a mode's {@link ServiceRunner.Extension} gets while the service starts: the migrated database, the
 * metrics registry, and two ways to plug in — route groups for the HTTP API and workers to stop at shutdown.
 * Only valid during {@link ServiceRunner.Extension#install}: adding after the HTTP API started is an error.
 */
public final class Service {

    private final AppContext context;
    private final Database database;
    private final PrometheusMeterRegistry meters;
    private final List<RouteGroup> routeGroups = new ArrayList<>();
    private final List<AutoCloseable> workers = new ArrayList<>();
    private boolean sealed;

    Service(AppContext context, Database database, PrometheusMeterRegistry meters) {
        this.context = context;
        this.database = database;
        this.meters = meters;
    }

    public AppContext context() {
        return context;
    }

    public AppConfig config() {
        return context.config();
    }

    /** The migrated database; its pool has {@code --max-db-connections} connections. */
    public Database database() {
        return database;
    }

    /** Register meters here; {@code /metrics} serves them. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Mounts more routes on the HTTP API (documented in /openapi like the built-in ones). */
    public synchronized void addRouteGroup(RouteGroup group) {
        checkOpen();
        routeGroups.add(group);
    }

    /**
     * Registers something to close at shutdown: after the HTTP API has drained and before the database stops.
     * Workers close in reverse order of registration.
     */
    public synchronized void addWorker(AutoCloseable worker) {
        checkOpen();
        workers.add(worker);
    }

    synchronized List<RouteGroup> seal() {
        sealed = true;
        return List.copyOf(routeGroups);
    }

    synchronized List<AutoCloseable> workers() {
        return List.copyOf(workers);
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("the service has started; add route groups and workers inside Extension.install");
        }
    }
}
