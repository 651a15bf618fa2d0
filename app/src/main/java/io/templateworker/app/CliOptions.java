package io.templateworker.app;

import java.nio.file.Path;

/**
 * The parsed command line.
 *
 * @param workerType       the mode to run
 * @param maxDbConnections PostgreSQL pool size ({@code --max-db-connections}, default 7)
 * @param processWorkers   total workers ({@code --process-workers}); null when not given
 * @param workerId         this child's worker id ({@code --worker-id}, processpoolworker only); null when not given
 * @param workerDebug      expose {@code _debug(...)} in every VM ({@code --worker-debug})
 * @param configFile       {@code --config}, or null for ./config.yaml if it exists (else local mode)
 * @param dataDir          {@code --data-dir}, or null for the configured or default data directory
 */
public record CliOptions(WorkerType workerType, int maxDbConnections, Integer processWorkers, Integer workerId,
                         boolean workerDebug, Path configFile, Path dataDir) {
}
