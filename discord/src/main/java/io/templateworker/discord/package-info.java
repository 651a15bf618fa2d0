/**
 * Discord adapters for the {@code runtime.discord} ports: {@link io.templateworker.discord.rest} (the REST client and
 * its rate limiter) and {@link io.templateworker.discord.state} (guild state from REST).
 */
package io.templateworker.discord;
