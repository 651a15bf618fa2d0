/**
 * The Discord REST client: {@link io.templateworker.discord.rest.DiscordRestClient} on {@code java.net.http}, with
 * Discord's rate limits ({@link io.templateworker.discord.rest.RateLimiter}: buckets learned from
 * {@code X-RateLimit-*} headers, shared buckets, the global limit, 429s) and the invalid-request guard
 * ({@link io.templateworker.discord.rest.InvalidRequestGuard}).
 */
package io.templateworker.discord.rest;
