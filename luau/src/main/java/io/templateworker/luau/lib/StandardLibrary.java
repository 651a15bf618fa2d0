package io.templateworker.luau.lib;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Meta;

/** Installs every standard library into a globals table and wires the string metatable. */
public final class StandardLibrary {
  private StandardLibrary() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    BaseLib.install(vm, globals);
    CoroutineLib.install(vm, globals);
    // the standard-library engineer's classes:
    StringLib.install(vm, globals);
    TableLib.install(vm, globals);
    MathLib.install(vm, globals);
    Bit32Lib.install(vm, globals);
    Utf8Lib.install(vm, globals);
    BufferLib.install(vm, globals);
    OsLib.install(vm, globals);
    DebugLib.install(vm, globals);
    VectorLib.install(vm, globals);
    IntegerLib.install(vm, globals);
    // library keys become the canonical name instances the compiler uses: global and field lookups of
    // builtins then match by identity
    globals.internKeys();
    for (int p = globals.nextSlot(0); p >= 0; p = globals.nextSlot(p + 1)) {
      if (globals.valueAt(p) instanceof LuauTable lib && lib != globals) {
        lib.internKeys();
      }
    }
    Object string = globals.rawget(LuauString.of("string"));
    if (string instanceof LuauTable s && vm.stringMetatable().rawgetStr(Meta.INDEX) == null) {
      vm.stringMetatable().rawset(Meta.INDEX, s);
    }
  }
}
