/**
 * Discord's gateway v10 client: {@link io.templateworker.discord.gateway.DiscordGateway} runs one
 * {@link io.templateworker.discord.gateway.GatewayShard} per shard this process reads (hello, identify with the configured
 * intents, heartbeats with jitter and zombie detection, resume at {@code resume_gateway_url} with replay, reconnect with
 * backoff, invalid sessions, identify pacing per {@code max_concurrency}, optional zlib-stream) over
 * {@code java.net.http.WebSocket}; {@link io.templateworker.discord.gateway.EventTranslator} turns dispatches into template
 * events (UPSTREAM.md §7.2, §7.3), with or without a Sandwich gateway proxy in front.
 */
package io.templateworker.discord.gateway;
