/** {@code bin/bench runtime}: the template runtime's plugins seen from Luau (KV on PostgreSQL, plugin-call overhead). */
package io.templateworker.bench.runtime;
