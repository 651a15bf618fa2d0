package io.templateworker.luau.sandbox;

import java.time.Duration;

/**
 * Per-VM resource limits. Every one ends a script with a catchable Luau error ("not enough memory",
 * "Script execution time limit exceeded", "stack overflow"), never a JVM error.
 *
 * @param memoryBytes accounted heap a VM may hold (0 = unlimited); default 20 MiB like upstream
 * @param timeSlice CPU time one call into the VM may use; time spent waiting on the host is not counted
 *     ({@link Duration#ZERO} = unlimited); default 10 s like upstream
 * @param maxCallDepth nested Luau calls per Luau thread before "stack overflow" (clamped to
 *     {@link #stackSafeDepth()} by the host)
 */
public record Limits(long memoryBytes, Duration timeSlice, int maxCallDepth) {
  public static final long DEFAULT_MEMORY = 20L << 20;
  public static final Duration DEFAULT_TIME = Duration.ofSeconds(10);
  /**
   * Deep enough for real recursive code. {@code LuauState} clamps it to {@link #stackSafeDepth()}, so run VMs
   * with {@code -Xss16m} or more (bin/luau uses 64 MiB) to get all of it; the default 1 MiB gives about 400.
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

  /** Java stack one nested Luau call may take on the worst path measured (pcall inside gsub inside __index). */
  static final long STACK_BYTES_PER_CALL = 2560;
  private static final int STACK_SAFE_DEPTH = computeStackSafeDepth();

  /**
   * The deepest Luau call nesting that a thread of the JVM's configured stack size ({@code -Xss}, also the
   * limit of virtual threads) surely holds: a 1 MiB stack holds about 400, 16 MiB about 6500. A
   * "stack overflow" must come from the depth limit, never from the JVM: a StackOverflowError inside JDK code
   * (class initialisation, say) can leave the JVM damaged. Hosts clamp {@link #maxCallDepth()} to this.
   */
  public static int stackSafeDepth() {
    return STACK_SAFE_DEPTH;
  }

  private static int computeStackSafeDepth() {
    long kib = 1024; // HotSpot's default on 64-bit Linux
    try {
      String v = java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("ThreadStackSize")
          .getValue();
      long parsed = Long.parseLong(v);
      if (parsed > 0) {
        kib = parsed;
      }
    } catch (RuntimeException | LinkageError e) {
      // not HotSpot: keep the conservative default
    }
    return (int) Math.max(50, Math.min(Integer.MAX_VALUE, kib * 1024 / STACK_BYTES_PER_CALL));
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
