package io.templateworker.luau.require;

import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.vm.Chunk;

/**
 * The virtual file system {@code require} reads. Paths are normalised, '/'-separated and never contain
 * "." or ".." segments (the resolver removes them); they are also the chunk names of the loaded modules, so
 * they appear in error messages and tracebacks.
 */
public interface ModuleSource {
  /** The file's bytes, or null when no such file exists. */
  byte[] read(String path);

  /** The directory an alias ({@code @name/...}) stands for, or null when the alias is unknown. */
  default String alias(String name) {
    return null;
  }

  /**
   * Compiles the module at {@code path}; used for files bound to one environment
   * ({@link RequireLib#bindModules}). A host may override it to share chunks, which are immutable, across
   * environments and VMs. Throws {@code CompileError} on a syntax error.
   */
  default Chunk compile(String path, byte[] source) {
    return Compiler.compile(source, path);
  }

  /**
   * What to add to the error of a {@code require(spec)} that found nothing (an unknown alias, no such file),
   * e.g. which setting provides the module; null for nothing.
   */
  default String missingHint(String spec) {
    return null;
  }
}
