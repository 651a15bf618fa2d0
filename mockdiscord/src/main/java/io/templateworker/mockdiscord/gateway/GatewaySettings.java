package io.templateworker.mockdiscord.gateway;

import java.time.Duration;

/**
 * How the mock gateway behaves; tests change it through {@link MockGateway#settings} or {@code PUT /__mock/gateway}.
 *
 * @param heartbeatInterval    what Hello tells clients (Discord: 41.25 s)
 * @param ackHeartbeats        false makes the connection a "zombie": heartbeats are received but never acknowledged
 * @param maxConcurrency       identify buckets ({@code shard_id % max_concurrency}); one identify per bucket per window
 * @param identifyWindow       Discord: 5 s
 * @param sessionTimeout       how long a session without a connection can still be resumed (Discord: a few minutes)
 * @param replayLimit          dispatches kept per session for resuming; a resume from further back is refused
 * @param privilegedIntents    the privileged intents "enabled in the Developer Portal" (others are closed with 4014)
 */
public record GatewaySettings(Duration heartbeatInterval, boolean ackHeartbeats, int maxConcurrency, Duration identifyWindow,
                              Duration sessionTimeout, int replayLimit, int privilegedIntents) {

    public GatewaySettings {
        if (heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat_interval_ms must be at least 1");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max_concurrency must be at least 1");
        }
        if (replayLimit < 1) {
            throw new IllegalArgumentException("replay_limit must be at least 1");
        }
    }

    /** Discord's timings, 16 identify buckets (so a test's shards start together), every privileged intent enabled. */
    public static GatewaySettings defaults() {
        return new GatewaySettings(Duration.ofMillis(41_250), true, 16, Duration.ofSeconds(5), Duration.ofMinutes(3), 10_000,
                GatewayIntents.PRIVILEGED);
    }

    public GatewaySettings withHeartbeatInterval(Duration interval) {
        return new GatewaySettings(interval, ackHeartbeats, maxConcurrency, identifyWindow, sessionTimeout, replayLimit, privilegedIntents);
    }

    public GatewaySettings withAckHeartbeats(boolean ack) {
        return new GatewaySettings(heartbeatInterval, ack, maxConcurrency, identifyWindow, sessionTimeout, replayLimit, privilegedIntents);
    }

    public GatewaySettings withIdentifyLimit(int concurrency, Duration window) {
        return new GatewaySettings(heartbeatInterval, ackHeartbeats, concurrency, window, sessionTimeout, replayLimit, privilegedIntents);
    }

    public GatewaySettings withSessionTimeout(Duration timeout) {
        return new GatewaySettings(heartbeatInterval, ackHeartbeats, maxConcurrency, identifyWindow, timeout, replayLimit, privilegedIntents);
    }

    public GatewaySettings withReplayLimit(int limit) {
        return new GatewaySettings(heartbeatInterval, ackHeartbeats, maxConcurrency, identifyWindow, sessionTimeout, limit, privilegedIntents);
    }

    public GatewaySettings withPrivilegedIntents(int intents) {
        return new GatewaySettings(heartbeatInterval, ackHeartbeats, maxConcurrency, identifyWindow, sessionTimeout, replayLimit, intents);
    }
}
