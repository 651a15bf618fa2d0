package io.templateworker.mesophyll.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * One random 64-character alphanumeric token per worker id, generated at master start and handed to
 * each child through {@code MESOPHYLL_CLIENT_TOKEN}.
 */
public final class WorkerTokens {
  public static final int TOKEN_LENGTH = 64;
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final byte[][] tokens;

  private WorkerTokens(byte[][] tokens) {
    this.tokens = tokens;
  }

  public static WorkerTokens generate(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("need at least one worker, got " + workers);
    }
    SecureRandom random = new SecureRandom();
    byte[][] tokens = new byte[workers][];
    for (int i = 0; i < workers; i++) {
      char[] chars = new char[TOKEN_LENGTH];
      for (int c = 0; c < TOKEN_LENGTH; c++) {
        chars[c] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      tokens[i] = new String(chars).getBytes(StandardCharsets.US_ASCII);
    }
    return new WorkerTokens(tokens);
  }

  public int workers() {
    return tokens.length;
  }

  public boolean knows(int workerId) {
    return workerId >= 0 && workerId < tokens.length;
  }

  public String tokenFor(int workerId) {
    return new String(tokens[workerId], StandardCharsets.US_ASCII);
  }

  /** Constant-time comparison, so response timing reveals nothing about the token. */
  public boolean matches(int workerId, String presented) {
    if (!knows(workerId) || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(tokens[workerId], presented.getBytes(StandardCharsets.US_ASCII));
  }
}
