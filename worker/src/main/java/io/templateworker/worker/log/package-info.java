/**
 * Tenants' logs: {@link io.templateworker.worker.log.TenantLogBook} keeps each tenant's recent prints and
 * template errors in memory (served by {@code GET /guilds/{id}/logs}) and writes the errors to the durable
 * {@link io.templateworker.runtime.store.TemplateErrorStore}; {@link io.templateworker.worker.log.LogRateLimit}
 * bounds how fast one tenant may write.
 */
package io.templateworker.worker.log;
