package io.templateworker.worker.vm;

/**
 * A template failed: a Luau error, a limit, or a bad return value. The message says what happened; the
 * traceback (null when there is none) says where. {@code fatal} marks errors that leave the VM unusable (memory
 * limit), so it is rebuilt.
 */
public final class TemplateFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean fatal;
  private final String traceback;

  public TemplateFailure(String message, boolean fatal) {
    this(message, null, fatal);
  }

  public TemplateFailure(String message, String traceback, boolean fatal) {
    super(message, null, false, false);
    this.fatal = fatal;
    this.traceback = traceback == null || traceback.isEmpty() ? null : traceback;
  }

  public boolean fatal() {
    return fatal;
  }

  public String traceback() {
    return traceback;
  }

  /** The message followed by the traceback, as a template's error result shows it. */
  public String describe() {
    return traceback == null ? getMessage() : getMessage() + "\n" + traceback;
  }
}
