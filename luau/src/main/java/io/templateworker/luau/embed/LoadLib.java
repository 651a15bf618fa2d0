package io.templateworker.luau.embed;

import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * {@code loadstring(src [, chunkname [, env]])} and {@code load} for hosts that enable them: source text only
 * (never bytecode), compiled with the memory charged, and run in an explicit environment — the one given, or
 * else the calling function's own, never the shared builtins.
 */
final class LoadLib {
  private LoadLib() {
  }

  static void install(LuauVM vm, LuauTable g) {
    LuauFunction f = LuauFunction.host("loadstring", LoadLib::load);
    g.rawset(LuauString.of("loadstring"), f);
    g.rawset(LuauString.of("load"), f);
  }

  private static Object[] load(LuauThread L, Object[] a) {
    if (a.length == 0 || !(a[0] instanceof LuauString src)) {
      throw Errors.typeMismatch(1, "loadstring", "string", a.length == 0 ? null : a[0]);
    }
    String name = a.length > 1 && a[1] instanceof LuauString n ? n.toString() : "=(load)";
    LuauTable env = a.length > 2 && a[2] instanceof LuauTable e ? e : LuauState.callerEnvironment(L);
    if (env == null) {
      throw noEnvironment(name);
    }
    L.allocate(src.length() * 8L); // the compiled tree is a few times the source
    Chunk chunk;
    try {
      chunk = Compiler.compile(src.bytes(), name);
    } catch (CompileError e) {
      return new Object[] {null, LuauString.of(e.firstMessage())};
    }
    return new Object[] {L.vm().load(chunk, env)};
  }

  private static RuntimeException noEnvironment(String name) {
    return io.templateworker.luau.errors.LuauError.runtime("loadstring: no environment for chunk " + name);
  }
}
