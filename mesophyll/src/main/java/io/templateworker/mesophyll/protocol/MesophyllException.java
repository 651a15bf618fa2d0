package io.templateworker.mesophyll.protocol;

/**
 * A Mesophyll request that could not complete: no connection, the connection dropped, or no reply
 * in time. The message names the worker and what to expect.
 */
public final class MesophyllException extends RuntimeException {
  public MesophyllException(String message) {
    super(message, null, false, false);
  }
}
