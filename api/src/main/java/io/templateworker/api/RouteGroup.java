package io.templateworker.api;

/**
 * A set of related routes (one resource or one concern). Implementations declare their routes on the
 * given registry; {@link ApiServer} mounts every group it is given and documents them in {@code /openapi}.
 *
 * <pre>{@code
 * public final class ThreadsRoutes implements RouteGroup {
 *     public void register(Routes routes) {
 *         routes.get("/i/threads-count").summary("Number of workers").access(Access.ROOT)
 *               .response(Integer.class).handle(ctx -> ctx.json(pool.size()));
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RouteGroup {

    void register(Routes routes);

    /** The docs section for routes that do not name one. */
    default String tag() {
        return "API";
    }
}
