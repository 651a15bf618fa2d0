package io.templateworker.luau.require;

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
}
