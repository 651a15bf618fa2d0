package io.templateworker.mesophyll.protocol;

/** A frame that is not a valid MessagePack {@link Message}; the receiving connection is closed. */
public final class MalformedFrameException extends Exception {
  public MalformedFrameException(String detail) {
    super("malformed Mesophyll frame: " + detail, null, false, false);
  }
}
