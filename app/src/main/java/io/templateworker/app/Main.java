package io.templateworker.app;

import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigException;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.app.modes.MigrateMode;
import io.templateworker.app.modes.MockDiscordMode;
import io.templateworker.app.modes.Mode;
import io.templateworker.app.modes.ProcessPoolMode;
import io.templateworker.app.modes.ProcessPoolWorkerMode;
import io.templateworker.app.modes.RegisterMode;
import io.templateworker.app.modes.ShellMode;
import io.templateworker.app.modes.ThreadPoolMode;
import io.templateworker.storage.db.DatabaseException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code template-worker} command line. */
@Command(name = "template-worker", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {
            "Runs Luau templates for Discord guilds.",
            "Without a config file (./config.yaml or --config) it starts in local mode: embedded PostgreSQL and local",
            "object storage under the data directory, HTTP API on 127.0.0.1:60000. Stop it with Ctrl-C or SIGTERM."})
public final class Main implements Callable<Integer> {

    @Option(names = "--worker-type", paramLabel = "TYPE", converter = WorkerType.Converter.class,
            description = "threadpool (thread-pool), processpool (process-pool), processpoolworker (process-pool-worker),"
                    + " shell (fauxpas), migrate (apply-migration), register (register-commands),"
                    + " mockdiscord (mock-discord: only the mock Discord, at addrs.mock_discord)."
                    + " Default: threadpool in local mode, processpool with a config file.")
    WorkerType workerType;

    @Option(names = "--max-db-connections", paramLabel = "N", defaultValue = "7",
            description = "PostgreSQL connection pool size (default: ${DEFAULT-VALUE}).")
    int maxDbConnections;

    @Option(names = "--process-workers", paramLabel = "N", description = "Total number of workers (shards).")
    Integer processWorkers;

    @Option(names = "--worker-id", paramLabel = "ID", description = "This child's worker id; only with processpoolworker.")
    Integer workerId;

    @Option(names = "--worker-debug", description = "Expose the _debug(...) pretty-printer in every template VM.")
    boolean workerDebug;

    @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: ./config.yaml if it exists).")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "PATH",
            description = "Where local data lives: embedded PostgreSQL, local objects (default: ./data).")
    Path dataDir;

    private final Map<String, String> env;
    private final Path workingDir;

    Main(Map<String, String> env, Path workingDir) {
        this.env = env;
        this.workingDir = workingDir;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), Path.of("").toAbsolutePath()));
    }

    /** Runs the command and returns its exit code (tests call this instead of {@link #main}). */
    static int run(String[] args, Map<String, String> env, Path workingDir) {
        return new CommandLine(new Main(env, workingDir)).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        String problem = checkFlags();
        if (problem != null) {
            System.err.println("template-worker: " + problem + " (see --help)");
            return 2;
        }
        AppConfig config;
        try {
            config = ConfigLoader.load(configFile, dataDir, env, workingDir);
        } catch (ConfigException e) {
            System.err.println("template-worker: configuration error: " + e.getMessage());
            return 1;
        }
        WorkerType type = workerType != null ? workerType : config.localMode() ? WorkerType.THREADPOOL : WorkerType.PROCESSPOOL;
        CliOptions options = new CliOptions(type, maxDbConnections, processWorkers, workerId, workerDebug, configFile, dataDir);
        AppContext ctx = new AppContext(options, config, ManagementFactory.getRuntimeMXBean().getStartTime(), version());
        try {
            return modeFor(type).run(ctx);
        } catch (DatabaseException e) {
            System.err.println("template-worker: " + e.getMessage());
            return 1;
        }
    }

    /** Combinations upstream treats as fatal, checked before anything starts. */
    private String checkFlags() {
        if (maxDbConnections < 1) {
            return "--max-db-connections must be at least 1, got " + maxDbConnections;
        }
        if (processWorkers != null && processWorkers < 1) {
            return "--process-workers must be at least 1, got " + processWorkers;
        }
        if (workerId != null && workerType != WorkerType.PROCESSPOOLWORKER) {
            return "--worker-id is only valid with --worker-type processpoolworker";
        }
        if (workerType == WorkerType.PROCESSPOOLWORKER) {
            if (workerId == null || processWorkers == null) {
                return "--worker-type processpoolworker needs --worker-id and --process-workers";
            }
            if (workerId < 0 || workerId >= processWorkers) {
                return "--worker-id must be between 0 and --process-workers - 1 (" + (processWorkers - 1) + "), got " + workerId;
            }
        }
        return null;
    }

    static Mode modeFor(WorkerType type) {
        return switch (type) {
            case THREADPOOL -> new ThreadPoolMode();
            case PROCESSPOOL -> new ProcessPoolMode();
            case PROCESSPOOLWORKER -> new ProcessPoolWorkerMode();
            case SHELL -> new ShellMode();
            case MIGRATE -> new MigrateMode();
            case REGISTER -> new RegisterMode();
            case MOCKDISCORD -> new MockDiscordMode();
        };
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** {@code --version}: the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"template-worker " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
