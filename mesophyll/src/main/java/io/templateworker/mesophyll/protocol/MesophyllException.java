package io.templateworker.mesophyll.protocol;

/**
 * A Mesophyll request that could not complete: no connection, the connection dropped, or no reply
 * in time. The message names the worker and what to expect.
 */
public final class MesophyllException extends RuntimeException {
  private final boolean notStarted;

  public MesophyllException(String message) {
    this(message, false);
  }

  private MesophyllException(String message, boolean notStarted) {
    super(message, null, false, false);
    this.notStarted = notStarted;
  }

  /** The connection ended before the worker acknowledged starting the request: it had no effect. */
  public static MesophyllException notStarted(String message) {
    return new MesophyllException(message, true);
  }

  /** True when the request certainly did not run (see {@link Message.Started}), so it may be sent again. */
  public boolean notStarted() {
    return notStarted;
  }
}
