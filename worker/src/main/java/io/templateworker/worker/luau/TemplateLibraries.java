package io.templateworker.worker.luau;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders templates can {@code require} beyond their own files, read once per process:
 * <ul>
 *   <li>{@code templates.libraries}: overlaid at the root of every template's file system, beneath the template's
 *       own files, with their root {@code .luaurc} aliases (a checkout of templating-types gives
 *       {@code @antiraid-ext/…} and {@code @antiraid-core/…});</li>
 *   <li>{@code templates.builtins}: a folder laid out like upstream's builtins repository; when set every tenant
 *       runs its {@code ./builtins.templateloop} first, over [{@code templates.builtins_patches}, the builtins,
 *       TemplatingTypes] where TemplatingTypes is the first library, else the builtins' own
 *       {@code templating-types/} folder (UPSTREAM.md §2.7, §5.6).</li>
 * </ul>
 */
public record TemplateLibraries(List<FileTree> libraries, FileTree builtins, FileTree builtinsPatches) {
  /** The entry of the builtins, relative to their root. */
  public static final String BUILTINS_ENTRY = "builtins.templateloop.luau";

  public static final TemplateLibraries NONE = new TemplateLibraries(List.of(), null, null);

  public TemplateLibraries {
    libraries = List.copyOf(libraries);
  }

  /**
   * Reads the folders (null = not set). A folder that cannot be read, or builtins without
   * {@value #BUILTINS_ENTRY}, is an {@link IllegalArgumentException} naming the config key.
   */
  public static TemplateLibraries load(List<Path> libraries, Path builtins, Path builtinsPatches) {
    List<FileTree> libs = new ArrayList<>();
    for (Path p : libraries) {
      libs.add(read("templates.libraries", p));
    }
    FileTree patches = builtinsPatches == null ? null : read("templates.builtins_patches", builtinsPatches);
    FileTree b = builtins == null ? null : read("templates.builtins", builtins);
    if (b != null && b.read("/" + BUILTINS_ENTRY) == null && (patches == null || patches.read("/" + BUILTINS_ENTRY) == null)) {
      throw new IllegalArgumentException("templates.builtins: " + builtins + " has no " + BUILTINS_ENTRY
          + " (expected a folder laid out like Anti-Raid/builtins)");
    }
    return new TemplateLibraries(libs, b, patches);
  }

  private static FileTree read(String key, Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(key + ": " + folder + " is not a folder");
    }
    try {
      return FileTree.load(folder);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  public boolean hasBuiltins() {
    return builtins != null;
  }

  /** What upstream calls TemplatingTypes: the first library, else the builtins' {@code templating-types/}, else empty. */
  public FileTree templatingTypes() {
    if (!libraries.isEmpty()) {
      return libraries.get(0);
    }
    return builtins == null ? FileTree.EMPTY : builtins.subtree("templating-types");
  }

  /** The layers of a custom template's files beneath its own: the libraries, in order. */
  List<FileTree> templateLayers() {
    return libraries;
  }

  /** The builtins' file system, top layer first: patches, builtins, then the libraries or TemplatingTypes. */
  List<FileTree> builtinsLayers() {
    List<FileTree> layers = new ArrayList<>();
    if (builtinsPatches != null) {
      layers.add(builtinsPatches);
    }
    layers.add(builtins);
    if (libraries.isEmpty()) {
      layers.add(templatingTypes());
    } else {
      layers.addAll(libraries);
    }
    return layers;
  }
}
