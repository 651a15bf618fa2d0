package io.templateworker.luau.vm;

import java.io.PrintStream;

/**
 * Per-VM settings. Immutable; change with the {@code with*} methods.
 *
 * @param stdout where {@code print} writes
 * @param legacyEnvFunctions whether {@code loadstring}, {@code getfenv} and {@code setfenv} exist (off in the
 *     sandbox, on in {@code bin/luau})
 * @param maxCallDepth nested Luau calls per thread before "stack overflow"
 * @param memoryLimit bytes the VM may allocate through {@link LuauThread#allocate(long)}; 0 = unlimited
 */
public record VmOptions(PrintStream stdout, boolean legacyEnvFunctions, int maxCallDepth, long memoryLimit) {

  public static VmOptions defaults() {
    return new VmOptions(System.out, false, 8000, 0);
  }

  public VmOptions withStdout(PrintStream out) {
    return new VmOptions(out, legacyEnvFunctions, maxCallDepth, memoryLimit);
  }

  public VmOptions withLegacyEnvFunctions(boolean on) {
    return new VmOptions(stdout, on, maxCallDepth, memoryLimit);
  }

  public VmOptions withMaxCallDepth(int depth) {
    return new VmOptions(stdout, legacyEnvFunctions, depth, memoryLimit);
  }

  public VmOptions withMemoryLimit(long bytes) {
    return new VmOptions(stdout, legacyEnvFunctions, maxCallDepth, bytes);
  }
}
