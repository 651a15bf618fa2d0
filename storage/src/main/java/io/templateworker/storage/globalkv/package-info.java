/**
 * Global KV on PostgreSQL ({@code global_kv}, {@code global_kv_purchases}): cross-tenant listings with key
 * rules, staff review (readers see approved entries only), owner-only delete, and priced entries whose data
 * is released only to tenants with a recorded purchase (upstream's purchase check was a stub, gap 8).
 */
package io.templateworker.storage.globalkv;
