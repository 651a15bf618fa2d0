package io.templateworker.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.api.json.JsonBody;
import io.templateworker.api.openapi.OpenApiGenerator;
import io.templateworker.api.system.SwaggerUiRoutes;
import io.templateworker.api.system.SystemRoutes;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Before a handler runs, the server enforces the route's {@link Access} with the policy's authenticator
 * (the handler reads the result with {@link Caller#of}), charges the caller's rate limit, and refuses a body that
 * is too large (413) or not JSON (415). Every answer that is not the handler's own — unknown route (404), wrong
 * method (405), a request Jetty refuses before routing (400/431) — is a JSON {@code {message, code}} too.
 *
 * <p>Lifecycle: {@link #start()} binds and serves; {@link #stop()} first refuses new requests with 503,
 * waits up to the drain timeout for in-flight requests to finish, then closes the listener.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("http");
    /** Requests taking at least this long are logged at INFO whatever their status. */
    private static final float SLOW_REQUEST_MILLIS = 1000;

    /**
     * @param host         bind address (e.g. {@code 127.0.0.1}; {@code 0.0.0.0} for every interface)
     * @param port         bind port; 0 picks a free one (see {@link #port()})
     * @param version      the API version shown in the docs
     * @param drainTimeout how long {@link #stop()} waits for in-flight requests
     */
    public record Options(String host, int port, String version, Duration drainTimeout) {
    }

    private final Options options;
    private final ApiPolicy policy;
    private final PrometheusMeterRegistry meters;
    private final List<RouteSpec> routes;
    private final List<Routes.WsRoute> webSockets;
    private final List<Pattern> routePatterns;
    /** Request headers (and the request line) must fit in this many bytes; Jetty refuses larger ones with 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The buffer Javalin copies each answer through into Jetty's (32 KiB) output buffer, allocated per answer. */
    static final int RESPONSE_BUFFER_BYTES = 4 * 1024;
    private final Object docsLock = new Object();
    /** {public, internal} OpenAPI JSON; generated once, off the startup path (swagger-core is slow to warm up). */
    private volatile String[] docs;
    private static final String ADMITTED = "tw.admitted";
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean draining;
    private Javalin app;
    /** {@code http_server_requests} by method, route template and status (few: routes are templates). */
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(String method, String route, int status) {
        @Override
        public int hashCode() {
            // Strings cache their hash; the record's generated hashCode goes through an indirection on every request.
            return (route.hashCode() * 31 + method.hashCode()) * 31 + status;
        }
    }

    /**
     * Collects the routes of every group, failing fast on a route without handler or summary, or a duplicate
     * method and path. Nothing is bound until {@link #start()}.
     */
    public ApiServer(Options options, PrometheusMeterRegistry meters, List<? extends RouteGroup> groups) {
        this(options, meters, ApiPolicy.loopbackOnly(), groups);
    }

    /** Like {@link #ApiServer(Options, PrometheusMeterRegistry, List)} with the given authentication, limits and health. */
    public ApiServer(Options options, PrometheusMeterRegistry meters, ApiPolicy policy, List<? extends RouteGroup> groups) {
        this.options = options;
        this.policy = policy;
        this.meters = meters;
        List<RouteGroup> all = new ArrayList<>(groups);
        all.add(new SystemRoutes(meters, policy.health(), this::publicOpenApi, this::internalOpenApi));
        all.add(new SwaggerUiRoutes());
        List<RouteSpec> collected = new ArrayList<>();
        List<Routes.WsRoute> sockets = new ArrayList<>();
        for (RouteGroup group : all) {
            Routes r = new Routes(group.tag());
            group.register(r);
            sockets.addAll(r.webSockets());
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
        this.webSockets = List.copyOf(sockets);
        List<Pattern> patterns = new ArrayList<>();
        for (RouteSpec spec : routes) {
            patterns.add(pathPattern(spec.path()));
        }
        this.routePatterns = List.copyOf(patterns);
    }

    /** The policy requests are served under. */
    public ApiPolicy policy() {
        return policy;
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
                        OpenApiGenerator.generate("Template Worker API", options.version(), publicRoutes, policy.maxBodyBytes()),
                        OpenApiGenerator.generate("Template Worker internal API", options.version(), internalRoutes,
                                policy.maxBodyBytes())};
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
        config.http.maxRequestSize = policy.maxBodyBytes();
        // Javalin copies each answer through a buffer of this size, allocated per response (32 KiB by default).
        config.http.responseBufferSize = RESPONSE_BUFFER_BYTES;
        // One JSON mapper for bodies in and out: KhronosValue's wire format, RFC 3339 timestamps.
        config.jsonMapper(new JavalinJackson(JsonBody.MAPPER, true));
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.anyHost()));
        config.requestLogger.http(this::logRequest);
        // Our counter sees a request end when its handlers finish, which is before Jetty has written the
        // response; a stop timeout lets Jetty finish writing what is in flight before it closes connections.
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(options.drainTimeout().toMillis());
            server.setErrorHandler(new JsonErrorHandler(MAX_HEADER_BYTES));
        });
        config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler(MAX_HEADER_BYTES)));
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
            http.setSendServerVersion(false);
        });
        config.routes.before(this::admit);
        config.routes.after(this::release);
        for (RouteSpec spec : routes) {
            config.routes.addHttpHandler(spec.method(), spec.path(), ctx -> serve(spec, ctx));
        }
        for (Routes.WsRoute socket : webSockets) {
            config.routes.ws(socket.path(), socket.handler());
        }
        config.routes.exception(ApiException.class, (e, ctx) -> answer(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, translate(e, ctx)));
        config.routes.exception(StoreException.class, (e, ctx) -> answer(ctx, translate(e)));
        config.routes.exception(DiscordException.class, (e, ctx) -> answer(ctx, new ApiException(502, ApiErrorCode.UpstreamError,
                "Discord could not answer: " + e.getMessage())));
        config.routes.exception(Exception.class, this::internalError);
        config.routes.error(404, ctx -> {
            if (ctx.endpoints().matchedHttpEndpoint() == null) {
                ApiException e = notFoundOrWrongMethod(ctx);
                ctx.status(e.status());
                e.headers().forEach(ctx::header);
                ctx.json(e.toBody());
            }
        });
    }

    /** Access, limits and body checks, then the route's handler. */
    private void serve(RouteSpec spec, Context ctx) throws Exception {
        ApiRateLimiter limiter = policy.rateLimiter();
        boolean hasToken = ctx.header("Authorization") != null;
        if (hasToken && spec.rateLimited()) {
            limiter.refuseIfFailingAuth(ctx.req().getRemoteAddr());
        }
        Caller caller;
        try {
            caller = policy.authenticator().authenticate(ctx, spec.access());
        } catch (ApiException e) {
            if (e.code() == ApiErrorCode.InvalidToken) {
                limiter.recordFailedAuth(ctx.req().getRemoteAddr());
            }
            throw e;
        }
        caller.attachTo(ctx);
        if (spec.rateLimited()) {
            limiter.checkGlobal(caller);
        }
        if (spec.requestBody() != null) {
            JsonBody.checkMediaType(ctx);
        }
        spec.handler().handle(ctx);
    }

    private static void answer(Context ctx, ApiException e) {
        ctx.status(e.status());
        e.headers().forEach(ctx::header);
        ctx.json(e.toBody());
    }

    /** Javalin's own refusals (body too large, 405, validation) in our words. */
    private ApiException translate(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        return switch (status) {
            case 413 -> new ApiException(413, ApiErrorCode.PayloadTooLarge, tooLarge());
            case 405 -> notFoundOrWrongMethod(ctx);
            case 404 -> ApiException.notFound("Not Found");
            default -> new ApiException(status, JsonErrorHandler.codeFor(status),
                    e.getMessage() == null || e.getMessage().isBlank() ? "HTTP error " + status : e.getMessage());
        };
    }

    /** A store failure in HTTP terms; its message is written for the caller. */
    private static ApiException translate(StoreException e) {
        return switch (e.kind()) {
            case INVALID_ARGUMENT, LIMIT_EXCEEDED -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> new ApiException(409, ApiErrorCode.Conflict, e.getMessage());
            case UNAVAILABLE -> ApiException.unavailable(e.getMessage());
        };
    }

    private String tooLarge() {
        return "request body is larger than the limit of " + policy.maxBodyBytes() + " bytes (api.max_body_bytes)";
    }

    /** 405 with {@code Allow} when the path exists for other methods, else 404. */
    private ApiException notFoundOrWrongMethod(Context ctx) {
        String path = ctx.path();
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            if (routePatterns.get(i).matcher(path).matches()) {
                allowed.add(routes.get(i).method().name());
            }
        }
        if (allowed.isEmpty() || allowed.contains(ctx.method().name())) {
            return ApiException.notFound("Not Found");
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        allowed.add("OPTIONS");
        String allow = String.join(", ", allowed);
        return new ApiException(405, ApiErrorCode.MethodNotAllowed, ctx.method().name() + " is not allowed on " + path
                + "; allowed: " + allow).header("Allow", allow);
    }

    /** A regular expression matching the paths of a Javalin route path ({@code {p}} one segment, {@code <p>} any). */
    static Pattern pathPattern(String path) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '{' || c == '<') {
                int end = path.indexOf(c == '{' ? '}' : '>', i);
                re.append(c == '{' ? "[^/]+" : ".+");
                i = end + 1;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(re + "/?");
    }

    /** Counts the request in, or turns it away while draining. */
    private void admit(Context ctx) {
        // Marked so that release() counts each admitted request out exactly once, whatever path the request
        // took afterwards (exception mappers, 404 fallback): a miscount would let stop() close live requests.
        ctx.attribute(ADMITTED, Boolean.TRUE);
        inFlight.incrementAndGet();
        if (draining) {
            throw new ApiException(503, ApiErrorCode.Unavailable, "the server is shutting down; retry against another instance")
                    .header("Retry-After", "5");
        }
        String pathProblem = pathProblem(ctx.req().getRequestURI());
        if (pathProblem != null) {
            throw ApiException.badRequest(pathProblem);
        }
        // Refused before any handler reads it; a chunked body is cut off at the same limit while it is read.
        if (ctx.contentLength() > policy.maxBodyBytes()) {
            throw new ApiException(413, ApiErrorCode.PayloadTooLarge, tooLarge()).header("Connection", "close");
        }
    }

    /**
     * Why a raw request path is refused, or null: dot segments ({@code .}, {@code ..}, also percent-encoded) and
     * encoded slashes or backslashes would make one URL name two resources. Jetty lets them through to the router.
     */
    static String pathProblem(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        if (rawPath.indexOf('%') < 0 && !rawPath.contains("/.") && !rawPath.startsWith(".")) {
            return null; // no encoded character and no segment starting with a dot: nothing to refuse
        }
        int start = 0;
        int n = rawPath.length();
        while (start <= n) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            String segment = rawPath.substring(start, end);
            if (!segment.isEmpty()) {
                String dots = segment.replace("%2e", ".").replace("%2E", ".");
                if (dots.equals(".") || dots.equals("..")) {
                    return "path segment '" + segment + "' is not allowed: URLs may not contain '.' or '..' segments"
                            + " (also when percent-encoded as %2e)";
                }
                String lower = segment.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("%2f") || lower.contains("%5c")) {
                    return "path segment '" + segment + "' is not allowed: an encoded '/' or '\\' (%2F, %5C) inside a segment";
                }
            }
            start = end + 1;
        }
        return null;
    }

    private void release(Context ctx) {
        if (ctx.attribute(ADMITTED) != null) {
            ctx.attribute(ADMITTED, null);
            inFlight.decrementAndGet();
        }
    }

    /** An unexpected failure: logged with an id; the caller gets the id, never the exception's text. */
    private void internalError(Exception e, Context ctx) {
        long id = requestIds.incrementAndGet();
        LOG.error("request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
        ctx.status(500).json(new ApiError("internal error (id " + id + "); the server log has the details under this id",
                ApiErrorCode.InternalError));
    }

    private void logRequest(Context ctx, Float millis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.status().getCode();
        String method = ctx.method().name();
        // Looked up in our own map: building and registering a Timer on every request cost more than the cheap routes.
        timers.computeIfAbsent(new TimerKey(method, route, status), k -> Timer.builder("http_server_requests")
                        .description("HTTP requests served, by route template")
                        .tag("method", k.method())
                        .tag("route", k.route())
                        .tag("status", Integer.toString(k.status()))
                        .register(meters))
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
        // Answered requests are logged at DEBUG, refusals, failures and slow requests at INFO: a line per request on
        // the console cost more CPU than a cheap route itself (TW_LOG_LEVEL=DEBUG shows every request).
        if (status >= 400 && !route.equals("/healthcheck") || millis >= SLOW_REQUEST_MILLIS) {
            REQUESTS.info("{} {} {} {}ms", method, ctx.path(), status, millis);
        } else if (REQUESTS.isDebugEnabled()) {
            REQUESTS.debug("{} {} {} {}ms", method, ctx.path(), status, millis);
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
