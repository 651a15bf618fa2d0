package io.templateworker.worker.vm;

import io.templateworker.runtime.khronos.KhronosValue;

/**
 * The handlers one event runs in a tenant VM, by position: which have finished, with a value or an error, and
 * which still run (waiting on the host or a timer). A {@link TenantEngine} fills it in as handlers end; the
 * {@link TenantVm} reads it. Touched only by the VM's thread of control (the lane and the coroutines it hands
 * the VM to), so it needs no synchronisation.
 */
public final class EventRun {
  /** In {@link #slots}: handler i ended with an error (see {@link #errors}). */
  private static final Object FAILED = new Object();
  private final int size;
  /**
   * One array for what a run of one event allocates per handler (one per event, thousands per second): at {@code i}
   * handler i's outcome (its value, {@link #FAILED}, or null while it runs), at {@code size + i} its task.
   */
  private final Object[] slots;
  /** Errors, tracebacks and fatality: allocated at the first failure (one event, thousands per second, mostly none). */
  private String[] errors;
  private String[] tracebacks;
  private boolean[] fatal;
  private int pending;

  public EventRun(int size) {
    this.size = size;
    slots = new Object[2 * size];
    pending = size;
  }

  public int size() {
    return size;
  }

  /** Handlers that have neither returned nor failed yet. */
  public int pending() {
    return pending;
  }

  public boolean isDone(int i) {
    return slots[i] != null;
  }

  /** Handler {@code i} returned {@code value}; ignored when it already ended (e.g. it was stopped). */
  public void succeeded(int i, KhronosValue value) {
    if (slots[i] == null) {
      finish(i, value == null ? KhronosValue.Null.INSTANCE : value);
    }
  }

  /**
   * Handler {@code i} failed: {@code message} says what happened, {@code traceback} where (null when none);
   * {@code fatal} means the VM is unusable (memory limit). Ignored when it already ended.
   */
  public void failed(int i, String message, String traceback, boolean isFatal) {
    if (slots[i] == null) {
      if (errors == null) {
        errors = new String[size];
        tracebacks = new String[size];
        fatal = new boolean[size];
      }
      errors[i] = message;
      tracebacks[i] = traceback;
      fatal[i] = isFatal;
      finish(i, FAILED);
    }
  }

  public void failed(int i, TemplateFailure f) {
    failed(i, f.getMessage(), f.traceback(), f.fatal());
  }

  private void finish(int i, Object outcome) {
    slots[i] = outcome;
    slots[size + i] = null;
    pending--;
  }

  /** The value of a handler that succeeded (null while running or after an error). */
  public KhronosValue value(int i) {
    return slots[i] instanceof KhronosValue value ? value : null;
  }

  /** The error of a handler that failed, else null. */
  public String error(int i) {
    return errors == null ? null : errors[i];
  }

  public String traceback(int i) {
    return tracebacks == null ? null : tracebacks[i];
  }

  public boolean fatal(int i) {
    return fatal != null && fatal[i];
  }

  /** The engine's handle on the task running handler {@code i} (for {@link TenantEngine#stop}). */
  public Object task(int i) {
    return slots[size + i];
  }

  public void setTask(int i, Object task) {
    if (slots[i] == null) {
      slots[size + i] = task;
    }
  }
}
