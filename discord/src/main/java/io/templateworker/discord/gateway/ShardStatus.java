package io.templateworker.discord.gateway;

/** Where a shard's connection is. */
public enum ShardStatus {
    /** Not started, or waiting for its turn to identify. */
    IDLE,
    /** Opening the WebSocket, waiting for Hello, identifying or resuming. */
    CONNECTING,
    /** READY or RESUMED received: dispatches flow. */
    READY,
    /** Lost the connection; a reconnect is scheduled. */
    RECONNECTING,
    /** Stopped for good by a close code that retrying cannot fix (bad token, disallowed intents, …). */
    FAILED,
    /** Closed by {@link DiscordGateway#close()}. */
    CLOSED
}
