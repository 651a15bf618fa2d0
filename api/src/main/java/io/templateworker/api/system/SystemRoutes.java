package io.templateworker.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.HealthCheck;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import java.util.function.Supplier;

/** {@code /healthcheck}, {@code /metrics} and the OpenAPI documents. */
public final class SystemRoutes implements RouteGroup {

    private final PrometheusMeterRegistry meters;
    private final HealthCheck health;
    private final Supplier<String> publicOpenApi;
    private final Supplier<String> internalOpenApi;

    /**
     * @param publicOpenApi   the document for {@code /openapi} (generated once the server knows every route)
     * @param internalOpenApi the document for {@code /i/openapi}
     */
    public SystemRoutes(PrometheusMeterRegistry meters, HealthCheck health, Supplier<String> publicOpenApi,
                        Supplier<String> internalOpenApi) {
        this.meters = meters;
        this.health = health;
        this.publicOpenApi = publicOpenApi;
        this.internalOpenApi = internalOpenApi;
    }

    /** Upstream's health check answers a JSON {@code null}; we answer 503 with the reason while unhealthy. */
    private void healthcheck(io.javalin.http.Context ctx) {
        String problem = health.problem();
        if (problem != null) {
            throw new ApiException(503, ApiErrorCode.Unavailable, problem).header("Retry-After", "5");
        }
        ctx.contentType("application/json").result("null");
    }

    @Override
    public String tag() {
        return "System";
    }

    @Override
    public void register(Routes routes) {
        // Upstream answers POST; GET is added for load balancers and curl.
        for (Routes.RouteBuilder r : new Routes.RouteBuilder[] {routes.get("/healthcheck"), routes.post("/healthcheck")}) {
            r.summary("Checks that the service can do its job; answers null")
                    .description("503 with the reason while it cannot (starting, stopping, or the worker pool is down).")
                    .error(503, "the service is starting, stopping, or its workers are down").unlimited()
                    .handle(this::healthcheck);
        }
        routes.get("/metrics").summary("Prometheus metrics in the text exposition format").response(String.class)
                .produces("text/plain; version=0.0.4").unlimited()
                .handle(ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
        routes.get("/openapi").summary("This document: OpenAPI 3.1 for the public API").response(Object.class).unlimited()
                .handle(ctx -> ctx.contentType("application/json").result(publicOpenApi.get()));
        routes.get("/i/openapi").undocumented().unlimited()
                .handle(ctx -> ctx.contentType("application/json").result(internalOpenApi.get()));
    }
}
