package io.templateworker.api.routes;

import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.dto.Meta.ApiConfig;
import io.templateworker.api.dto.Meta.GetStatusResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** {@code GET /config} and {@code GET /bot-stats} (UPSTREAM.md §4.5 (e)); both public. */
public final class MetaRoutes implements RouteGroup {

    /** How long {@code /bot-stats} is reused, as upstream. */
    public static final Duration STATS_CACHE = Duration.ofSeconds(100);

    private final ApiConfig config;
    private final Supplier<GetStatusResponse> stats;
    private final Object lock = new Object();
    private GetStatusResponse cached;
    private long cachedAt;

    /** @param stats computes the bot's status (gateway shards, guild and user totals); called at most every 100 s */
    public MetaRoutes(ApiConfig config, Supplier<GetStatusResponse> stats) {
        this.config = config;
        this.stats = stats;
    }

    @Override
    public String tag() {
        return "Bot";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/config").summary("This deployment's support server, invite and OAuth2 client id").response(ApiConfig.class)
                .handle(ctx -> ctx.json(config));
        routes.get("/bot-stats").summary("The bot's gateway shards and totals (refreshed every 100 s)")
                .response(GetStatusResponse.class).handle(ctx -> ctx.json(stats()));
    }

    private GetStatusResponse stats() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (cached == null || now - cachedAt > STATS_CACHE.toNanos()) {
                cached = stats.get();
                cachedAt = now;
            }
            return cached;
        }
    }
}
