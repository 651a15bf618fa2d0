/**
 * Execution: the VM state, threads (coroutines) with their call stacks, closures and frames, the executable
 * node tree the compiler produces, and the metamethod-aware operations ({@link io.templateworker.luau.vm.Ops}).
 */
package io.templateworker.luau.vm;
