/**
 * A tenant's VM and the template fan-out: {@link io.templateworker.worker.vm.TenantVm} holds the tenant's
 * {@link io.templateworker.worker.vm.TenantEngine} (one script VM) with one isolate per template (its own
 * globals and {@code require}), sends each event to the unpaused templates subscribed to it and collects
 * {@code {type, id, value}} results within the fan-out timeout. Engines come from an
 * {@link io.templateworker.worker.vm.IsolateFactory}, the seam to the Luau engine. Background tasks reach the
 * VM's owner through {@link io.templateworker.worker.vm.TaskWakeups} (when to drive them) and come back from the
 * engine through {@link io.templateworker.worker.vm.TaskListener} (failures, host completions).
 */
package io.templateworker.worker.vm;
