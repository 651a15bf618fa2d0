/**
 * Internal routes that drive the workers ({@code /i/...}, UPSTREAM.md §4.6): dispatch an event to a guild, count
 * the workers, stop the pool. Root-only once the auth layer exists; until then they answer loopback callers only.
 */
package io.templateworker.api.internal;
