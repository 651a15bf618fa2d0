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

  /**
   * Why a socket failed, in words for the error a user sees: the first message along the cause chain. A connection cut
   * by a killed process often fails with an exception that has none (it read "socket error: null").
   */
  public static String socketFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return "socket error: " + t.getMessage();
      }
    }
    return "the connection was cut (the other process exited or the network dropped it)";
  }

  /** True when the request certainly did not run (see {@link Message.Started}), so it may be sent again. */
  public boolean notStarted() {
    return notStarted;
  }
}
