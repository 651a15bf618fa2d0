package io.templateworker.app.service;

import io.templateworker.api.HealthCheck;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.WorkerLike;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool that comes back after {@code POST /i/kill-worker}. {@link #kill()} stops the current pool, as
 * upstream does, then starts a new one from the factory on another thread; until it is up, calls fail at once with
 * "stopped … restarting" (the API answers 503) and {@link #health()} reports the pool as down, so {@code /healthcheck}
 * answers 503 — never a service that looks healthy while every dispatch fails. {@link #close()} is the real shutdown:
 * it stops the pool without a restart.
 */
public final class RestartingPool implements WorkerLike, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestartingPool.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Supplier<? extends WorkerLike> factory;
    private final int size;
    private volatile WorkerLike current;
    private volatile String down;
    private volatile boolean closed;
    private final Object lock = new Object();

    /**
     * @param factory starts a new pool (the first one is started here); it should return once the pool can take events
     */
    public RestartingPool(Supplier<? extends WorkerLike> factory) {
        this.factory = factory;
        this.current = factory.get();
        this.size = current.len();
    }

    /** The pool running now (null while it restarts). */
    public WorkerLike current() {
        return current;
    }

    /** Null while the pool runs, else why it does not. */
    public HealthCheck health() {
        return () -> down;
    }

    @Override
    public int id() {
        return 0;
    }

    @Override
    public int len() {
        return size;
    }

    @Override
    public CompletableFuture<KhronosValue> dispatchEvent(TenantId tenant, CreateEvent event) {
        WorkerLike pool = live();
        return pool == null ? failed() : pool.dispatchEvent(tenant, event);
    }

    @Override
    public void dispatchEventNoWait(TenantId tenant, CreateEvent event) {
        WorkerLike pool = live();
        if (pool == null) {
            LOG.warn("event {} for {} dropped: {}", event.name(), tenant, down);
            WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_REFUSED);
            return;
        }
        pool.dispatchEventNoWait(tenant, event);
    }

    @Override
    public CompletableFuture<KhronosValue> runScript(TenantId tenant, String name, String code, CreateEvent event) {
        WorkerLike pool = live();
        return pool == null ? failed() : pool.runScript(tenant, name, code, event);
    }

    @Override
    public CompletableFuture<Void> dropTenant(TenantId tenant) {
        WorkerLike pool = live();
        return pool == null ? failed() : pool.dropTenant(tenant);
    }

    @Override
    public CompletableFuture<Void> reloadTemplates(TenantId tenant, String name) {
        WorkerLike pool = live();
        return pool == null ? failed() : pool.reloadTemplates(tenant, name);
    }

    /** Stops every worker (upstream's kill-worker), then starts a new pool in the background. */
    @Override
    public void kill() {
        WorkerLike old;
        synchronized (lock) {
            if (closed || current == null) {
                return;
            }
            old = current;
            current = null;
            down = "the worker pool was stopped by /i/kill-worker and is restarting";
        }
        LOG.warn("worker pool killed on request; starting a new one");
        old.kill();
        Thread.ofVirtual().name("pool-restart").start(this::restart);
    }

    private void restart() {
        long started = System.nanoTime();
        while (!closed) {
            try {
                WorkerLike fresh = factory.get();
                synchronized (lock) {
                    if (closed) {
                        fresh.kill();
                        return;
                    }
                    current = fresh;
                    down = null;
                }
                WorkerMetrics.PROCESS_RESTARTS.inc("pool");
                LOG.info("worker pool restarted in {} ms", (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (RuntimeException e) {
                down = "the worker pool was stopped by /i/kill-worker and could not be started again: " + e.getMessage()
                        + " (retrying every " + RETRY.toSeconds() + " s)";
                LOG.error("restarting the worker pool failed; retrying in {} s", RETRY.toSeconds(), e);
                LockSupport.parkNanos(RETRY.toNanos());
            }
        }
    }

    private WorkerLike live() {
        return current;
    }

    private <T> CompletableFuture<T> failed() {
        WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_REFUSED);
        String why = down != null ? down : "the worker pool has been stopped";
        return CompletableFuture.failedFuture(new WorkerException(why + "; retry in a moment"));
    }

    /** Stops the pool for good (service shutdown). */
    @Override
    public void close() {
        WorkerLike old;
        synchronized (lock) {
            closed = true;
            old = current;
            current = null;
            down = "the service is stopping";
        }
        if (old != null) {
            old.kill();
        }
    }
}
