package io.templateworker.worker.vm;

import io.templateworker.runtime.store.Template;

/**
 * One tenant's script VM: every template of the tenant is an isolate inside it (own globals, own
 * {@code require}), sharing its builtins and its memory and time limits. Confined like the VM: one caller at a
 * time ({@link TenantVm} holds its lock around every call).
 */
public interface TenantEngine extends AutoCloseable {

  /**
   * Loads a template as a new isolate (runs its {@code init.luau}). A load error throws {@link TemplateFailure}
   * and affects only this template, unless it is fatal, which also breaks the VM.
   */
  TemplateIsolate load(Template template) throws TemplateFailure;

  /** True after a fatal error (the memory limit): the VM is dropped and rebuilt on the tenant's next event. */
  boolean isBroken();

  // Background tasks. The defaults describe an engine whose templates cannot schedule work for later.

  /** Where task failures and wake-ups from other threads go; set once, before the first {@link #load}. */
  default void setTaskListener(TaskListener listener) {}

  /** Whether a task is scheduled, sleeping or waiting on the host (cheap: checked after every run). */
  default boolean hasPendingTasks() {
    return false;
  }

  /**
   * Nanoseconds until a task is due: 0 when one is ready now, {@link Long#MAX_VALUE} when none waits on a
   * timer (tasks waiting on the host announce themselves through {@link TaskListener#taskReady}).
   */
  default long nanosUntilTasksDue() {
    return Long.MAX_VALUE;
  }

  /**
   * Resumes the tasks that are ready now (due timers, completed host operations, deferred tasks) within one
   * time slice, as an event's handler would; their failures go to the {@link TaskListener}.
   */
  default void runTasks() {}

  /** Frees the VM and every isolate in it. */
  @Override
  void close();
}
