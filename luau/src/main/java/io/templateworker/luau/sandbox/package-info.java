/**
 * Limits that no script can break: the CPU time slice and host interrupt ({@link
 * io.templateworker.luau.sandbox.ExecutionBudget}), memory accounting reconciled against the live heap ({@link
 * io.templateworker.luau.sandbox.MemoryMeter}), the limit settings ({@link io.templateworker.luau.sandbox.Limits})
 * and the clock they read. Depends only on errors and values, so the VM can hold these objects.
 */
package io.templateworker.luau.sandbox;
