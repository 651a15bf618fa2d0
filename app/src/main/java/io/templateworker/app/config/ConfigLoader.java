package io.templateworker.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.templateworker.app.config.AppConfig.Addrs;
import io.templateworker.app.config.AppConfig.Database;
import io.templateworker.app.config.AppConfig.DiscordAuth;
import io.templateworker.app.config.AppConfig.Limits;
import io.templateworker.app.config.AppConfig.Meta;
import io.templateworker.app.config.AppConfig.ObjectStorage;
import io.templateworker.app.config.AppConfig.Servers;
import io.templateworker.app.config.AppConfig.Sites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code config.yaml}, applies {@code TW_<SECTION>_<KEY>} environment overrides, fills defaults and
 * validates. Unknown sections and keys are errors (a typo should not silently fall back to a default).
 *
 * <p>Precedence, highest first: command-line flag ({@code --data-dir}), environment variable, file, default.
 */
public final class ConfigLoader {

    /** The file looked for in the working directory when {@code --config} is not given. */
    public static final String DEFAULT_FILE = "config.yaml";
    public static final String ENV_PREFIX = "TW_";

    /** Every section and its keys, in documentation order. */
    public static final Map<String, List<String>> KEYS = keys();

    private static Map<String, List<String>> keys() {
        Map<String, List<String>> k = new LinkedHashMap<>();
        k.put("discord_auth", List.of("token", "client_id", "client_secret", "root_users", "allowed_redirects"));
        k.put("meta", List.of("postgres_url", "proxy", "support_server_invite", "sandwich_http_api", "default_error_channel"));
        k.put("sites", List.of("api", "frontend", "docs"));
        k.put("servers", List.of("main"));
        k.put("object_storage", List.of("type", "base_path", "endpoint", "secure", "cdn_endpoint", "cdn_secure", "access_key",
                "secret_key"));
        k.put("addrs", List.of("template_worker", "mesophyll_server", "mock_discord"));
        k.put("database", List.of("type", "url"));
        k.put("limits", List.of("vm_memory_bytes", "execution_slice_ms", "give_time_ms", "template_wait_ms", "kv_key_max_bytes",
                "kv_value_max_bytes", "object_max_bytes", "max_vms", "vm_idle_evict_seconds"));
        k.put("workers", List.of("queued_per_tenant", "heartbeat_interval_ms", "missed_heartbeats", "warm_standby",
                "queued_while_down", "in_flight_per_process", "respawn_backoff_ms", "respawn_max_failures", "child_jvm_options"));
        k.put("templates", List.of("libraries", "builtins", "builtins_patches"));
        k.put("api", List.of("loopback_root", "max_body_bytes"));
        k.put("discord", List.of("intents", "shards", "zlib_stream"));
        return Collections.unmodifiableMap(k);
    }

    private static final String DATA_DIR = "data_dir";
    /** Upstream's gateway intents (guilds, members, moderation, messages, reactions, message content, …). */
    static final long DEFAULT_INTENTS = 20031103;
    /** Every intent bit Discord defines (0-16, 20, 21, 24, 25). */
    private static final long KNOWN_INTENTS = 0x1FFFF | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

