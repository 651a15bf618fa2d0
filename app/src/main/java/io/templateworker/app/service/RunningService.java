package io.templateworker.app.service;

import io.templateworker.api.ApiServer;
import io.templateworker.storage.db.Database;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started service. {@link #close()} is the graceful stop; it is idempotent and safe from any thread. */
public final class RunningService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);

    private final Service service;
    private final ApiServer api;
    private final Database database;
    private final DataDirClaim claim;
    private boolean closed;

    RunningService(Service service, ApiServer api, Database database, DataDirClaim claim) {
        this.service = service;
        this.api = api;
        this.database = database;
        this.claim = claim;
    }

    /** The HTTP API's bound port. */
    public int port() {
        return api.port();
    }

    public Service service() {
        return service;
    }

    /**
     * Stops in dependency order: HTTP API (refuse new requests, drain running ones), then workers in reverse
     * registration order, then the database (pool, then the embedded server). A failing step is logged and
     * the next one still runs.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long start = System.nanoTime();
        LOG.info("stopping: draining HTTP requests");
        try {
            api.stop();
        } catch (RuntimeException e) {
            LOG.error("stopping the HTTP API failed", e);
        }
        List<AutoCloseable> workers = service.workers();
        for (int i = workers.size() - 1; i >= 0; i--) {
            try {
                workers.get(i).close();
            } catch (Exception e) {
                LOG.error("stopping worker {} failed", workers.get(i), e);
            }
        }
        try {
            database.close();
        } catch (RuntimeException e) {
            LOG.error("closing {} failed", database.description(), e);
        }
        claim.close();
        LOG.info("stopped cleanly in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
