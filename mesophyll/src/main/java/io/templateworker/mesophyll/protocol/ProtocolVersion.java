package io.templateworker.mesophyll.protocol;

/**
 * The Mesophyll protocol version. Master and worker are the same build, so a mismatch means a stale
 * child binary; the worker refuses a {@link Message.Hello} with another version.
 */
public final class ProtocolVersion {
  public static final int CURRENT = 3; // 2: Started acknowledgements; 3: standby sessions (Activate)

  private ProtocolVersion() {}
}
