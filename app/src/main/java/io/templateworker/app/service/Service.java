package io.templateworker.app.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.HealthCheck;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.guilds.GuildDirectory;
import io.templateworker.api.guilds.GuildStateDirectory;
import io.templateworker.api.internal.InternalRoutes;
import io.templateworker.api.routes.GuildRoutes;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.storage.db.Database;
import io.templateworker.worker.WorkerLike;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

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
    private final List<HealthCheck> healthChecks = new ArrayList<>();
    private final AccountStore accounts;
    private volatile GuildDirectory guilds = GuildDirectory.NONE;
    private String discordApiBase;
    private GuildState guildState;
    private LongSupplier botId = () -> 0;
    private java.util.function.Supplier<io.templateworker.api.dto.Meta.GetStatusResponse> botStats;
    private boolean sealed;

    Service(AppContext context, Database database, PrometheusMeterRegistry meters, AccountStore accounts) {
        this.context = context;
        this.database = database;
        this.meters = meters;
        this.accounts = accounts;
    }

    /** Users and sessions of the HTTP API. */
    public AccountStore accounts() {
        return accounts;
    }

    /**
     * Mounts the routes that need the worker pool: the internal API ({@code /i/dispatch-event}, {@code /i/kill-worker},
     * ...) and the guild routes ({@code /guilds/{guild_id}/events}, settings).
     */
    public synchronized void addWorkerRoutes(WorkerLike pool) {
        checkOpen();
        routeGroups.add(new InternalRoutes(pool, guildDirectory()));
        routeGroups.add(new GuildRoutes(pool, guildDirectory()));
    }

    /** Where the API learns which guilds the bot is in and who may manage them (the Discord guild state). */
    public void useGuildDirectory(GuildDirectory directory) {
        this.guilds = directory;
    }

    /**
     * The guild directory as routes see it: it forwards to whatever {@link #useGuildDirectory} set, also when that is
     * set after the routes were built.
     */
    public GuildDirectory guildDirectory() {
        return new GuildDirectory() {
            @Override
            public boolean hasBot(long guildId) {
                return guilds.hasBot(guildId);
            }

            @Override
            public long guildCount() {
                return guilds.guildCount();
            }

            @Override
            public Verdict check(long guildId, long userId) {
                return guilds.check(guildId, userId);
            }
        };
    }

    /**
     * What the HTTP API needs of Discord: the REST base for OAuth2 calls ({@code http://host:port/api/v10}, e.g. the
     * local mock's), the guild state (bot in guild, guild managers, channel permissions) and the bot's user id.
     */
    public synchronized void useDiscord(String apiBase, GuildState state, LongSupplier botUserId) {
        checkOpen();
        this.discordApiBase = apiBase;
        this.guildState = state;
        this.botId = botUserId;
        useGuildDirectory(new GuildStateDirectory(state, java.time.InstantSource.system()));
    }

    /** What {@code GET /bot-stats} reports (the gateway's shards where this process reads them); unset: guild totals only. */
    public synchronized void useBotStats(java.util.function.Supplier<io.templateworker.api.dto.Meta.GetStatusResponse> stats) {
        checkOpen();
        this.botStats = stats;
    }

    synchronized java.util.function.Supplier<io.templateworker.api.dto.Meta.GetStatusResponse> botStats() {
        return botStats;
    }

    synchronized GuildState guildState() {
        return guildState;
    }

    synchronized LongSupplier botId() {
        return botId;
    }

    /** Discord's REST base ({@code http://host:port/api/v10}) for the API's OAuth2 calls, e.g. the local mock's. */
    public synchronized void useDiscordApi(String apiBase) {
        checkOpen();
        this.discordApiBase = apiBase;
    }

    synchronized String discordApiBase() {
        return discordApiBase;
    }

    /** Adds a condition {@code /healthcheck} reports (503 with its text while it returns non-null). */
    public synchronized void addHealthCheck(HealthCheck check) {
        checkOpen();
        healthChecks.add(check);
    }

    /** Every health check in one: the first problem, or null. */
    HealthCheck health() {
        List<HealthCheck> checks;
        synchronized (this) {
            checks = List.copyOf(healthChecks);
        }
        return () -> {
            for (HealthCheck c : checks) {
                String problem = c.problem();
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        };
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
