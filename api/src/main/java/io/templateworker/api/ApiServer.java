package io.templateworker.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.openapi.OpenApiGenerator;
import io.templateworker.api.system.SwaggerUiRoutes;
import io.templateworker.api.system.SystemRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on virtual threads with the given route groups plus the system routes
 * ({@code /healthcheck}, {@code /metrics}, {@code /openapi}, {@code /docs}), permissive CORS, request
 * logging and JSON errors.
 *
 * <p>Lifecycle: {@link #start()} binds and serves; {@link #stop()} first refuses new requests with 503,
 * waits up to the drain timeout for in-flight requests to finish, then closes the listener.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("http");

    /**
     * @param host         bind address (e.g. {@code 127.0.0.1}; {@code 0.0.0.0} for every interface)
     * @param port         bind port; 0 picks a free one (see {@link #port()})
     * @param version      the API version shown in the docs
     * @param drainTimeout how long {@link #stop()} waits for in-flight requests
     */
    public record Options(String host, int port, String version, Duration drainTimeout) {
    }

    private final Options options;
    private final PrometheusMeterRegistry meters;
    private final List<RouteSpec> routes;
    private final Object docsLock = new Object();
    /** {public, internal} OpenAPI JSON; generated once, off the startup path (swagger-core is slow to warm up). */
    private volatile String[] docs;
    private static final String ADMITTED = "tw.admitted";
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean draining;
    private Javalin app;

    /**
     * Collects the routes of every group, failing fast on a route without handler or summary, or a duplicate
     * method and path. Nothing is bound until {@link #start()}.
     */
    public ApiServer(Options options, PrometheusMeterRegistry meters, List<? extends RouteGroup> groups) {
        this.options = options;
        this.meters = meters;
        List<RouteGroup> all = new ArrayList<>(groups);
        all.add(new SystemRoutes(meters, this::publicOpenApi, this::internalOpenApi));
        all.add(new SwaggerUiRoutes());
        List<RouteSpec> collected = new ArrayList<>();
        for (RouteGroup group : all) {
            Routes r = new Routes(group.tag());
            group.register(r);
            for (RouteSpec spec : r.specs()) {
                for (RouteSpec seen : collected) {
                    if (seen.method() == spec.method() && seen.path().equals(spec.path())) {
                        throw new IllegalStateException("route " + spec.method() + " " + spec.path() + " is declared twice");
                    }
                }
                collected.add(spec);
            }
        }
        this.routes = List.copyOf(collected);
    }

    /** Every declared route, system routes included. */
    public List<RouteSpec> routes() {
        return routes;
    }

    /** The OpenAPI 3.1 document of the public routes (everything but {@link Access#ROOT}). */
    public String publicOpenApi() {
        return docs()[0];
    }

    /** The OpenAPI 3.1 document of the internal ({@link Access#ROOT}) routes. */
    public String internalOpenApi() {
        return docs()[1];
    }

    private String[] docs() {
        String[] d = docs;
        if (d == null) {
            synchronized (docsLock) {
                d = docs;
                if (d == null) {
                    List<RouteSpec> publicRoutes = new ArrayList<>();
                    List<RouteSpec> internalRoutes = new ArrayList<>();
                    for (RouteSpec spec : routes) {
                        (spec.access() == Access.ROOT ? internalRoutes : publicRoutes).add(spec);
                    }
                    d = new String[] {
                        OpenApiGenerator.generate("Template Worker API", options.version(), publicRoutes),
                        OpenApiGenerator.generate("Template Worker internal API", options.version(), internalRoutes)};
                    docs = d;
                }
            }
        }
        return d;
    }

    /**
     * Starts and stops a throwaway server on a free loopback port, so that Javalin's and Jetty's classes are
     * loaded and initialised; a caller overlaps this (about a second) with other startup work on another
     * thread. The OpenAPI generator is left out: it runs after start, off the path to healthy.
     */
    public static void warmUp() {
        Javalin warm = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.routes.get("/", ctx -> ctx.result(""));
        });
        warm.start("127.0.0.1", 0);
        warm.stop();
    }

    /** Binds the listener and starts serving. */
    public synchronized ApiServer start() {
        if (app != null) {
            throw new IllegalStateException("the API server is already started");
        }
        app = Javalin.create(this::configure);
        app.start(options.host(), options.port());
        // After the listener is up, so it does not compete with the start for the CPU.
        Thread.ofVirtual().name("openapi-generator").start(() -> {
            try {
                docs();
            } catch (RuntimeException e) {
                LOG.error("generating the OpenAPI document failed; /openapi will answer 500 until fixed", e);
            }
        });
        LOG.info("HTTP API listening on http://{}:{} (docs at /docs)", options.host(), app.port());
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    private void configure(JavalinConfig config) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.anyHost()));
        config.requestLogger.http(this::logRequest);
        // Our counter sees a request end when its handlers finish, which is before Jetty has written the
        // response; a stop timeout lets Jetty finish writing what is in flight before it closes connections.
        config.jetty.modifyServer(server -> server.setStopTimeout(options.drainTimeout().toMillis()));
        config.routes.before(this::admit);
        config.routes.after(this::release);
        for (RouteSpec spec : routes) {
            config.routes.addHttpHandler(spec.method(), spec.path(), spec.handler());
        }
        config.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.toBody()));
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                ctx.status(e.getStatus()).json(new ApiError(e.getMessage(), codeFor(e.getStatus()))));
        config.routes.exception(Exception.class, this::internalError);
        config.routes.error(404, ctx -> {
            if (ctx.endpoints().matchedHttpEndpoint() == null) {
                ctx.json(new ApiError("Not Found", ApiErrorCode.NotFound));
            }
        });
    }

    /** Counts the request in, or turns it away while draining. */
    private void admit(Context ctx) {
        // Marked so that release() counts each admitted request out exactly once, whatever path the request
        // took afterwards (exception mappers, 404 fallback): a miscount would let stop() close live requests.
        ctx.attribute(ADMITTED, Boolean.TRUE);
        inFlight.incrementAndGet();
        if (draining) {
            throw new ApiException(503, ApiErrorCode.InternalError, "the server is shutting down; retry against another instance");
        }
    }

    private void release(Context ctx) {
        if (ctx.attribute(ADMITTED) != null) {
            ctx.attribute(ADMITTED, null);
            inFlight.decrementAndGet();
        }
    }

    private void internalError(Exception e, Context ctx) {
        long id = requestIds.incrementAndGet();
        LOG.error("request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
        ctx.status(500).json(new ApiError("internal error (id " + id + "): " + e.getMessage(), ApiErrorCode.InternalError));
    }

    private static ApiErrorCode codeFor(int status) {
        return switch (status) {
            case 400 -> ApiErrorCode.BadRequest;
            case 404 -> ApiErrorCode.NotFound;
            default -> ApiErrorCode.InternalError;
        };
    }

    private void logRequest(Context ctx, Float millis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.status().getCode();
        Timer.builder("http_server_requests")
                .description("HTTP requests served, by route template")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(meters)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
        if (route.equals("/healthcheck") || route.equals("/metrics") || route.startsWith("/docs/assets")) {
            REQUESTS.debug("{} {} {} {}ms", ctx.method(), ctx.path(), status, millis);
        } else {
            REQUESTS.info("{} {} {} {}ms", ctx.method(), ctx.path(), status, millis);
        }
    }

    /**
     * Stops accepting work (new requests get 503), waits for in-flight requests up to the drain timeout, then
     * closes the listener. Safe to call more than once.
     */
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = inFlight.get();
        if (left > 0) {
            LOG.warn("{} request(s) still running after the {} s drain timeout; closing anyway", left,
                    options.drainTimeout().toSeconds());
        }
        app.stop();
        app = null;
        LOG.info("HTTP API stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
