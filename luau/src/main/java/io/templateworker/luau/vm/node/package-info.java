/**
 * The executable tree the compiler builds ("closure compilation"): expression nodes evaluate to a value,
 * statement nodes return a completion code. Nodes are immutable and hold no per-VM state, so a compiled
 * chunk is shared across VMs and tenants.
 */
package io.templateworker.luau.vm.node;
