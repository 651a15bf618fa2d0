/**
 * In-process workers: a {@link io.templateworker.worker.thread.WorkerThread} owns the VMs of the tenants routed
 * to it and runs each tenant's events in order on that tenant's lane, along with the drives of its background
 * tasks that the worker's timer queues there; the
 * {@link io.templateworker.worker.thread.ThreadPool} routes tenants to its workers.
 */
package io.templateworker.worker.thread;
