/**
 * Per-user and per-IP request limits for the public API (HEAD's numbers, UPSTREAM.md §2.9): GCRA buckets keyed by
 * user id (or client address for anonymous callers); refused requests get 429 with {@code Retry-After}. Root users
 * and loopback root callers are exempt.
 */
package io.templateworker.api.ratelimit;
