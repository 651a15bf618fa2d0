/** {@code ctx.KV}: the tenant's key-value store with expiry (UPSTREAM.md §8.5, §5.3). */
package io.templateworker.runtime.plugin.kv;
