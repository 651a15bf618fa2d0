/**
 * Storage ports of the template runtime: what a template can remember (tenant KV with expiry and resume
 * keys, tenant state, global KV, templates) as plain interfaces and records, plus the key-event dispatcher
 * port the key-expiry engine calls.
 *
 * <p>Adapters implement these: {@code storage} over PostgreSQL, and the process-pool child over Mesophyll
 * (so everything here is a record or enum that serialises as data). Shared argument rules live in
 * {@link io.templateworker.runtime.store.KvLimits} so every adapter rejects the same inputs with the same
 * message; failures are {@link io.templateworker.runtime.store.StoreException}s written for the template
 * author.
 */
package io.templateworker.runtime.store;
