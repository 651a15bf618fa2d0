package io.templateworker.worker.vm;

/**
 * How a {@link TenantVm} asks its owner to drive its background tasks later ({@link TenantVm#driveTasks}), so
 * a {@code task.delay} or {@code task.wait} resumes without waiting for the tenant's next event, and tells it
 * when its thread waits. Any thread; must not block.
 */
@FunctionalInterface
public interface TaskWakeups {

  /**
   * Drive the VM's tasks in {@code delayNanos} (0 = as soon as possible). Only the earliest outstanding
   * request matters: each drive asks again for the next one.
   */
  void wakeIn(long delayNanos);

  /**
   * The VM's thread is about to wait (for the host, or for its handlers' tasks): the owner may give the thread's
   * share of the CPU to other work meanwhile. Called on the VM's thread, paired with {@link #waitEnded()}.
   */
  default void waitBegins() {}

  /** The wait announced by {@link #waitBegins()} ended; the VM's thread runs again. */
  default void waitEnded() {}

  /** For a VM nobody drives between events (tools, tests of dispatch alone). */
  TaskWakeups NONE = delayNanos -> {};
}
