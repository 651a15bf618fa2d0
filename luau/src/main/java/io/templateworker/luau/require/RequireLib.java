package io.templateworker.luau.require;

import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The {@code require} global. The requiring module is the calling Luau function's chunk; modules load into
 * the caller's environment (so each tenant or template has its own module instances) and are cached per
 * environment. A module must return exactly one value. Requiring a module that is still loading in the same
 * environment raises "cyclic module dependency" with the chain.
 */
public final class RequireLib {
  private static final Object LOADING = new Object();

  /** Per-environment state: module path → its value (or LOADING), the loading chain, its own files if bound. */
  private static final class Cache {
    final Map<String, Object> modules = new HashMap<>();
    final List<String> chain = new ArrayList<>();
    ModuleSource source;
  }

  private final ModuleSource source;
  private final Map<LuauTable, Cache> caches = new WeakHashMap<>();
  /** Modules the host provides by name (e.g. "@antiraid/json"): loaders, and the values they made. */
  private final Map<String, Function<LuauThread, Object>> hostLoaders = new HashMap<>();
  private final Map<String, Object> hostModules = new HashMap<>();
  /** Compiled modules by path: compile once per VM, run once per environment. */
  private final Map<String, Chunk> compiled = new HashMap<>();

  private RequireLib(ModuleSource source) {
    this.source = source;
  }

  public static void install(LuauVM vm, LuauTable g, ModuleSource source) {
    RequireLib lib = new RequireLib(source);
    g.rawset(LuauString.of("require"), new RequireFunction(lib));
  }

  /** The {@code require} installed in {@code globals} (e.g. a state's builtins), or null when there is none. */
  public static RequireLib of(LuauTable globals) {
    return globals.rawget(LuauString.of("require")) instanceof RequireFunction f ? f.lib : null;
  }

  /**
   * Gives {@code env} its own file system: {@code require} from code running in that environment reads
   * {@code files} instead of the state's, and compiles through {@link ModuleSource#compile}, so templates
   * sharing one VM each see only their own files. Call before code of {@code env} first requires.
   */
  public void bindModules(LuauTable env, ModuleSource files) {
    caches.computeIfAbsent(env, e -> new Cache()).source = files;
  }

  /**
   * Makes {@code require(name)} return the value {@code loader} creates (once per VM, on the first require of it),
   * before any alias or file is looked up: a host module always wins over a {@code .luaurc} alias or a file of the
   * same name. The name is matched exactly (e.g. {@code "@antiraid/datetime"}).
   */
  public void defineHostModule(String name, Function<LuauThread, Object> loader) {
    hostLoaders.put(name, loader);
    hostModules.remove(name);
  }

  /** The host module named {@code name} (created now if it was not yet), or null when there is none. */
  public Object hostModule(LuauThread L, String name) {
    Object v = hostModules.get(name);
    if (v != null) {
      return v;
    }
    Function<LuauThread, Object> loader = hostLoaders.get(name);
    if (loader == null) {
      return null;
    }
    v = loader.apply(L);
    hostModules.put(name, v);
    return v;
  }

  /** The {@code require} function; a class of its own so {@link #of} can find the library behind it. */
  private static final class RequireFunction extends LuauFunction {
    private final RequireLib lib;

    RequireFunction(RequireLib lib) {
      this.lib = lib;
    }

    @Override
    public Object[] call(LuauThread L, Object[] args) {
      return lib.require(L, args);
    }

    @Override
    public String name() {
      return "require";
    }
  }

  private Object[] require(LuauThread L, Object[] a) {
    if (a.length == 0 || !(a[0] instanceof LuauString spec)) {
      throw Errors.typeMismatch(1, "require", "string", a.length == 0 ? null : a[0]);
    }
    if (!hostLoaders.isEmpty()) {
      Object host = hostModule(L, spec.toString());
      if (host != null) {
        return new Object[] {host};
      }
    }
    Object[] info = L.debugInfo(1, "f");
    if (info == null || !(info[0] instanceof LuauClosure caller)) {
      throw LuauError.runtime("require must be called from a Luau module");
    }
    String requirer = caller.proto.chunkName;
    LuauTable env = caller.env;
    Cache cache = caches.computeIfAbsent(env, e -> new Cache());
    ModuleSource files = cache.source != null ? cache.source : source;
    ModuleResolver.Resolved m = ModuleResolver.resolve(files, requirer, spec.toString());
    Object cached = cache.modules.get(m.path());
    if (cached == LOADING) {
      StringBuilder b = new StringBuilder("cyclic module dependency: ");
      int start = cache.chain.indexOf(m.path());
      for (int i = Math.max(0, start); i < cache.chain.size(); i++) {
        b.append(cache.chain.get(i)).append(" -> ");
      }
      throw LuauError.runtime(b.append(m.path()).toString());
    }
    if (cached != null || cache.modules.containsKey(m.path())) {
      return new Object[] {cached};
    }
    // Per-VM chunks are keyed by path, valid for the state's own files only; bound files compile their own way.
    Chunk chunk = cache.source == null ? compiled.get(m.path()) : null;
    if (chunk == null) {
      L.allocate(m.source().length * 8L);
      try {
        chunk = cache.source == null ? Compiler.compile(m.source(), m.path()) : files.compile(m.path(), m.source());
      } catch (CompileError e) {
        throw LuauError.runtime("error requiring module \"" + spec + "\": " + e.firstMessage());
      }
      if (cache.source == null) {
        compiled.put(m.path(), chunk);
      }
    }
    cache.modules.put(m.path(), LOADING);
    cache.chain.add(m.path());
    Object[] r;
    try {
      r = L.vm().load(chunk, env).call(L, LuauFunction.NONE);
    } catch (RuntimeException | Error e) {
      cache.modules.remove(m.path());
      throw e;
    } finally {
      cache.chain.remove(cache.chain.size() - 1);
    }
    if (r.length != 1) {
      cache.modules.remove(m.path());
      throw LuauError.runtime("module " + m.path() + " must return a single value, got " + r.length);
    }
    cache.modules.put(m.path(), r[0]);
    return r;
  }
}
