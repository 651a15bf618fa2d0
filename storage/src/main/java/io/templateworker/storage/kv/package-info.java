/**
 * The tenant key-value store on PostgreSQL ({@code tenant_kv}): upstream's scoped KV with containment
 * matching and LIKE search, the 2025 expiry-aware and by-id operations, and the hook that tells the key-expiry
 * engine about changed expiries. Values are stored as KhronosValue v2 JSON so upstream rows import as they are.
 */
package io.templateworker.storage.kv;
