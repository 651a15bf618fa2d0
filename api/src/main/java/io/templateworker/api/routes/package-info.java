/**
 * The public API's routes by resource (UPSTREAM.md §4.4, §4.5, §4.8): sessions and OAuth2 login, deployment
 * metadata, global KV listings, guild events and settings, the user's guilds. Each class is a
 * {@link io.templateworker.api.RouteGroup} over ports; {@code app} mounts them.
 */
package io.templateworker.api.routes;
