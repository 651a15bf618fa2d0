package io.templateworker.worker.luau;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.templateworker.luau.require.ModuleResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A read-only folder of Luau files held in memory (a {@code templates.libraries} folder, the builtins), shared by
 * every VM of the process: the files a {@code require} can reach ({@code .luau}, {@code .lua}, and the
 * {@code .luaurc} files) by their path from the folder's root, written {@code /dir/file.luau}, and the aliases of the
 * root {@code .luaurc} (relative to the root, as Luau resolves them). Hidden folders ({@code .git}) are skipped.
 */
public final class FileTree {
  /** Files bigger than this are left out (a library of Luau sources has none). */
  static final long MAX_FILE_BYTES = 4L << 20;
  private static final JsonMapper LUAURC = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  public static final FileTree EMPTY = new FileTree("(empty)", Map.of());

  private final String origin;
  private final Map<String, byte[]> files;
  private final Map<String, String> aliases;

  private FileTree(String origin, Map<String, byte[]> files) {
    this.origin = origin;
    this.files = files;
    byte[] rc = files.get("/.luaurc");
    this.aliases = rc == null ? Map.of() : aliases(new String(rc, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Reads {@code root} (a folder); a missing or unreadable folder is an {@link UncheckedIOException} naming it. */
  public static FileTree load(Path root) {
    if (!Files.isDirectory(root)) {
      throw new UncheckedIOException(new IOException(root + " is not a folder"));
    }
    Map<String, byte[]> files = new HashMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && dir.getFileName().toString().startsWith(".") ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String name = file.getFileName().toString();
          if ((name.endsWith(".luau") || name.endsWith(".lua") || name.equals(".luaurc")) && attrs.size() <= MAX_FILE_BYTES) {
            files.put("/" + root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + root + ": " + e.getMessage(), e);
    }
    return new FileTree(root.toString(), Map.copyOf(files));
  }

  /** A tree of in-memory files ({@code path → text}, paths relative to the root); for tests and templates. */
  public static FileTree of(String origin, Map<String, String> texts) {
    Map<String, byte[]> files = new HashMap<>();
    texts.forEach((p, t) -> files.put(ModuleResolver.normalize("/" + p), t.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return new FileTree(origin, Map.copyOf(files));
  }

  /**
   * The {@code "aliases"} of a root {@code .luaurc}, each made a path from the root ({@code "./@x/"} →
   * {@code /@x}); alias names are case-insensitive. A file that is not valid JSON contributes none.
   */
  static Map<String, String> aliases(String luaurc) {
    JsonNode root;
    try {
      root = LUAURC.readTree(luaurc);
    } catch (IOException e) {
      return Map.of();
    }
    JsonNode a = root == null ? null : root.get("aliases");
    if (a == null || !a.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      if (e.getValue().isTextual()) {
        out.put(e.getKey().toLowerCase(Locale.ROOT), ModuleResolver.normalize("/" + e.getValue().textValue()));
      }
    }
    return Map.copyOf(out);
  }

  /** The file at {@code path} ({@code /dir/file.luau}), or null. */
  public byte[] read(String path) {
    return files.get(path.startsWith("/") ? path : "/" + path);
  }

  public Map<String, String> aliases() {
    return aliases;
  }

  public int size() {
    return files.size();
  }

  /** The subtree under {@code dir} (e.g. the builtins' own {@code templating-types/}), as a tree of its own. */
  public FileTree subtree(String dir) {
    String prefix = ModuleResolver.normalize("/" + dir) + "/";
    Map<String, byte[]> sub = new HashMap<>();
    files.forEach((p, b) -> {
      if (p.startsWith(prefix)) {
        sub.put(p.substring(prefix.length() - 1), b);
      }
    });
    return new FileTree(origin + prefix, Map.copyOf(sub));
  }

  @Override
  public String toString() {
    return origin + " (" + files.size() + " files)";
  }
}
