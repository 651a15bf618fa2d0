package io.templateworker.mesophyll.server;

import java.time.Duration;

/**
 * Server timing. A connection whose last heartbeat is older than {@code heartbeatInterval ×
 * missedHeartbeats} is closed; every request waits at most {@code requestTimeout} for its reply.
 */
public record MesophyllServerConfig(Duration heartbeatInterval, int missedHeartbeats, Duration requestTimeout) {
  public static final MesophyllServerConfig DEFAULTS =
      new MesophyllServerConfig(Duration.ofSeconds(5), 3, Duration.ofSeconds(30));

  public MesophyllServerConfig {
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("mesophyll heartbeat interval must be positive, got " + heartbeatInterval);
    }
    if (missedHeartbeats < 1) {
      throw new IllegalArgumentException("mesophyll missed heartbeats must be at least 1, got " + missedHeartbeats);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("mesophyll request timeout must be positive, got " + requestTimeout);
    }
  }

  public long deadAfterNanos() {
    return heartbeatInterval.toNanos() * missedHeartbeats;
  }
}
