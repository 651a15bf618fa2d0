package io.templateworker.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole configuration, immutable once loaded. Sections and keys match {@code config.yaml}; see
 * README.md for the table of keys, defaults and environment variables.
 *
 * @param source   where it came from: the config file path, or "local mode (no config file)"
 * @param localMode true when no config file was found: embedded PostgreSQL, local object storage
 * @param dataDir  root of everything the service writes locally (embedded PostgreSQL, local objects)
 */
public record AppConfig(String source, boolean localMode, Path dataDir, DiscordAuth discordAuth, Meta meta, Sites sites,
                        Servers servers, ObjectStorage objectStorage, Addrs addrs, Database database, Limits limits,
                        Workers workers, Templates templates, Api api, Discord discord) {

    /** {@code discord_auth}: the bot's credentials and who counts as staff. */
    public record DiscordAuth(String token, String clientId, String clientSecret, List<String> rootUsers,
                              List<String> allowedRedirects) {
    }

    /** {@code meta}: URLs of the services around us. Null means not configured. */
    public record Meta(String postgresUrl, String proxy, String supportServerInvite, String sandwichHttpApi,
                       String defaultErrorChannel) {
    }

    /** {@code sites}: public URLs exposed to templates by {@code Runtime:links()}. */
    public record Sites(String api, String frontend, String docs) {
    }

    /** {@code servers}: the main (support) guild id. */
    public record Servers(String main) {
    }

    /** {@code object_storage}: {@code local} (files under {@code base_path}) or {@code s3-like}. */
    public record ObjectStorage(Type type, Path basePath, String endpoint, boolean secure, String cdnEndpoint,
                                boolean cdnSecure, String accessKey, String secretKey) {

        public enum Type {
            LOCAL("local"), S3_LIKE("s3-like");

            private final String configName;

            Type(String configName) {
                this.configName = configName;
            }

            public String configName() {
                return configName;
            }
        }
    }

    /**
     * {@code addrs}: where the HTTP API and the Mesophyll server listen, and where the mock Discord listens in local
     * mode (no {@code discord_auth.token}) and with {@code --worker-type mockdiscord}.
     */
    public record Addrs(HostPort templateWorker, HostPort mesophyllServer, HostPort mockDiscord) {
    }

    /**
     * {@code database}: {@code embedded} (PostgreSQL under {@code <data_dir>/postgres}) or an external server.
     *
     * @param url the external server's URL, or null when embedded
     */
    public record Database(Type type, String url) {

        public enum Type { EMBEDDED, URL }
    }

    /**
     * {@code limits}: per-tenant limits, upstream's values by default (UPSTREAM.md §2.8).
     *
     * @param vmMemoryBytes      heap budget of one tenant VM
     * @param executionSliceMs   time a script may run before it must yield
     * @param giveTimeMs         extra time granted after a scheduler resume
     * @param templateWaitMs     how long the template loop waits for every template of one event
     * @param kvKeyMaxBytes      longest KV key or find query
     * @param kvValueMaxBytes    largest KV value, as its JSON serialization
     * @param objectMaxBytes     largest object upload
     * @param maxVms             most tenant VMs one worker keeps (0 = no cap)
     * @param vmIdleEvictSeconds a VM idle this long is dropped (0 = never)
     */
    public record Limits(long vmMemoryBytes, long executionSliceMs, long giveTimeMs, long templateWaitMs, int kvKeyMaxBytes,
                         int kvValueMaxBytes, int objectMaxBytes, int maxVms, long vmIdleEvictSeconds) {
    }

    /**
     * {@code templates}: folders templates can {@code require} beyond their own files (each a path; null or
     * empty when not set).
     *
     * @param libraries       read-only folders overlaid beneath every template's files, with their {@code .luaurc}
     *                        aliases (e.g. a templating-types checkout)
     * @param builtins        a folder laid out like upstream's builtins; when set every tenant runs its
     *                        {@code ./builtins.templateloop} first, with capabilities {@code *}
     * @param builtinsPatches a folder overlaid on the builtins
     */
    public record Templates(List<Path> libraries, Path builtins, Path builtinsPatches) {
    }

    /**
     * {@code workers}: how workers and worker processes are run (beyond upstream, which hard-coded these).
     *
     * @param queuedPerTenant      events waiting for one tenant before new ones are refused
     * @param heartbeatIntervalMs  Mesophyll heartbeat interval the master sends in Hello
     * @param missedHeartbeats     heartbeats a child may miss before it is replaced
     * @param warmStandby          keep a warmed-up spare child per worker process (fast takeover after a crash)
     * @param queuedWhileDown      events held for a worker process while it restarts
     * @param inFlightPerProcess   calls sent to one worker process and not yet answered, beyond which new ones are refused
     * @param respawnBackoffMs     wait after a failed child start, times min(failures, 5)
     * @param respawnMaxFailures   consecutive failed starts before a worker process gives up
     * @param childJvmOptions      JVM options added to worker processes' own (space-separated, e.g. a heap size or
     *                             another collector), empty for none
     */
    public record Workers(int queuedPerTenant, long heartbeatIntervalMs, int missedHeartbeats, boolean warmStandby,
                          int queuedWhileDown, int inFlightPerProcess, long respawnBackoffMs, int respawnMaxFailures,
                          String childJvmOptions) {
    }

    /**
     * {@code api}: how the HTTP API treats callers.
     *
     * @param loopbackRoot requests from this machine without a token act as a root user (default: true in local mode,
     *                     false with a config file); false enforces authentication exactly as in production
     * @param maxBodyBytes largest request body accepted; larger ones get 413
     */
    public record Api(boolean loopbackRoot, long maxBodyBytes) {
    }

    /**
     * {@code discord}: how the service reads Discord's gateway.
     *
     * @param intents    gateway intents to identify with (upstream's 20031103 by default, MESSAGE_CONTENT included)
     * @param shards     total shard count, or null for the worker count; must be a multiple of the worker count so a
     *                   guild's shard always belongs to the worker that owns the guild
     * @param zlibStream ask Discord for zlib-stream transport compression
     */
    public record Discord(int intents, Integer shards, boolean zlibStream) {

        /** The shard count for {@code workers} workers: the configured one (checked) or the worker count. */
        public int shardsFor(int workers) {
            if (shards == null) {
                return workers;
            }
            if (shards % workers != 0) {
                throw new ConfigException("discord.shards: " + shards + " is not a multiple of the worker count " + workers
                        + " (--process-workers); a guild's shard must belong to the worker that owns the guild, so use "
                        + workers + ", " + (2 * workers) + ", " + (3 * workers) + ", …");
            }
            return shards;
        }
    }
}
