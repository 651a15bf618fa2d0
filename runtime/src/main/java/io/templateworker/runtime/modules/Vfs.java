package io.templateworker.runtime.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.require.ModuleResolver;
import io.templateworker.luau.require.ModuleSource;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.Lazy;
import io.templateworker.runtime.values.Opaque;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A read-only virtual file system templates can require from ({@code typesext.Vfs}): what
 * {@code Runtime:getexposedvfs()} returns (the builtins, templating-types and patches folders) and what
 * {@code Vfs.newoverlay({...})} builds from Vfs objects, lazy string maps ({@code typesext.newlazystringmap},
 * a template's content) and opaque string maps. {@code vfs:createrequirefunction(cacheprefix, globaltable)}
 * returns a {@code require} that loads the Vfs's modules with {@code globaltable} as their globals.
 *
 * <p>Host code makes one with {@link #wrap(ModuleSource)} (e.g. over a folder on disk) or
 * {@link #ofFiles(Map)}. Aliases come from the Vfs's root {@code .luaurc} ({@code {"aliases": {"name": "dir"}}},
 * directories relative to the root), as upstream's TemplatingTypes overlay uses them.
 */
public final class Vfs {
  private static final ObjectMapper LUAURC = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();
  private static final Object LOADING = new Object();

  public static final UserdataType<Vfs> TYPE = UserdataType.builder("Vfs", Vfs.class)
      .method("createrequirefunction", (L, self, a) -> new Object[] {self.requireFunction(L,
          HostArgs.text(a, 0, "createrequirefunction", "cacheprefix"),
          HostArgs.table(a, 1, "createrequirefunction", "globaltable"))})
      .field("newoverlay", self -> Vfs.NEW_OVERLAY)
      .build();

  /** {@code Vfs.newoverlay({vfs | lazy string map | opaque string map, ...})}: the first layer with a file wins. */
  static final LuauFunction NEW_OVERLAY = LuauFunction.host("newoverlay", (L, a) -> {
    int i = TYPE.is(HostArgs.arg(a, 0)) ? 1 : 0; // also callable as vfs:newoverlay({...})
    LuauTable list = HostArgs.table(a, i, "newoverlay", "vfss");
    List<ModuleSource> layers = new ArrayList<>();
    for (int k = 1; k <= list.length(); k++) {
      layers.add(layer(list.rawget(k), k));
    }
    return new Object[] {wrap(new Overlay(layers))};
  });

  private final ModuleSource source;

  private Vfs(ModuleSource source) {
    this.source = source;
  }

  public ModuleSource source() {
    return source;
  }

  /** A Vfs over any module source (paths like "/init.luau"; see {@link ModuleSource}). */
  public static LuauUserdata wrap(ModuleSource source) {
    return TYPE.wrap(new Vfs(source));
  }

  /** The Luau value of a read-only Vfs over a folder on disk (see {@link #ofFolder}). */
  public static LuauUserdata ofDirectory(java.nio.file.Path root) {
    return wrap(ofFolder(root));
  }

  /** The Luau value of a Vfs with no files (e.g. BuiltinsPatches when none are configured). */
  public static LuauUserdata empty() {
    return wrap(ofFiles(Map.of()));
  }

  /** A module source over a string map of files ("init.luau" or "/init.luau" → source), with its root .luaurc aliases. */
  public static ModuleSource ofFiles(Map<String, String> files) {
    return new FileMap(files);
  }

  /**
   * A module source over a folder on disk (read-only): paths are relative to {@code root}; nothing outside it is
   * readable (".." and symlinks leading out are refused); aliases come from the folder's {@code .luaurc}.
   */
  public static ModuleSource ofFolder(java.nio.file.Path root) {
    return new Folder(root.toAbsolutePath().normalize());
  }

  private static final class Folder implements ModuleSource {
    private final java.nio.file.Path root;
    private final Map<String, String> aliases = new HashMap<>();

    Folder(java.nio.file.Path root) {
      this.root = root;
      byte[] luaurc = read("/.luaurc");
      if (luaurc != null) {
        readAliases(luaurc, aliases);
      }
    }

    @Override
    public byte[] read(String path) {
      String rel = ModuleResolver.normalize(path.startsWith("/") ? path.substring(1) : path);
      if (rel.startsWith("..")) {
        return null;
      }
      java.nio.file.Path p = root.resolve(rel).normalize();
      try {
        if (!p.startsWith(root) || !java.nio.file.Files.isRegularFile(p) || !p.toRealPath().startsWith(root.toRealPath())) {
          return null;
        }
        return java.nio.file.Files.readAllBytes(p);
      } catch (java.io.IOException e) {
        return null;
      }
    }

    @Override
    public String alias(String name) {
      return aliases.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Aliases from a .luaurc ({"aliases": {"name": "./dir/"}}; comments and trailing commas allowed). */
  private static void readAliases(byte[] luaurc, Map<String, String> into) {
    try {
      JsonNode a = LUAURC.readTree(luaurc).path("aliases");
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        String dir = e.getValue().asText();
        into.put(e.getKey().toLowerCase(Locale.ROOT), ModuleResolver.normalize(dir.startsWith("/") ? dir : "/" + dir));
      }
    } catch (java.io.IOException | RuntimeException badLuaurc) {
      // a malformed .luaurc gives no aliases; a require through one then names the unknown alias
    }
  }

  private static ModuleSource layer(Object v, int k) {
    if (TYPE.is(v)) {
      return ((Vfs) ((LuauUserdata) v).payload()).source;
    }
    Lazy.Source lazy = Lazy.sourceOf(v);
    KhronosValue kv = lazy != null ? lazy.toKhronos() : Opaque.valueOf(v);
    Map<String, String> files = kv == null ? null : TypesextModule.stringMap(kv);
    if (files == null) {
      throw HostArgs.bad(0, "newoverlay", "vfss", "item " + k + " is a " + HostArgs.typeName(v)
          + ", expected a Vfs, a lazy string map or an opaque string map");
    }
    return new FileMap(files);
  }

  /** Files from a map; keys are normalised to absolute paths. */
  private static final class FileMap implements ModuleSource {
    private final Map<String, byte[]> files = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    FileMap(Map<String, String> map) {
      for (Map.Entry<String, String> e : map.entrySet()) {
        String p = e.getKey().startsWith("/") ? e.getKey() : "/" + e.getKey();
        files.put(ModuleResolver.normalize(p), e.getValue().getBytes(StandardCharsets.UTF_8));
      }
      byte[] luaurc = files.get("/.luaurc");
      if (luaurc != null) {
        readAliases(luaurc, aliases);
      }
    }

    @Override
    public byte[] read(String path) {
      return files.get(path.startsWith("/") ? path : "/" + path);
    }

    @Override
    public String alias(String name) {
      return aliases.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Layers in order: the first one that has a file (or an alias) answers. */
  private record Overlay(List<ModuleSource> layers) implements ModuleSource {
    @Override
    public byte[] read(String path) {
      for (ModuleSource s : layers) {
        byte[] b = s.read(path);
        if (b != null) {
          return b;
        }
      }
      return null;
    }

    @Override
    public String alias(String name) {
      for (ModuleSource s : layers) {
        String a = s.alias(name);
        if (a != null) {
          return a;
        }
      }
      return null;
    }

    @Override
    public Chunk compile(String path, byte[] source) {
      for (ModuleSource s : layers) {
        if (s.read(path) != null) {
          return s.compile(path, source);
        }
      }
      return ModuleSource.super.compile(path, source);
    }
  }

  /**
   * A require over this Vfs: modules run with {@code globals} as their environment and are cached in the VM
   * under {@code cacheprefix} and their path. Paths resolve relative to the requiring module when it came from
   * this require, else from the root; "init.luau" without a prefix is the root's. The core {@code @antiraid/*}
   * modules are answered first.
   */
  private LuauFunction requireFunction(LuauThread L, String cacheprefix, LuauTable globals) {
    LuauState state = CoreModules.stateOf(L);
    Map<String, Object> cache = CoreModules.vfsCache(L);
    java.util.Set<String> ownChunks = new java.util.HashSet<>();
    return LuauFunction.host("require", (T, a) -> {
      String spec = HostArgs.text(a, 0, "require", "path");
      if (state != null) {
        Object host = CoreModules.module(state, T, spec);
        if (host != null) {
          return new Object[] {host};
        }
      }
      Object[] info = T.debugInfo(1, "f");
      String requirer = info != null && info[0] instanceof LuauClosure c && ownChunks.contains(c.proto.chunkName)
          ? c.proto.chunkName : "/init.luau";
      ModuleResolver.Resolved m = resolve(requirer, spec);
      String key = cacheprefix + "@" + m.path();
      Object cached = cache.get(key);
      if (cached == LOADING) {
        throw LuauError.runtime("cyclic module dependency: " + m.path() + " is still loading");
      }
      if (cached != null || cache.containsKey(key)) {
        return new Object[] {cached};
      }
      Chunk chunk;
      T.allocate(m.source().length * 8L);
      try {
        chunk = source.compile(m.path(), m.source());
      } catch (CompileError e) {
        throw LuauError.runtime("error requiring module \"" + spec + "\": " + e.firstMessage());
      }
      ownChunks.add(m.path());
      cache.put(key, LOADING);
      Object[] r;
      try {
        r = T.vm().load(chunk, globals).call(T, LuauFunction.NONE);
      } catch (RuntimeException | Error e) {
        cache.remove(key);
        throw e;
      }
      Object value = r.length == 0 ? null : r[0];
      cache.put(key, value);
      if (state != null && value != null) {
        state.retain(value); // held by the VM-wide cache: keep it in the VM's memory measurement
      }
      return new Object[] {value};
    });
  }

  private ModuleResolver.Resolved resolve(String requirer, String spec) {
    boolean prefixed = spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("@");
    String s = prefixed ? spec : "./" + spec;
    try {
      return ModuleResolver.resolve(source, prefixed ? requirer : "/init.luau", s);
    } catch (LuauError notFound) {
      // upstream also accepts a path with its file extension ("./init.luau")
      for (String ext : new String[] {".luau", ".lua"}) {
        if (!s.startsWith("@") && s.endsWith(ext)) {
          String base = ModuleResolver.normalize(dirOf(prefixed ? requirer : "/init.luau") + "/" + s);
          byte[] src = source.read(base);
          if (src != null) {
            return new ModuleResolver.Resolved(base, src);
          }
        }
      }
      throw notFound;
    }
  }

  private static String dirOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }
}
