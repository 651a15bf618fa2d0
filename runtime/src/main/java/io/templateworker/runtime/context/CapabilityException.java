package io.templateworker.runtime.context;

/** A template asked for something its capabilities do not allow; the message names the capability. */
public final class CapabilityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CapabilityException(String message) {
    super(message);
  }
}
