/**
 * Port for web API accounts (UPSTREAM.md §4.3, §5.1): users, their sessions and the OAuth2 code-reuse guard.
 * Session tokens never reach this port in clear: callers pass the token's SHA-256 hash, so a leaked table holds
 * nothing a client can replay. Implemented over PostgreSQL by {@code storage.account.PostgresAccountStore}.
 */
package io.templateworker.runtime.account;
