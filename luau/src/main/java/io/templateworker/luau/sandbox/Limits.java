package io.templateworker.luau.sandbox;

import java.time.Duration;

/**
 * Per-VM resource limits. Every one ends a script with a catchable Luau error ("not enough memory",
 * "Script execution time limit exceeded", "stack overflow"), never a JVM error.
 *
 * @param memoryBytes accounted heap a VM may hold (0 = unlimited); default 20 MiB like upstream
 * @param timeSlice CPU time one call into the VM may use; time spent waiting on the host is not counted
 *     ({@link Duration#ZERO} = unlimited); default 10 s like upstream
 * @param maxCallDepth nested Luau calls per Luau thread before "stack overflow"
 */
public record Limits(long memoryBytes, Duration timeSlice, int maxCallDepth) {
  public static final long DEFAULT_MEMORY = 20L << 20;
  public static final Duration DEFAULT_TIME = Duration.ofSeconds(10);
  /**
   * Deep enough for real recursive code, shallow enough that the Java stack of a 1 MiB thread (the default for
   * platform and virtual threads) never overflows first; see SandboxLimitsTest for the measured margin.
   */
  public static final int DEFAULT_DEPTH = 2000;

  public Limits {
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes must be >= 0 (0 = unlimited), got " + memoryBytes);
    }
    if (timeSlice == null || timeSlice.isNegative()) {
      throw new IllegalArgumentException("timeSlice must be >= 0 (0 = unlimited), got " + timeSlice);
    }
    if (maxCallDepth < 10) {
      throw new IllegalArgumentException("maxCallDepth must be >= 10, got " + maxCallDepth);
    }
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MEMORY, DEFAULT_TIME, DEFAULT_DEPTH);
  }

  /** No memory or time limit (the call depth stays bounded: the Java stack is finite). */
  public static Limits unlimited() {
    return new Limits(0, Duration.ZERO, DEFAULT_DEPTH);
  }

  public Limits withMemory(long bytes) {
    return new Limits(bytes, timeSlice, maxCallDepth);
  }

  public Limits withTimeSlice(Duration slice) {
    return new Limits(memoryBytes, slice, maxCallDepth);
  }

  public Limits withMaxCallDepth(int depth) {
    return new Limits(memoryBytes, timeSlice, depth);
  }
}
