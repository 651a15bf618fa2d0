/**
 * The mock's HTTP side: Discord's REST routes under {@code /api/v10} (one class per resource) and the admin routes
 * under {@code /__mock/}. {@link io.templateworker.mockdiscord.http.Api} wraps every Discord route with
 * authentication, rate limits, the state lock and Discord's error bodies.
 */
package io.templateworker.mockdiscord.http;