    /**
     * {@code TW_} variables that are not configuration: the launchers' own ({@code bin/template-worker},
     * {@code bin/luau}, {@code bin/bench}). Any other {@code TW_} variable must name a known section and key.
     */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("TW_JAVA_OPTS", "TW_LUAU_AOT", "TW_LUAU_JAVA_OPTS",
            "TW_BENCH_JAVA_OPTS", io.templateworker.worker.process.ChildLauncher.STANDBY_ENV);

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param configFile  the {@code --config} path, or null to look for {@value #DEFAULT_FILE} in {@code workingDir}
     * @param dataDirFlag the {@code --data-dir} path, or null
     * @param env         the environment (normally {@code System.getenv()})
     * @param workingDir  where relative paths and the default config file are resolved
     * @throws ConfigException naming the key, the value and what is expected
     */
    public static AppConfig load(Path configFile, Path dataDirFlag, Map<String, String> env, Path workingDir) {
        Path file = configFile;
        if (file != null) {
            file = workingDir.resolve(file);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " (given with --config) does not exist or is not a file;"
                        + " fix the path, or leave --config out to run in local mode");
            }
        } else if (Files.isRegularFile(workingDir.resolve(DEFAULT_FILE))) {
            file = workingDir.resolve(DEFAULT_FILE);
        }
        ObjectNode root = file == null ? JsonNodeFactory.instance.objectNode() : readYaml(file);
        applyEnv(root, env);
        return bind(root, file, dataDirFlag, workingDir);
    }

    private static ObjectNode readYaml(Path file) {
        JsonNode node;
        try {
            node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new ConfigException("config file " + file + " must be a YAML mapping of sections (discord_auth:, meta:, ...),"
                    + " found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return obj;
    }

    /**
     * Puts every {@code TW_<SECTION>_<KEY>} variable into the tree, as a string. A {@code TW_} variable that names no
     * known section and key stops the start like an unknown key in the file does (a typo must not fall back to a
     * default silently); the launchers' own variables ({@link #LAUNCHER_VARIABLES}) are skipped.
     */
    static void applyEnv(ObjectNode root, Map<String, String> env) {
        Map<String, String> sorted = new TreeMap<>(env);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String var = e.getKey();
            if (!var.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(var)) {
                continue;
            }
            String name = var.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (name.equals(DATA_DIR)) {
                root.put(DATA_DIR, e.getValue());
                continue;
            }
            String section = null;
            for (String candidate : KEYS.keySet()) {
                // The longest matching section wins (none is a prefix of another today, but be exact).
                if (name.startsWith(candidate + "_") && (section == null || candidate.length() > section.length())) {
                    section = candidate;
                }
            }
            if (section == null) {
                throw new ConfigException("environment variable " + var + " names no config section (known: "
                        + String.join(", ", KEYS.keySet()) + "; TW_DATA_DIR for data_dir; the launchers' own: "
                        + String.join(", ", new java.util.TreeSet<>(LAUNCHER_VARIABLES)) + "); unset it or fix the name");
            }
            String key = name.substring(section.length() + 1);
            if (!KEYS.get(section).contains(key)) {
                throw new ConfigException("environment variable " + var + ": section " + section + " has no key '" + key
                        + "' (known keys: " + String.join(", ", KEYS.get(section)) + ")");
            }
            JsonNode existing = root.get(section);
            ObjectNode target = existing instanceof ObjectNode o ? o : root.putObject(section);
            target.put(key, e.getValue());
        }
    }

    private static AppConfig bind(ObjectNode root, Path file, Path dataDirFlag, Path workingDir) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals(DATA_DIR) && !KEYS.containsKey(name)) {
                throw new ConfigException("unknown config section '" + name + "' (known: " + DATA_DIR + ", "
                        + String.join(", ", KEYS.keySet()) + ")");
            }
        }
        Path dataDir;
        if (dataDirFlag != null) {
            dataDir = workingDir.resolve(dataDirFlag);
        } else {
            JsonNode d = root.get(DATA_DIR);
            if (d != null && !d.isValueNode()) {
                throw new ConfigException(DATA_DIR + ": expected a directory path, got " + d);
            }
            dataDir = workingDir.resolve(d == null || d.asText().isBlank() ? "data" : d.asText());
        }
        dataDir = dataDir.normalize();

        Section auth = new Section(root, "discord_auth");
        DiscordAuth discordAuth = new DiscordAuth(auth.string("token", null), auth.snowflake("client_id"),
                auth.string("client_secret", null), auth.snowflakes("root_users"), auth.list("allowed_redirects"));

        Section m = new Section(root, "meta");
        Meta meta = new Meta(m.string("postgres_url", null), m.url("proxy"), m.url("support_server_invite"),
                m.url("sandwich_http_api"), m.snowflake("default_error_channel"));

        Section s = new Section(root, "sites");
        Sites sites = new Sites(s.url("api"), s.url("frontend"), s.url("docs"));

        Section sv = new Section(root, "servers");
        Servers servers = new Servers(sv.snowflake("main"));

        Section os = new Section(root, "object_storage");
        ObjectStorage.Type osType = os.oneOf("type", ObjectStorage.Type.LOCAL, ObjectStorage.Type.values());
        String basePath = os.string("base_path", null);
        ObjectStorage objectStorage = new ObjectStorage(osType,
                basePath == null ? dataDir.resolve("objects") : workingDir.resolve(basePath).normalize(),
                os.string("endpoint", null), os.bool("secure", true), os.string("cdn_endpoint", null), os.bool("cdn_secure", true),
                os.string("access_key", null), os.string("secret_key", null));
        if (osType == ObjectStorage.Type.S3_LIKE) {
            os.require("endpoint", objectStorage.endpoint(), "object_storage.type is s3-like");
            os.require("access_key", objectStorage.accessKey(), "object_storage.type is s3-like");
            os.require("secret_key", objectStorage.secretKey(), "object_storage.type is s3-like");
        }

        Section a = new Section(root, "addrs");
        Addrs addrs = new Addrs(a.hostPort("template_worker", "127.0.0.1:60000"), a.hostPort("mesophyll_server", "127.0.0.1:30000"),
                a.hostPort("mock_discord", "127.0.0.1:60002"));

        Section db = new Section(root, "database");
        String dbUrl = db.string("url", null);
        if (dbUrl == null) {
            dbUrl = meta.postgresUrl();
        }
        Database.Type dbType = db.oneOf("type", dbUrl == null ? Database.Type.EMBEDDED : Database.Type.URL, Database.Type.values());
        if (dbType == Database.Type.URL && dbUrl == null) {
            throw new ConfigException("database.type: 'url' needs database.url (or meta.postgres_url), e.g."
                    + " postgres://user:password@localhost:5432/antiraid; set it or use database.type: embedded");
        }
        if (dbUrl != null && !(dbUrl.startsWith("postgres://") || dbUrl.startsWith("postgresql://") || dbUrl.startsWith("jdbc:postgresql:"))) {
            throw new ConfigException("database.url: '" + dbUrl.replaceAll("://[^@/]*@", "://***@")
                    + "' is not a PostgreSQL URL (expected postgres://user:password@host:port/database)");
        }
        Database database = new Database(dbType, dbType == Database.Type.URL ? dbUrl : null);

        Section l = new Section(root, "limits");
        Limits limits = new Limits(
                l.positiveLong("vm_memory_bytes", 20L * 1024 * 1024),
                l.positiveLong("execution_slice_ms", 10_000),
                l.positiveLong("give_time_ms", 1_000),
                l.positiveLong("template_wait_ms", 5_000),
                (int) l.positiveLong("kv_key_max_bytes", 512),
                (int) l.positiveLong("kv_value_max_bytes", 256 * 1024),
                (int) l.positiveLong("object_max_bytes", 512 * 1024),
                (int) l.nonNegativeLong("max_vms", 5_000),
                l.nonNegativeLong("vm_idle_evict_seconds", 600));

        Section w = new Section(root, "workers");
        AppConfig.Workers workers = new AppConfig.Workers(
                (int) w.positiveLong("queued_per_tenant", 10_000),
                w.positiveLong("heartbeat_interval_ms", 5_000),
                (int) w.positiveLong("missed_heartbeats", 3),
                w.bool("warm_standby", true),
                (int) w.positiveLong("queued_while_down", 10_000),
                (int) w.positiveLong("in_flight_per_process", 10_000),
                w.nonNegativeLong("respawn_backoff_ms", 3_000),
                (int) w.positiveLong("respawn_max_failures", 10),
                w.string("child_jvm_options", io.templateworker.worker.process.ChildLauncher.DEFAULT_EXTRA_JVM_OPTIONS));

        Section t = new Section(root, "templates");
        List<Path> libraries = new ArrayList<>();
        for (String lib : t.list("libraries")) {
            libraries.add(t.folder("libraries", workingDir, lib));
        }
        String builtinsDir = t.string("builtins", null);
        String patchesDir = t.string("builtins_patches", null);
        Path builtins = builtinsDir == null ? null : t.folder("builtins", workingDir, builtinsDir);
        Path patches = patchesDir == null ? null : t.folder("builtins_patches", workingDir, patchesDir);
        if (builtins != null && !Files.isRegularFile(builtins.resolve("builtins.templateloop.luau"))
                && (patches == null || !Files.isRegularFile(patches.resolve("builtins.templateloop.luau")))) {
            throw new ConfigException("templates.builtins: '" + builtins + "' has no builtins.templateloop.luau (expected a folder"
                    + " laid out like Anti-Raid/builtins)");
        }
        AppConfig.Templates templates = new AppConfig.Templates(List.copyOf(libraries), builtins, patches);

        Section ap = new Section(root, "api");
        AppConfig.Api api = new AppConfig.Api(ap.bool("loopback_root", file == null),
                ap.positiveLong("max_body_bytes", 2L * 1024 * 1024));

        Section dc = new Section(root, "discord");
        long intents = dc.nonNegativeLong("intents", DEFAULT_INTENTS);
        if ((intents & ~KNOWN_INTENTS) != 0) {
            throw new ConfigException("discord.intents: " + intents + " sets bits Discord does not define (" + (intents & ~KNOWN_INTENTS)
                    + "); the intents are bits 0-16, 20, 21, 24 and 25 (default " + DEFAULT_INTENTS + ")");
        }
        Integer shards = dc.string("shards", null) == null ? null : (int) Math.min(Integer.MAX_VALUE, dc.positiveLong("shards", 1));
        AppConfig.Discord discord = new AppConfig.Discord((int) intents, shards, dc.bool("zlib_stream", true));

        String source = file == null ? "local mode (no " + DEFAULT_FILE + ")" : file.toString();
        return new AppConfig(source, file == null, dataDir, discordAuth, meta, sites, servers, objectStorage, addrs, database, limits,
                workers, templates, api, discord);
    }

    /** Typed, validated reads of one section; every error names {@code section.key}. */
    private static final class Section {
        private final String name;
        private final ObjectNode node;

        Section(ObjectNode root, String name) {
            this.name = name;
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                this.node = JsonNodeFactory.instance.objectNode();
            } else if (n instanceof ObjectNode o) {
                this.node = o;
            } else {
                throw new ConfigException(name + ": expected a mapping of keys (" + String.join(", ", KEYS.get(name)) + "), got '"
                        + n.asText() + "'");
            }
            Set<String> known = Set.copyOf(KEYS.get(name));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    throw new ConfigException("unknown config key " + name + "." + key + " (known keys of " + name + ": "
                            + String.join(", ", KEYS.get(name)) + ")");
                }
            }
        }

        private String where(String key) {
            return name + "." + key;
        }

        private JsonNode scalar(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                throw new ConfigException(where(key) + ": expected a single value, got " + v);
            }
            return v;
        }

        String string(String key, String def) {
            JsonNode v = scalar(key);
            return v == null || v.asText().isEmpty() ? def : v.asText();
        }

        boolean bool(String key, boolean def) {
            JsonNode v = scalar(key);
            if (v == null) {
                return def;
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            String t = v.asText().trim().toLowerCase(Locale.ROOT);
            if (t.equals("true")) {
                return true;
            }
            if (t.equals("false")) {
                return false;
            }
            throw new ConfigException(where(key) + ": '" + v.asText() + "' is not a boolean (expected true or false)");
        }

        long positiveLong(String key, long def) {
            long v = number(key, def);
            if (v <= 0) {
                throw new ConfigException(where(key) + ": " + v + " must be greater than 0");
            }
            return v;
        }

        long nonNegativeLong(String key, long def) {
            long v = number(key, def);
            if (v < 0) {
                throw new ConfigException(where(key) + ": " + v + " must be 0 or more");
            }
            return v;
        }

        private long number(String key, long def) {
            JsonNode v = scalar(key);
            if (v == null) {
                return def;
            }
            if (v.canConvertToLong() && v.isIntegralNumber()) {
                return v.longValue();
            }
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v.asText() + "' is not a whole number (default " + def + ")");
            }
        }

        String snowflake(String key) {
            String v = string(key, null);
            if (v != null && !isSnowflake(v)) {
                throw new ConfigException(where(key) + ": '" + v + "' is not a Discord id (expected digits only, e.g. 1064135068928454766)");
            }
            return v;
        }

        List<String> snowflakes(String key) {
            List<String> ids = list(key);
            for (String id : ids) {
                if (!isSnowflake(id)) {
                    throw new ConfigException(where(key) + ": '" + id + "' is not a Discord id (expected a list of digit strings)");
                }
            }
            return ids;
        }

        List<String> list(String key) {
            JsonNode v = node.get(key);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isValueNode()) {
                        throw new ConfigException(where(key) + ": list items must be single values, got " + item);
                    }
                    out.add(item.asText());
                }
            } else if (v.isValueNode()) {
                // Environment variables give lists comma-separated.
                for (String part : v.asText().split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            } else {
                throw new ConfigException(where(key) + ": expected a list, got " + v);
            }
            return List.copyOf(out);
        }

        /** A folder that must exist, resolved against the working directory. */
        Path folder(String key, Path workingDir, String value) {
            Path p = workingDir.resolve(value).normalize();
            if (!Files.isDirectory(p)) {
                throw new ConfigException(where(key) + ": '" + value + "' is not a folder (resolved to " + p + ")");
            }
            return p;
        }

        String url(String key) {
            String v = string(key, null);
            if (v != null && !(v.startsWith("http://") || v.startsWith("https://"))) {
                throw new ConfigException(where(key) + ": '" + v + "' is not an http(s) URL (expected e.g. http://localhost:3221)");
            }
            return v;
        }

        HostPort hostPort(String key, String def) {
            return HostPort.parse(where(key), string(key, def));
        }

        <E extends Enum<E>> E oneOf(String key, E def, E[] values) {
            String v = string(key, null);
            if (v == null) {
                return def;
            }
            List<String> names = new ArrayList<>();
            for (E e : values) {
                String n = e instanceof ObjectStorage.Type t ? t.configName() : e.name().toLowerCase(Locale.ROOT);
                if (n.equals(v.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
                names.add(n);
            }
            throw new ConfigException(where(key) + ": '" + v + "' is not one of " + String.join(", ", names));
        }

        void require(String key, String value, String because) {
            if (value == null || value.isBlank()) {
                throw new ConfigException(where(key) + " is required because " + because);
            }
        }

        private static boolean isSnowflake(String v) {
            if (v.isEmpty() || v.length() > 20) {
                return false;
            }
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
