package io.templateworker.app.shell;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerPool;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the shell's {@code ctx} reaches: the stores of the database it shares with the service, Discord (the mock in
 * local mode), its own worker pool (started on first use) and a way to drop a tenant's VM in the running service.
 *
 * @param pool          the shell's worker pool, started on first use (the same templates and database as the service;
 *                      the service's own VMs are separate)
 * @param serviceDrop   drops a tenant's VM in the running service, if one runs on the same data folder; throws with
 *                      what went wrong when it cannot
 */
public record ShellServices(TenantServices stores, DataSource dataSource, DiscordRest discord, Supplier<WorkerPool> pool,
                            Consumer<TenantId> serviceDrop) {
}
