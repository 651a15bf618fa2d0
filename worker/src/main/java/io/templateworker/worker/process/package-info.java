/**
 * The process pool: the master spawns one child JVM per worker id, talks to it over Mesophyll, queues its
 * events while it restarts and answers its database requests; the child runs a
 * {@link io.templateworker.worker.thread.WorkerThread} whose stores are proxies to the master, so it holds no
 * database credentials.
 */
package io.templateworker.worker.process;
