package io.templateworker.worker.vm;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.store.Template;
import java.util.List;

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

  /**
   * Loads the builtins ({@code templates.builtins}) as an isolate whose handler, for every event, is the
   * function {@code ./builtins.templateloop} returns; called only when {@link IsolateFactory#hasBuiltins()}.
   */
  default TemplateIsolate loadBuiltins() throws TemplateFailure {
    throw new TemplateFailure("this engine cannot run builtins", false);
  }

  /** True after a fatal error (the memory limit): the VM is dropped and rebuilt on the tenant's next event. */
  boolean isBroken();

  /**
   * Starts one event's handlers: isolate {@code i} with context {@code i}, in order, skipping positions of
   * {@code run} already done. Each runs as a task until it finishes or waits (on the host, on a timer), so a
   * handler waiting on I/O does not hold up the next; outcomes land in {@code run} as handlers end, also
   * later, from {@link #runTasks()}. Returns once every handler has finished or is waiting.
   *
   * <p>The default runs each handler to completion, one after another (engines without tasks).
   */
  default void start(EventRun run, List<TemplateIsolate> isolates, List<TemplateContext> contexts) {
    for (int i = 0; i < run.size(); i++) {
      if (run.isDone(i)) {
        continue;
      }
      try {
        run.succeeded(i, isolates.get(i).handle(contexts.get(i)));
      } catch (TemplateFailure f) {
        run.failed(i, f);
      }
    }
  }

  /**
   * Stops handler {@code i} of {@code run}, still running (waiting: the VM is idle when this is called), and
   * records {@code why} as its error. The default only records it.
   */
  default void stop(EventRun run, int i, String why) {
    run.failed(i, why, null, false);
  }

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
