/**
 * Template isolates on the Luau engine: each template gets its own sandboxed {@code LuauState} with
 * {@code require} over the template's files; {@code init.luau} returns the table of handlers, and each handler
 * receives the {@code ctx} table built by {@link io.templateworker.worker.luau.ContextTable}.
 */
package io.templateworker.worker.luau;
