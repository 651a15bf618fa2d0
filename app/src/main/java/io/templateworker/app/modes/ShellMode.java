package io.templateworker.app.modes;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.discord.LocalDiscord;
import io.templateworker.app.service.DataDirClaim;
import io.templateworker.app.service.ServiceRunner;
import io.templateworker.app.shell.FauxpasShell;
import io.templateworker.app.shell.ShellRepl;
import io.templateworker.app.shell.ShellServices;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.db.Database;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.worker.WorkerPool;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.thread.ThreadPool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type shell} ({@code fauxpas}): the staff REPL (UPSTREAM.md §9). It uses the running service's
 * database when one runs on the data folder (local mode: no second PostgreSQL), else opens the database itself;
 * Discord is the configured one, or in local mode the running service's mock Discord (or a mock of its own when no
 * service runs). On a terminal it is interactive; with stdin from a file or pipe it runs the lines as a script and
 * exits 1 at the first error.
 */
public final class ShellMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(ShellMode.class);

    @Override
    public int run(AppContext ctx) throws Exception {
        logToStderr();
        AppConfig config = ctx.config();
        Optional<DataDirClaim.Running> service = DataDirClaim.runningService(config.dataDir());
        List<AutoCloseable> closing = new ArrayList<>();
        try (ServiceRunner.ToolDatabase tool = ServiceRunner.openDatabaseForTool(ctx)) {
            Database db = tool.database();
            if (service.isEmpty()) {
                db.migrate(); // the shell opened the database itself: bring the schema up to date, as a service would
            }
            DataSource ds = db.dataSource();
            TenantServices stores = new TenantServices(new PostgresTenantStateStore(ds), new PostgresTemplateStore(ds),
                    new PostgresKvStore(ds, InstantSource.system(), (tenant, id, key, scopes, expiresAt) -> { }),
                    new PostgresGlobalKvStore(ds, ThreadPoolMode.Stores.purchaseUrlPrefix(config)));
            LazyDiscord discord = new LazyDiscord(config, service.isPresent());
            closing.add(discord);
            Supplier<WorkerPool> pool = lazyPool(ctx, stores, ds, discord, closing);
            ShellServices services = new ShellServices(stores, ds, discord, pool, serviceDrop(service));
            ShellRepl.ShellFactory factory = (input, out) -> new FauxpasShell(services, input, out);
            java.io.Console console = System.console();
            if (console != null && console.isTerminal()) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    return ShellRepl.interactive(terminal, config.dataDir().resolve("fauxpas_history"), factory);
                }
            }
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            return ShellRepl.scripted(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, factory);
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                try {
                    closing.get(i).close();
                } catch (Exception e) {
                    LOG.warn("shell: closing {}: {}", closing.get(i), e.toString());
                }
            }
        }
    }

    /**
     * The shell's own thread pool, built on first use with the service's templates, plugins and limits (but no time
     * limit is lifted: templates run as in the service). Not started as a service starts it: no OnStartup broadcast,
     * no key expiry; tenant states load on first use.
     */
    private static Supplier<WorkerPool> lazyPool(AppContext ctx, TenantServices stores, DataSource ds, LazyDiscord discord,
            List<AutoCloseable> closing) {
        return new Supplier<>() {
            private WorkerPool pool;

            @Override
            public synchronized WorkerPool get() {
                if (pool == null) {
                    TenantLogBook logs = new TenantLogBook(new PostgresTemplateErrorStore(ds));
                    DiscordSetup setup = new DiscordSetup(discord, RestGuildState.withDefaults(discord), null);
                    ThreadPool threads = new ThreadPool(ThreadPoolMode.workerCount(ctx), ThreadPoolMode.workerConfig(ctx.config()),
                            stores, ThreadPoolMode.isolates(ctx, setup), logs, KhronosValue.Null.INSTANCE);
                    closing.add(() -> {
                        threads.kill();
                        logs.close();
                    });
                    pool = threads;
                }
                return pool;
            }
        };
    }

    /** Drops a guild's VM in the running service (it then re-reads the tenant's state), through its internal API. */
    private static Consumer<TenantId> serviceDrop(Optional<DataDirClaim.Running> service) {
        String api = service.map(DataDirClaim.Running::api).orElse(null);
        if (api == null) {
            return tenant -> { };
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return tenant -> {
            if (tenant.type() != TenantId.Type.GUILD) {
                return; // the service re-reads user tenants' states when their VMs are next built
            }
            String url = "http://" + api + "/i/regenerate-cache/" + tenant.idString();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    LOG.warn("the running service did not drop guild {}'s VM (POST {} answered {} {}); it keeps the old state"
                            + " until the VM is rebuilt", tenant.idString(), url, r.statusCode(), r.body());
                }
            } catch (java.io.IOException e) {
                LOG.warn("could not reach the running service at {} to drop guild {}'s VM: {}", api, tenant.idString(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** The shell's output is the REPL's: log lines go to stderr, and only warnings and errors. */
    private static void logToStderr() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return;
        }
        ch.qos.logback.classic.Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logback);
        encoder.setPattern("%-5level (%logger{0}) - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(logback);
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        root.addAppender(err);
        if (System.getenv("TW_LOG_LEVEL") == null) {
            root.setLevel(Level.WARN);
        }
    }

    /**
     * Discord for the shell, connected on first use: the configured Discord ({@code discord_auth.token}), else the
     * running service's mock Discord at {@code addrs.mock_discord}, else a mock Discord of the shell's own.
     */
    static final class LazyDiscord implements DiscordRest, AutoCloseable {
        private final AppConfig config;
        private final boolean serviceRunning;
        private DiscordRestClient client;
        private MockDiscord mock;

        LazyDiscord(AppConfig config, boolean serviceRunning) {
            this.config = config;
            this.serviceRunning = serviceRunning;
        }

        @Override
        public DiscordResponse execute(DiscordRequest request) {
            return client().execute(request);
        }

        private synchronized DiscordRestClient client() {
            if (client == null) {
                if (LocalDiscord.needed(config) && !serviceRunning) {
                    mock = LocalDiscord.start(config);
                    client = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()),
                            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
                } else {
                    client = (DiscordRestClient) DiscordSetup.forChild(config).rest();
                }
            }
            return client;
        }

        @Override
        public synchronized void close() {
            if (client != null) {
                client.close();
            }
            if (mock != null) {
                mock.close();
            }
        }
    }
}
