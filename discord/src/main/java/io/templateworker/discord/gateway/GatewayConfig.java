package io.templateworker.discord.gateway;

import java.time.Duration;
import java.util.List;

/**
 * How this process reads Discord's gateway.
 *
 * @param token               the bot token (identify and resume)
 * @param intents             the gateway intents to identify with (config {@code discord.intents})
 * @param shardCount          the total number of shards (config {@code discord.shards})
 * @param shardIds            the shards this process reads
 * @param zlibStream          ask for {@code compress=zlib-stream} transport compression
 * @param identifyWindow      one identify per {@code max_concurrency} bucket per window (Discord: 5 s)
 * @param reconnectBackoff    wait before the second reconnect attempt in a row (the first is immediate), doubled per
 *                            failure up to {@code maxReconnectBackoff}
 * @param maxReconnectBackoff longest wait between reconnect attempts
 * @param invalidSessionDelay after Invalid Session, wait a random time between this and twice it (Discord: 1–5 s)
 * @param connectTimeout      WebSocket handshake timeout
 */
public record GatewayConfig(String token, int intents, int shardCount, List<Integer> shardIds, boolean zlibStream,
                            Duration identifyWindow, Duration reconnectBackoff, Duration maxReconnectBackoff,
                            Duration invalidSessionDelay, Duration connectTimeout) {

    /** Upstream's intents: guilds, members, moderation, expressions, integrations, webhooks, invites, messages, reactions, message content, scheduled events, auto-moderation, polls. */
    public static final int DEFAULT_INTENTS = 20031103;

    public GatewayConfig {
        shardIds = List.copyOf(shardIds);
        if (shardCount < 1) {
            throw new IllegalArgumentException("the shard count must be at least 1, got " + shardCount);
        }
        for (int id : shardIds) {
            if (id < 0 || id >= shardCount) {
                throw new IllegalArgumentException("shard " + id + " does not exist with " + shardCount + " shards");
            }
        }
    }

    /** Discord's timings; every shard of {@code shardCount} is read here unless {@link #withShards} says otherwise. */
    public static GatewayConfig defaults(String token, int intents, int shardCount) {
        List<Integer> all = java.util.stream.IntStream.range(0, shardCount).boxed().toList();
        return new GatewayConfig(token, intents, shardCount, all, false, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public GatewayConfig withShards(List<Integer> ids) {
        return new GatewayConfig(token, intents, shardCount, ids, zlibStream, identifyWindow, reconnectBackoff, maxReconnectBackoff,
                invalidSessionDelay, connectTimeout);
    }

    public GatewayConfig withZlibStream(boolean on) {
        return new GatewayConfig(token, intents, shardCount, shardIds, on, identifyWindow, reconnectBackoff, maxReconnectBackoff,
                invalidSessionDelay, connectTimeout);
    }

    /** Shorter waits, for tests against the mock. */
    public GatewayConfig withTimings(Duration identify, Duration backoff, Duration maxBackoff, Duration invalidSession) {
        return new GatewayConfig(token, intents, shardCount, shardIds, zlibStream, identify, backoff, maxBackoff, invalidSession,
                connectTimeout);
    }
}
