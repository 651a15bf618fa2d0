/**
 * The durable key-expiry engine (UPSTREAM.md §6.1, fixing gaps 10, 11 and 32): per worker, it fires a
 * {@code KeyExpiry} event when a tenant KV key's {@code expires_at} passes, and {@code KeyResume} events for
 * resume keys on start and on request.
 *
 * <p>PostgreSQL is the source of truth. The engine holds only a near-future window of due keys in memory
 * (unclaimed keys grouped in time slots, claimed ones in a priority queue that a timer thread follows to the
 * due time), slides it forward periodically, and hears about
 * in-process expiry changes through {@link io.templateworker.storage.expiry.ExpiryListener}. A due key is
 * claimed in the database (a lease, taken by one conditional update) ahead of its due time, so engines
 * racing on the same rows deliver it once and a commit's latency is not in the path to the event; its row is
 * deleted only after the dispatcher reported success and only if its expiry did not move meanwhile. Failed dispatches are retried with backoff and, after a
 * configurable number of attempts, parked and reported — never silently dropped.
 */
package io.templateworker.storage.expiry;
