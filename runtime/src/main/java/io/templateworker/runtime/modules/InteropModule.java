package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.values.Interop;

/**
 * {@code @antiraid/interop}: {@code null} (stands for JSON null), {@code array_metatable} (marks a table as a
 * list, even when empty), {@code memusage()} (the VM's live heap in bytes, measured now) and
 * {@code memory_limit()} (the VM's memory limit in bytes).
 */
final class InteropModule {
  private InteropModule() {
  }

  static LuauTable create(LuauState state) {
    double limit = state.options().limits().memoryBytes();
    return new ModuleTable()
        .value("null", Interop.NULL)
        .value("array_metatable", Interop.ARRAY_METATABLE)
        .fn("memusage", (L, a) -> new Object[] {(double) L.vm().memory().measureNow()})
        .fn("memory_limit", (L, a) -> new Object[] {limit})
        .build();
  }
}
