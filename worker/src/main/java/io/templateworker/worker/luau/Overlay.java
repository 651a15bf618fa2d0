package io.templateworker.worker.luau;

import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.vm.Chunk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The file system one isolate's {@code require} reads: layers of {@link FileTree}s, the first holding a path
 * winning (a template's own files over the libraries), and the aliases of their root {@code .luaurc} files merged
 * the same way. Chunks are compiled once per process through the {@link ChunkCache}. The {@code @antiraid/*}
 * modules built into the runtime are served before any of this (they win over an alias of the same name).
 */
final class Overlay implements ModuleSource {
  static final String LIBRARIES_HINT = "@antiraid-ext/… and @antiraid-core/… come from templating-types: set"
      + " templates.libraries to a checkout of Anti-Raid/templating-types (see README, \"Template libraries\")";

  private final List<FileTree> layers;
  private final Map<String, String> aliases;
  private final ChunkCache chunks;

  Overlay(List<FileTree> layers, ChunkCache chunks) {
    this.layers = List.copyOf(layers);
    this.chunks = chunks;
    Map<String, String> merged = new HashMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      merged.putAll(layers.get(i).aliases());
    }
    this.aliases = Map.copyOf(merged);
  }

  @Override
  public byte[] read(String path) {
    for (int i = 0; i < layers.size(); i++) {
      byte[] b = layers.get(i).read(path);
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  @Override
  public String alias(String name) {
    return aliases.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public Chunk compile(String path, byte[] source) {
    return chunks.compile(path, source);
  }

  @Override
  public String missingHint(String spec) {
    if ((spec.startsWith("@antiraid-ext/") || spec.startsWith("@antiraid-core/"))
        && alias(spec.substring(1, spec.indexOf('/'))) == null) {
      return LIBRARIES_HINT;
    }
    return null;
  }
}
