package io.templateworker.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.ApiPolicy;
import io.templateworker.api.ApiServer;
import io.templateworker.api.HealthCheck;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.auth.SessionAuthenticator;
import io.templateworker.api.auth.Tokens;
import io.templateworker.api.dto.Meta;
import io.templateworker.api.discord.DiscordOAuth;
import io.templateworker.api.guilds.GuildDirectory;
import io.templateworker.api.guilds.GuildStateDirectory;
import io.templateworker.api.internal.InternalRoutes;
import io.templateworker.api.templates.TemplateRoutes;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.runtime.account.SessionType;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.storage.account.PostgresAccountStore;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A whole API over real HTTP: the real account store on a fresh embedded PostgreSQL, a real thread pool running a
 * Luau template for {@link #GUILD}, and a guild directory the test controls (the port the Discord guild state fills).
 */
final class ApiHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT_USER = "1000";
    static final long GUILD = (5L << 22) + 1;
    static final long OTHER_GUILD = (6L << 22) + 1;
    static final String TEMPLATE = """
            return {
              WebPing = function(ctx) return { pong = ctx.event.author } end,
              GetSettings = function(ctx) return { { id = "greeting", name = "Greeting" } } end,
              ExecuteSetting = function(ctx)
                local d = ctx.event.data
                return { id = d.id, op = d.op, by = d.author, fields = d.fields }
              end,
            }
            """;

    final DataSource db = TestPostgres.freshDatabase();
    final PostgresAccountStore accounts = new PostgresAccountStore(db);
    final Map<Long, Set<Long>> managers = new ConcurrentHashMap<>();
    final Set<Long> botGuilds = ConcurrentHashMap.newKeySet();
    final GuildDirectory guilds = new GuildDirectory() {
        @Override
        public boolean hasBot(long guildId) {
            return botGuilds.contains(guildId);
        }

        @Override
        public long guildCount() {
            return botGuilds.size();
        }

        @Override
        public Verdict check(long guildId, long userId) {
            if (!botGuilds.contains(guildId)) {
                return Verdict.UNKNOWN_GUILD;
            }
            return managers.getOrDefault(guildId, Set.of()).contains(userId) ? Verdict.MANAGER : Verdict.NOT_MANAGER;
        }
    };
    final ThreadPool pool;
    final SessionAuthenticator authenticator;
    final ApiServer server;
    final HttpClient http = HttpClient.newHttpClient();
    volatile String healthProblem;

    ApiHarness(boolean loopbackRoot, ApiRateLimiter limiter, List<RouteGroup> extra) {
        this(loopbackRoot, limiter, extra, null, null, 0);
    }

    /**
     * @param discord    Discord's OAuth2 endpoints (the mock's), or null
     * @param guildState the guild state (over the mock), or null to use the directory the test controls
     */
    ApiHarness(boolean loopbackRoot, ApiRateLimiter limiter, List<RouteGroup> extra, DiscordOAuth discord, GuildState guildState,
               long botId) {
        botGuilds.add(GUILD);
        TenantId tenant = TenantId.guild(GUILD);
        TenantStateStore states = new TenantStateStore() {
            public TenantState get(TenantId t) {
                return t.equals(tenant)
                        ? new TenantState(Set.of("WebPing", "GetSettings", "ExecuteSetting"), false, TenantState.empty().data())
                        : TenantState.empty();
            }

            public void set(TenantId t, TenantState s) {
            }

            public void setBanned(TenantId t, boolean b) {
            }

            public Map<TenantId, TenantState> listForWorker(int w, int n) {
                return Map.of();
            }
        };
        Template template = new Template(tenant, "greeter", Map.of("init.luau", TEMPLATE),
                List.of("WebPing", "GetSettings", "ExecuteSetting[greeting]"), List.of(), false, null, "luau", Instant.EPOCH,
                Instant.EPOCH);
        TemplateStore templates = new TemplateStore() {
            public List<Template> list(TenantId t) {
                return t.equals(tenant) ? List.of(template) : List.of();
            }

            public Template get(TenantId t, String name) {
                return null;
            }

            public Template create(TenantId t, TemplateSpec s) {
                throw new UnsupportedOperationException();
            }

            public Template update(TenantId t, String n, TemplateSpec s) {
                throw new UnsupportedOperationException();
            }

            public boolean delete(TenantId t, String n) {
                throw new UnsupportedOperationException();
            }
        };
        pool = new ThreadPool(2, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null),
                LuauIsolateFactory.withDefaultLimits(), new TenantLogBook(new PostgresTemplateErrorStore(db)),
                KhronosValue.Null.INSTANCE).start();
        InstantSource clock = InstantSource.system();
        GuildDirectory directory = guildState == null ? guilds : new GuildStateDirectory(guildState, clock);
        authenticator = new SessionAuthenticator(accounts, Set.of(ROOT_USER), loopbackRoot, directory, clock);
        List<RouteGroup> groups = new ArrayList<>(List.of(
                new SessionRoutes(accounts, authenticator, clock),
                new OAuthRoutes(accounts, discord, List.of("https://dash.example/cb", OAuthRoutes.APP_REDIRECT), loopbackRoot, clock),
                new UserGuildRoutes(accounts, discord, directory, guildState, () -> botId, limiter, clock),
                new MetaRoutes(new Meta.ApiConfig("1064135068928454766", "https://discord.gg/x", "42"),
                        () -> new Meta.GetStatusResponse(Map.of(), guilds.guildCount(), 0)),
                new GlobalKvRoutes(new PostgresGlobalKvStore(db, "https://shop.example/purchase/")),
                new GuildRoutes(pool, directory),
                new TemplateRoutes(new PostgresTemplateStore(db), pool, new TenantLogBook(new PostgresTemplateErrorStore(db))),
                new InternalRoutes(pool, directory)));
        groups.addAll(extra);
        HealthCheck health = () -> healthProblem;
        server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(5)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new ApiPolicy(authenticator, limiter, ApiPolicy.DEFAULT_MAX_BODY_BYTES, health), groups).start();
    }

    /** A session token for {@code userId} created straight in the store (the user is created if needed). */
    String login(String userId) {
        return login(userId, SessionType.LOGIN, Instant.now().plusSeconds(3600));
    }

    String login(String userId, SessionType type, Instant expiry) {
        accounts.ensureUser(userId);
        String token = Tokens.generate();
        accounts.createSession(userId, Tokens.hash(token), type, null, expiry);
        return token;
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        server.stop();
        pool.kill();
    }
}
