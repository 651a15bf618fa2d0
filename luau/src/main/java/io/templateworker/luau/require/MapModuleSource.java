package io.templateworker.luau.require;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** An in-memory module tree (a template's files as the host stores them), with optional aliases. */
public final class MapModuleSource implements ModuleSource {
  private final Map<String, byte[]> files = new HashMap<>();
  private final Map<String, String> aliases = new HashMap<>();

  /** Adds a file; {@code path} like "/init.luau" or "lib/util.luau". */
  public MapModuleSource file(String path, String source) {
    files.put(ModuleResolver.normalize(path), source.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Declares {@code @name} to stand for {@code directory}. */
  public MapModuleSource alias(String name, String directory) {
    aliases.put(name.toLowerCase(java.util.Locale.ROOT), ModuleResolver.normalize(directory));
    return this;
  }

  @Override
  public byte[] read(String path) {
    return files.get(path);
  }

  @Override
  public String alias(String name) {
    return aliases.get(name.toLowerCase(java.util.Locale.ROOT));
  }
}
