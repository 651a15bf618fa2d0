/**
 * The per-VM task scheduler behind the {@code task} library (spawn, defer, delay, wait, cancel) and host
 * yields: queues of ready threads and timers that the host drives ({@code runReady}), with the time of the
 * next wake-up so a worker's event loop can sleep until then.
 */
package io.templateworker.luau.task;
