/**
 * Who is calling: session tokens (hashed, cached briefly), root users, the {@code api.loopback_root} rule, banned
 * users, and the guild-manager check of {@link io.templateworker.api.Access#GUILD} routes. The server runs the
 * {@link io.templateworker.api.auth.Authenticator} before every handler; handlers read the result with
 * {@link io.templateworker.api.auth.Caller#of}.
 */
package io.templateworker.api.auth;
