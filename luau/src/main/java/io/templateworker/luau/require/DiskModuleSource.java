package io.templateworker.luau.require;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Modules read from the disk ({@code bin/luau}): paths are taken relative to the working directory (or
 * absolute), like the reference CLI resolves requires relative to the requiring file's path. Aliases come
 * from the {@code "aliases"} object of a {@code .luaurc} in the working directory, relative to it.
 */
public final class DiskModuleSource implements ModuleSource {
  private static final Pattern ALIASES = Pattern.compile("\"aliases\"\\s*:\\s*\\{([^}]*)}");
  private static final Pattern PAIR = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"");

  private final Map<String, String> aliases = new HashMap<>();

  public DiskModuleSource() {
    this(Path.of(".luaurc"));
  }

  /** Reads aliases from {@code luaurc} when it exists (a missing or unreadable file means no aliases). */
  public DiskModuleSource(Path luaurc) {
    if (!Files.isRegularFile(luaurc)) {
      return;
    }
    String text;
    try {
      text = Files.readString(luaurc, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    Matcher m = ALIASES.matcher(text);
    if (m.find()) {
      Path base = luaurc.toAbsolutePath().getParent();
      Matcher p = PAIR.matcher(m.group(1));
      while (p.find()) {
        Path target = base.resolve(p.group(2)).normalize();
        Path cwd = Path.of("").toAbsolutePath();
        String dir = target.startsWith(cwd) ? cwd.relativize(target).toString() : target.toString();
        aliases.put(p.group(1).toLowerCase(Locale.ROOT), dir.replace('\\', '/'));
      }
    }
  }

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

  @Override
  public String alias(String name) {
    return aliases.get(name.toLowerCase(Locale.ROOT));
  }
}
