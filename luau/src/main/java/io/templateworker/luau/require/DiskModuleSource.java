package io.templateworker.luau.require;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Modules read from the disk ({@code bin/luau}): paths are taken relative to the working directory (or
 * absolute), like the reference CLI resolves requires relative to the requiring file's path.
 */
public final class DiskModuleSource implements ModuleSource {
  @Override
  public byte[] read(String path) {
    Path p = Path.of(path.isEmpty() ? "." : path);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      return null;
    }
  }
}
