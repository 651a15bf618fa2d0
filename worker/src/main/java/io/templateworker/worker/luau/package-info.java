/**
 * Tenant VMs on the Luau engine: one sandboxed {@code LuauState} per tenant, each template an environment in
 * it with {@code require} over the template's own files; {@code init.luau} returns the table of handlers, and
 * each handler receives the {@code ctx} table built by {@link io.templateworker.worker.luau.ContextTable}.
 * Compiled chunks are shared process-wide through {@link io.templateworker.worker.luau.ChunkCache}.
 */
package io.templateworker.worker.luau;
