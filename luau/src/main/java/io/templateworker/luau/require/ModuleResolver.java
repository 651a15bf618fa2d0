package io.templateworker.luau.require;

import io.templateworker.luau.errors.LuauError;
import java.util.ArrayList;
import java.util.List;

/**
 * Luau's require-by-string rules. A path must start with {@code ./}, {@code ../} or {@code @alias/}; it is
 * relative to the requiring module's file ({@code @self} is the requiring module's own directory, i.e. for
 * {@code dir/init.luau} the directory {@code dir}). The resolved path names a file by trying, in order,
 * {@code path.luau}, {@code path.lua}, {@code path/init.luau}, {@code path/init.lua}; a file and a directory
 * module both matching is an ambiguity error.
 */
public final class ModuleResolver {
  private static final String[] FILE_SUFFIXES = {".luau", ".lua"};
  private static final String[] DIR_SUFFIXES = {"/init.luau", "/init.lua"};

  private ModuleResolver() {
  }

  /** A resolved module: its normalised path (the chunk name) and its source. */
  public record Resolved(String path, byte[] source) {
  }

  /**
   * Resolves {@code spec} required from the module at {@code requirerPath}. Errors are Luau errors worded
   * for the script author (what was required, from where, and what was tried).
   */
  public static Resolved resolve(ModuleSource fs, String requirerPath, String spec) {
    String base = basePath(fs, requirerPath, spec);
    for (String suffix : FILE_SUFFIXES) {
      byte[] src = fs.read(base + suffix);
      if (src != null) {
        for (String dirSuffix : DIR_SUFFIXES) {
          if (fs.read(base + dirSuffix) != null) {
            throw LuauError.runtime("error requiring module \"" + spec + "\": ambiguous, both " + base + suffix
                + " and " + base + dirSuffix + " exist");
          }
        }
        return new Resolved(base + suffix, src);
      }
    }
    for (String suffix : DIR_SUFFIXES) {
      byte[] src = fs.read(base + suffix);
      if (src != null) {
        return new Resolved(base + suffix, src);
      }
    }
    throw LuauError.runtime("error requiring module \"" + spec + "\": could not resolve child component \""
        + lastSegment(base) + "\" (tried " + base + ".luau, " + base + ".lua, " + base + "/init.luau)" + hint(fs, spec));
  }

  /** The path the spec points at, before the file suffixes are tried. */
  static String basePath(ModuleSource fs, String requirerPath, String spec) {
    if (spec.isEmpty()) {
      throw LuauError.runtime("error requiring module \"\": path is empty");
    }
    if (spec.endsWith("/")) {
      throw LuauError.runtime("error requiring module \"" + spec + "\": path must not end with a '/'");
    }
    if (spec.startsWith("./") || spec.startsWith("../")) {
      return normalize(join(directoryOf(requirerPath), spec));
    }
    if (spec.startsWith("@")) {
      int slash = spec.indexOf('/');
      String alias = slash < 0 ? spec.substring(1) : spec.substring(1, slash);
      String rest = slash < 0 ? "" : spec.substring(slash + 1);
      String dir;
      if (alias.equals("self")) {
        dir = moduleDirectory(requirerPath);
      } else {
        dir = fs.alias(alias);
        if (dir == null) {
          throw LuauError.runtime("error requiring module \"" + spec + "\": @" + alias + " is not a valid alias" + hint(fs, spec));
        }
      }
      return normalize(rest.isEmpty() ? dir : join(dir, rest));
    }
    throw LuauError.runtime("error requiring module \"" + spec
        + "\": require path must start with a valid prefix: ./, ../, or @");
  }

  /** The source's hint for a module it does not have, as a sentence to append ("" when none). */
  private static String hint(ModuleSource fs, String spec) {
    String h = fs.missingHint(spec);
    return h == null || h.isEmpty() ? "" : "; " + h;
  }

  /** The directory holding a file ("" for a file at the root of a relative tree). */
  static String directoryOf(String path) {
    int slash = path.lastIndexOf('/');
    if (slash == 0) {
      return "/"; // a file at the root of an absolute tree
    }
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** @self: the directory of a module file, where for dir/init.luau the module is the directory itself. */
  static String moduleDirectory(String path) {
    String dir = directoryOf(path);
    String file = lastSegment(path);
    if (file.equals("init.luau") || file.equals("init.lua")) {
      return dir;
    }
    String stem = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    return dir.isEmpty() ? stem : dir + "/" + stem;
  }

  private static String join(String dir, String rel) {
    if (dir.isEmpty()) {
      return rel;
    }
    return dir + "/" + rel;
  }

  private static String lastSegment(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /**
   * Removes "." segments and folds ".." into the previous segment; leading ".." segments of a relative path
   * stay (they point above the tree's starting directory, as on disk). Keeps a leading '/'.
   */
  public static String normalize(String path) {
    boolean absolute = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else if (!absolute) {
          out.add("..");
        }
        continue;
      }
      out.add(seg);
    }
    String joined = String.join("/", out);
    return absolute ? "/" + joined : joined;
  }
}
