package io.templateworker.discord.rest;

import java.time.Duration;

/**
 * How the REST client talks to Discord.
 *
 * @param apiBase             {@code https://discord.com/api/v10}, a proxy's {@code …/api/v10}, or the mock's
 * @param token               the bot token (sent as {@code Authorization: Bot <token>})
 * @param connectTimeout      TCP/TLS connect timeout
 * @param requestTimeout      time for one request to be answered
 * @param maxRetries          retries of an idempotent request after a network error or a 5xx (and of any request
 *                            after a 429)
 * @param retryBackoff        first retry delay, doubled each time
 * @param maxRateLimitWait    longest a request waits for a bucket or the global limit before it fails
 * @param globalPerSecond     requests per second this bot may send in all (Discord: 50)
 * @param invalidRequestLimit 401/403/429 answers within 10 minutes after which requests are refused locally
 *                            (Discord bans the IP at 10,000)
 */
public record DiscordRestConfig(String apiBase, String token, Duration connectTimeout, Duration requestTimeout, int maxRetries,
                                Duration retryBackoff, Duration maxRateLimitWait, int globalPerSecond, int invalidRequestLimit) {

    public static final String DISCORD_API = "https://discord.com/api/v10";

    /** Discord's own API with sensible timeouts and limits. */
    public static DiscordRestConfig defaults(String apiBase, String token) {
        return new DiscordRestConfig(apiBase, token, Duration.ofSeconds(10), Duration.ofSeconds(30), 3, Duration.ofMillis(500),
                Duration.ofSeconds(60), 50, 5000);
    }

    /** {@code meta.proxy} (a nirn-style proxy: Discord's paths under its base URL), else Discord itself. */
    public static String apiBaseFor(String proxy) {
        if (proxy == null || proxy.isBlank()) {
            return DISCORD_API;
        }
        String base = proxy.endsWith("/") ? proxy.substring(0, proxy.length() - 1) : proxy;
        return base.endsWith("/api/v10") ? base : base + "/api/v10";
    }

    public DiscordRestConfig withRetries(int retries, Duration backoff) {
        return new DiscordRestConfig(apiBase, token, connectTimeout, requestTimeout, retries, backoff, maxRateLimitWait,
                globalPerSecond, invalidRequestLimit);
    }

    public DiscordRestConfig withGlobalPerSecond(int perSecond) {
        return new DiscordRestConfig(apiBase, token, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxRateLimitWait,
                perSecond, invalidRequestLimit);
    }

    public DiscordRestConfig withInvalidRequestLimit(int limit) {
        return new DiscordRestConfig(apiBase, token, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxRateLimitWait,
                globalPerSecond, limit);
    }

    public DiscordRestConfig withMaxRateLimitWait(Duration wait) {
        return new DiscordRestConfig(apiBase, token, connectTimeout, requestTimeout, maxRetries, retryBackoff, wait,
                globalPerSecond, invalidRequestLimit);
    }

    public DiscordRestConfig withRequestTimeout(Duration timeout) {
        return new DiscordRestConfig(apiBase, token, connectTimeout, timeout, maxRetries, retryBackoff, maxRateLimitWait,
                globalPerSecond, invalidRequestLimit);
    }
}
