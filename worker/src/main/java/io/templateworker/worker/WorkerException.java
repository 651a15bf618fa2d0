package io.templateworker.worker;

/** A dispatch that could not be carried out; the message names the tenant and the worker and what to do. */
public final class WorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerException(String message) {
    super(message, null, false, false);
  }

  public WorkerException(String message, Throwable cause) {
    super(message, cause);
  }
}
