/**
 * The worker layer: where each tenant's templates run. {@link io.templateworker.worker.WorkerLike} is the one
 * interface of a single worker and of a pool; tenants are routed to workers by {@code (id >> 22) % workers}.
 */
package io.templateworker.worker;
