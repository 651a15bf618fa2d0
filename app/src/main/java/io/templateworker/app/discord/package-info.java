/**
 * Discord for the service: the mock Discord in local mode (no {@code discord_auth.token}), started in-process at
 * {@code addrs.mock_discord} with the demo guild seeded.
 */
package io.templateworker.app.discord;
