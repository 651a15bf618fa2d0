/**
 * The few Discord calls the API makes on a user's behalf (UPSTREAM.md §4.4, §4.5 (b)): the OAuth2 code exchange and
 * refresh, the user, and the user's guilds. Bot calls go through the {@code discord} module; these use the user's
 * bearer token, so they are plain HTTP here.
 */
package io.templateworker.api.discord;
