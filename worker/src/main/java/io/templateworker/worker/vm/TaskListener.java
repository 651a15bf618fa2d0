package io.templateworker.worker.vm;

/**
 * What a {@link TenantEngine} tells its tenant VM: failures of background tasks ({@code task.spawn},
 * {@code task.delay}, {@code task.defer}, {@code task.wait} and tasks waiting on the host), tasks made ready by
 * the host, and lines templates print.
 */
public interface TaskListener {

  /**
   * A task failed. {@code template} names the template whose code the task runs (null when that cannot be
   * told, e.g. a task running a builtin); {@code fatal} means the VM is broken (memory limit). Called on the
   * VM's thread of control, while the VM runs.
   */
  void taskFailed(String template, String error, boolean fatal);

  /** A task became ready on another thread (a host operation completed). Any thread; must not block. */
  void taskReady();

  /**
   * The VM's thread is about to wait for the host outside a task (a host call inside {@code pcall} or a
   * coroutine of the script's own, which cannot yield the task). VM thread; paired with {@link #waitEnded()}.
   */
  default void waitBegins() {}

  /** The wait announced by {@link #waitBegins()} ended. VM thread. */
  default void waitEnded() {}

  /** A template printed a line ({@code template} null when it cannot be told). VM thread; must not block. */
  default void printed(String template, String text) {}
}
