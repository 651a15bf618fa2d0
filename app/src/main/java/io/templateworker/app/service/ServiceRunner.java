package io.templateworker.app.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiPolicy;
import io.templateworker.api.ApiServer;
import io.templateworker.api.system.RuntimeMetricsCollector;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.luau.errors.InternalFailure;
import io.templateworker.luau.jit.Jit;
import io.templateworker.storage.account.PostgresAccountStore;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.db.DatabaseException;
import io.templateworker.storage.db.DatabaseOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the long-running service and stops it in order. Service modes call {@link #run}; the seam for the
 * worker layer is the {@link Extension}, which runs after the database is migrated and before the HTTP API
 * binds:
 *
 * <pre>{@code
 * return ServiceRunner.run(ctx, service -> {
 *     ThreadPool pool = ThreadPool.start(service.database().dataSource(), ...);
 *     service.addWorker(pool);                        // closed after HTTP drains, before PostgreSQL stops
 *     service.addRouteGroup(new InternalRoutes(pool)); // documented in /i/openapi
 * });
 * }</pre>
 *
 * Start order: database (embedded or URL) → migrations → extension → HTTP API → "healthy" log line with the
 * launch-to-healthy time. Stop order: see {@link RunningService#close()}.
 */
public final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);
    /** How long a stop waits for in-flight HTTP requests. Short enough to finish well inside 30 s. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** What a mode adds to the service skeleton. */
    @FunctionalInterface
    public interface Extension {
        void install(Service service) throws Exception;
    }

    private ServiceRunner() {
    }

    /**
     * Starts the service, waits for SIGINT/SIGTERM, stops it in order.
     *
     * @return 0 after a clean stop, 1 if the service could not start (the reason is logged)
     */
    public static int run(AppContext ctx, Extension extension) {
        ShutdownSignals signals = ShutdownSignals.install();
        RunningService running;
        try {
            running = start(ctx, extension);
        } catch (StartupException e) {
            LOG.error("could not start: {}", e.getMessage(), e.getCause());
            return 1;
        }
        // Fallback for exits that are not our signals (System.exit elsewhere, SIGHUP): still stop in order.
        Thread hook = Thread.ofPlatform().name("tw-shutdown").unstarted(running::close);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            signals.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.close();
        return 0;
    }

    /**
     * Starts the service without waiting for a signal; the caller stops it with {@link RunningService#close()}.
     *
     * @throws StartupException when a step fails; whatever had started is stopped again
     */
    public static RunningService start(AppContext ctx, Extension extension) {
        AppConfig config = ctx.config();
        LOG.info("template-worker {} starting, {} mode, config: {}, data dir: {}", ctx.version(),
                ctx.options().workerType().cliName(), config.source(), config.dataDir().toAbsolutePath());
        // Loading the HTTP server's and the metrics registry's classes takes a second or two; do it on other
        // threads while PostgreSQL starts. Class initialisation is thread-safe, so the real start just finds
        // the classes loaded (or waits for them).
        Thread.ofPlatform().daemon().name("api-warm-up").start(ServiceRunner::warmUpQuietly);
        CompletableFuture<PrometheusMeterRegistry> metersReady = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("meters").start(() -> {
            try {
                metersReady.complete(newMeterRegistry());
            } catch (RuntimeException | Error e) {
                metersReady.completeExceptionally(e);
            }
        });
        // Both checks come before the database starts, so a second service fails in one line and touches nothing.
        checkAddressesFree(ctx);
        DataDirClaim claim;
        try {
            claim = DataDirClaim.claim(config.dataDir(), ctx.options().workerType().cliName());
        } catch (DataDirClaim.InUseException | IllegalStateException e) {
            throw new StartupException(e.getMessage(), null);
        }
        Database database;
        try {
            database = openDatabase(ctx);
        } catch (DatabaseException e) {
            claim.close();
            throw new StartupException(e.getMessage(), e);
        }
        Service service = null;
        ApiServer api = null;
        try {
            if (config.objectStorage().type() == AppConfig.ObjectStorage.Type.LOCAL) {
                Files.createDirectories(config.objectStorage().basePath());
            }
            int applied = database.migrate();
            LOG.info("database ready: {} ({} migration(s) applied)", database.description(), applied);
            PrometheusMeterRegistry meters = metersReady.join();
            databaseMeters(meters, database);
            service = new Service(ctx, database, meters, new PostgresAccountStore(database.dataSource()));
            extension.install(service);
            ApiPolicy policy = ApiWiring.install(service);
            ApiServer.Options options = new ApiServer.Options(config.addrs().templateWorker().host(),
                    config.addrs().templateWorker().port(), ctx.version(), DRAIN_TIMEOUT);
            api = new ApiServer(options, meters, policy, service.seal());
            api.start();
        } catch (Exception e) {
            closeWorkers(service);
            database.close();
            claim.close();
            String what = api == null ? e.getMessage() : "the HTTP API could not listen on " + config.addrs().templateWorker()
                    + ": " + e.getMessage() + " (is the port in use? set addrs.template_worker or TW_ADDRS_TEMPLATE_WORKER)";
            throw new StartupException(what == null ? e.toString() : what, e);
        }
        claim.recordRunning(ctx.options().workerType().cliName(), "http://" + config.addrs().templateWorker().host() + ":"
                + api.port(), database.embeddedPort());
        long toHealthy = System.currentTimeMillis() - ctx.launchMillis();
        LOG.info("healthy in {} ms: API on http://{}:{} (docs /docs, OpenAPI /openapi, metrics /metrics); stop with Ctrl-C or SIGTERM",
                toHealthy, config.addrs().templateWorker().host(), api.port());
        return new RunningService(service, api, database, claim);
    }

    /**
     * Fails in one line when the API's address (or the process pool's Mesophyll address) is taken: binding first
     * gives a clear message before the database starts, instead of a stack trace after it.
     */
    static void checkAddressesFree(AppContext ctx) {
        AppConfig config = ctx.config();
        checkFree(config.addrs().templateWorker(), "addrs.template_worker", "TW_ADDRS_TEMPLATE_WORKER");
        if (ctx.options().workerType() == io.templateworker.app.WorkerType.PROCESSPOOL) {
            checkFree(config.addrs().mesophyllServer(), "addrs.mesophyll_server", "TW_ADDRS_MESOPHYLL_SERVER");
        }
        if (io.templateworker.app.discord.LocalDiscord.needed(config)) {
            checkFree(config.addrs().mockDiscord(), "addrs.mock_discord", "TW_ADDRS_MOCK_DISCORD");
        }
    }

    private static void checkFree(io.templateworker.app.config.HostPort at, String key, String env) {
        if (at.port() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(at.host(), at.port()));
        } catch (java.io.IOException e) {
            throw new StartupException(key + " " + at + " is already in use (" + e.getMessage()
                    + "): stop what listens there, or set " + key + " / " + env + " (port 0 picks a free one)", null);
        }
    }

    /**
     * The database for a tool (migrate, shell, register) in this data folder: the running local service's embedded
     * PostgreSQL when one runs (its port is recorded in the folder), else an embedded server started for the tool
     * (the folder is claimed meanwhile, so no service starts on it), else the configured URL.
     */
    public static ToolDatabase openDatabaseForTool(AppContext ctx) {
        AppConfig config = ctx.config();
        if (config.database().type() != AppConfig.Database.Type.EMBEDDED) {
            return new ToolDatabase(openDatabase(ctx), null);
        }
        java.util.Optional<DataDirClaim.Running> running = DataDirClaim.runningService(config.dataDir());
        if (running.isPresent() && running.get().postgresPort() > 0) {
            DataDirClaim.Running r = running.get();
            LOG.info("using the database of the running service ({}, pid {}) on port {}", r.mode(), r.pid(), r.postgresPort());
            return new ToolDatabase(Database.open(DatabaseOptions.external("postgres://postgres@127.0.0.1:" + r.postgresPort()
                    + "/" + Database.EMBEDDED_DATABASE, ctx.options().maxDbConnections())), null);
        }
        DataDirClaim claim;
        try {
            claim = DataDirClaim.claim(config.dataDir(), ctx.options().workerType().cliName());
        } catch (DataDirClaim.InUseException e) {
            throw new DatabaseException(e.getMessage() + " (it has not recorded its database yet; retry in a moment)", e);
        }
        try {
            Database db = openDatabase(ctx);
            claim.recordRunning(ctx.options().workerType().cliName(), null, db.embeddedPort());
            return new ToolDatabase(db, claim);
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    /** A tool's database and the data-folder claim to release with it. */
    public record ToolDatabase(Database database, DataDirClaim claim) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
            if (claim != null) {
                claim.close();
            }
        }
    }

    private static PrometheusMeterRegistry newMeterRegistry() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        // Worker, plugin, expiry and rate-limit figures kept by the runtime (runtime.metrics.WorkerMetrics)
        RuntimeMetricsCollector.bindTo(meters);
        // Luau functions compiled to JVM bytecode in this process (thread pool mode runs every VM here)
        jitGauge(meters, "compiled", Jit::compiledCount);
        jitGauge(meters, "skipped", Jit::skippedCount);
        jitGauge(meters, "failed", Jit::failedCount);
        // Java exceptions the Luau engine turned into Luau errors (each one a bug in a builtin or host function)
        FunctionCounter.builder("luau.internal.errors", InternalFailure.class, c -> (double) InternalFailure.count())
                .description("Java exceptions from builtins, host functions or the engine, turned into Luau errors")
                .register(meters);
        return meters;
    }

    /** The database monitor's view: up or not, outages seen, embedded restarts (see {@link Database}). */
    private static void databaseMeters(PrometheusMeterRegistry meters, Database database) {
        Gauge.builder("database.available", database, d -> d.isAvailable() ? 1 : 0)
                .description("1 while the database answers the monitor's checks, 0 during an outage (requests then fail with 503)")
                .register(meters);
        FunctionCounter.builder("database.outages", database, d -> (double) d.outages())
                .description("Database outages seen since start (each ends when queries work again)")
                .register(meters);
        FunctionCounter.builder("database.restarts", database, d -> (double) d.restarts())
                .description("Restarts of the embedded PostgreSQL after its process died")
                .register(meters);
    }

    private static void jitGauge(PrometheusMeterRegistry meters, String result, LongSupplier count) {
        Gauge.builder("luau.jit.functions", count, c -> (double) c.getAsLong())
                .tag("result", result)
                .description("Hot Luau functions by JIT outcome: compiled to JVM bytecode, skipped as too large, failed")
                .register(meters);
    }

    private static void warmUpQuietly() {
        try {
            ApiServer.warmUp();
        } catch (RuntimeException e) {
            LOG.debug("API warm-up failed; the real start will report any problem", e);
        }
    }

    /** Opens the configured database: embedded under {@code <data_dir>/postgres}, or the configured URL. */
    public static Database openDatabase(AppContext ctx) {
        AppConfig config = ctx.config();
        int connections = ctx.options().maxDbConnections();
        DatabaseOptions options = config.database().type() == AppConfig.Database.Type.EMBEDDED
                ? DatabaseOptions.embedded(config.dataDir().resolve("postgres"), connections)
                : DatabaseOptions.external(config.database().url(), connections);
        return Database.open(options);
    }

    private static void closeWorkers(Service service) {
        if (service == null) {
            return;
        }
        for (AutoCloseable worker : service.workers().reversed()) {
            try {
                worker.close();
            } catch (Exception e) {
                LOG.warn("stopping {} after a failed start failed: {}", worker, e.toString());
            }
        }
    }

    /** The service could not start; the message says which step failed and what to check. */
    public static final class StartupException extends RuntimeException {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
