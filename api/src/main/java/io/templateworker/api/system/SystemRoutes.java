package io.templateworker.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import java.util.function.Supplier;

/** {@code /healthcheck}, {@code /metrics} and the OpenAPI documents. */
public final class SystemRoutes implements RouteGroup {

    private final PrometheusMeterRegistry meters;
    private final Supplier<String> publicOpenApi;
    private final Supplier<String> internalOpenApi;

    /**
     * @param publicOpenApi   the document for {@code /openapi} (generated once the server knows every route)
     * @param internalOpenApi the document for {@code /i/openapi}
     */
    public SystemRoutes(PrometheusMeterRegistry meters, Supplier<String> publicOpenApi, Supplier<String> internalOpenApi) {
        this.meters = meters;
        this.publicOpenApi = publicOpenApi;
        this.internalOpenApi = internalOpenApi;
    }

    /** Upstream's health check answers a JSON {@code null}. */
    private static void nullBody(io.javalin.http.Context ctx) {
        ctx.contentType("application/json").result("null");
    }

    @Override
    public String tag() {
        return "System";
    }

    @Override
    public void register(Routes routes) {
        // Upstream answers POST; GET is added for load balancers and curl.
        routes.get("/healthcheck").summary("Checks that the service is up; answers null").handle(SystemRoutes::nullBody);
        routes.post("/healthcheck").summary("Checks that the service is up; answers null").handle(SystemRoutes::nullBody);
        routes.get("/metrics").summary("Prometheus metrics in the text exposition format").response(String.class)
                .handle(ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
        routes.get("/openapi").summary("This document: OpenAPI 3.1 for the public API").response(Object.class)
                .handle(ctx -> ctx.contentType("application/json").result(publicOpenApi.get()));
        routes.get("/i/openapi").undocumented()
                .handle(ctx -> ctx.contentType("application/json").result(internalOpenApi.get()));
    }
}
