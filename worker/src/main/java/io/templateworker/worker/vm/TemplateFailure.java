package io.templateworker.worker.vm;

/**
 * A template failed: a Luau error with its traceback, a limit, or a bad return value. {@code fatal} marks
 * errors that leave the isolate unusable (memory limit), so the VM is rebuilt.
 */
public final class TemplateFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean fatal;

  public TemplateFailure(String message, boolean fatal) {
    super(message, null, false, false);
    this.fatal = fatal;
  }

  public boolean fatal() {
    return fatal;
  }
}
