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

/**
 * The {@code require} global. The requiring module is the calling Luau function's chunk; modules load into
 * the caller's environment (so each tenant or template has its own module instances) and are cached per
 * environment. A module must return exactly one value. Requiring a module that is still loading in the same
 * environment raises "cyclic module dependency" with the chain.
 */
public final class RequireLib {
  private static final Object LOADING = new Object();

  /** Per-environment state: module path → its value (or LOADING), plus the loading chain. */
  private static final class Cache {
    final Map<String, Object> modules = new HashMap<>();
    final List<String> chain = new ArrayList<>();
  }

  private final ModuleSource source;
  private final Map<LuauTable, Cache> caches = new WeakHashMap<>();
  /** Compiled modules by path: compile once per VM, run once per environment. */
  private final Map<String, Chunk> compiled = new HashMap<>();

  private RequireLib(ModuleSource source) {
    this.source = source;
  }

  public static void install(LuauVM vm, LuauTable g, ModuleSource source) {
    RequireLib lib = new RequireLib(source);
    g.rawset(LuauString.of("require"), LuauFunction.host("require", lib::require));
  }

  private Object[] require(LuauThread L, Object[] a) {
    if (a.length == 0 || !(a[0] instanceof LuauString spec)) {
      throw Errors.typeMismatch(1, "require", "string", a.length == 0 ? null : a[0]);
    }
    Object[] info = L.debugInfo(1, "f");
    if (info == null || !(info[0] instanceof LuauClosure caller)) {
      throw LuauError.runtime("require must be called from a Luau module");
    }
    String requirer = caller.proto.chunkName;
    ModuleResolver.Resolved m = ModuleResolver.resolve(source, requirer, spec.toString());
    LuauTable env = caller.env;
    Cache cache = caches.computeIfAbsent(env, e -> new Cache());
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
    Chunk chunk = compiled.get(m.path());
    if (chunk == null) {
      L.allocate(m.source().length * 8L);
      try {
        chunk = Compiler.compile(m.source(), m.path());
      } catch (CompileError e) {
        throw LuauError.runtime("error requiring module \"" + spec + "\": " + e.firstMessage());
      }
      compiled.put(m.path(), chunk);
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
